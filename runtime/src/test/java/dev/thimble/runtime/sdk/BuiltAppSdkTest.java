package dev.thimble.runtime.sdk;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.apps.AppCreation;
import dev.thimble.runtime.apps.AppEditor;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.HostAccess;
import dev.thimble.runtime.apps.Restructured;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service layer's end-to-end test: an app built from nothing through the Java API (providers, a
 * service with rules, functions, a trigger, a value, a secret, a user), a function renamed with its
 * trigger following, served, and used by the unmodified realm-web SDK.
 */
class BuiltAppSdkTest {
    private static final String SECRET = "sk-test-0123456789";

    @TempDir
    Path dir;
    AppHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void anAppBuiltFromNothingThroughTheServiceLayerServesRealmWeb() throws Exception {
        Path bundle = AppCreation.blank(dir.resolve("shop"));
        AppEditor build = AppEditor.open(bundle, HostAccess.none());
        build.create(new EditableItem.AuthProvider("anon-user"), Json.parse("{\"type\": \"anon-user\"}"), null);
        build.create(new EditableItem.AuthProvider("local-userpass"), Json.parse(
                "{\"type\": \"local-userpass\", \"config\": {\"autoConfirm\": true, \"resetPasswordUrl\": \"http://localhost/reset\"}}"), null);
        build.create(new EditableItem.Service("mongodb-atlas"), Json.parse("{\"type\": \"mongodb-atlas\", \"config\": {}}"), null);
        build.create(new EditableItem.CollectionRule("mongodb-atlas", "shop.orders"), Json.parse("""
                {"roles": [{"name": "owner", "apply_when": {"owner_id": "%%user.id"},
                            "read": true, "write": true, "insert": true, "delete": true}],
                 "filters": [{"name": "mine", "apply_when": {}, "query": {"owner_id": "%%user.id"}}]}"""), null);
        build.create(new EditableItem.CollectionRule("mongodb-atlas", "shop.counts"), Json.parse(
                "{\"roles\": [{\"name\": \"reader\", \"apply_when\": {}, \"read\": true, \"write\": false}]}"), null);
        build.create(new EditableItem.Value("shopName"), Json.parse("{\"value\": \"Corner Shop\"}"), null);
        build.createSecret("paymentKey", SECRET);
        build.create(new EditableItem.Value("paymentKeyValue"), Json.parse("{\"value\": \"paymentKey\", \"from_secret\": true}"), null);
        build.create(new EditableItem.Function("placeOrder"), null, """
                exports = async function(item) {
                  const order = { owner_id: context.user.id, item, shop: context.values.get('shopName') };
                  const result = await context.services.get('mongodb-atlas').db('shop').collection('orders').insertOne(order);
                  return { _id: result.insertedId, ...order };
                };
                """);
        build.create(new EditableItem.Function("keyLength"), null, "exports = () => context.values.get('paymentKeyValue').length;\n");
        build.create(new EditableItem.Function("countOrder"), Json.parse("{\"private\": true}"), """
                exports = async function(event) {
                  await context.services.get('mongodb-atlas').db('shop').collection('counts')
                    .updateOne({ _id: event.fullDocument.owner_id }, { $inc: { orders: 1 } }, { upsert: true });
                };
                """);
        build.create(new EditableItem.Trigger("onOrder"), Json.parse("""
                {"type": "DATABASE", "function_name": "countOrder",
                 "config": {"service_name": "mongodb-atlas", "database": "shop", "collection": "orders",
                            "operation_types": ["INSERT"], "full_document": true}}"""), null);

        Restructured renamed = build.rename(new EditableItem.Function("countOrder"), "tallyOrder");

        assertThat(renamed.references()).containsExactly("triggers/onOrder.json: function_name");
        AppModel onDisk = AppBundles.read(bundle).app();
        assertThat(onDisk.triggers().getFirst().functionName()).isEqualTo("tallyOrder");
        assertThat(Files.readString(bundle.resolve("triggers/onOrder.json"))).contains("\"function_name\": \"tallyOrder\"");
        assertThat(build.validate().errors()).isEmpty();
        assertThat(Files.readString(bundle.resolve("secrets.json"))).doesNotContain(SECRET);

        host = AppHost.start(onDisk, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")),
                SecretStore.forApp(onDisk.clientAppId())));
        AppEditor served = AppEditor.open(bundle, HostAccess.of(host));
        served.users().createEmailPasswordUser("ann@example.com", "correct-horse");

        NodeSdkRunner.Result result = NodeSdkRunner.run(Map.of("THIMBLE_BASE_URL", host.baseUrl(),
                "THIMBLE_APP_ID", onDisk.clientAppId(), "THIMBLE_USER_EMAIL", "ann@example.com",
                "THIMBLE_USER_PASSWORD", "correct-horse", "THIMBLE_SECRET_LENGTH", String.valueOf(SECRET.length())),
                "realm-built-app.test.mjs");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as(result.output()).contains("# pass 3", "# fail 0");
    }
}
