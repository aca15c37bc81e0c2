package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Creating, renaming, duplicating and deleting items through the service layer, on a bundle on disk (no server). */
class AppEditorStructureTest {
    @TempDir
    Path dir;
    Path bundle;
    AppEditor editor;

    @BeforeEach
    void openTodo() {
        bundle = TestApps.copyOfTodo(dir);
        editor = AppEditor.open(bundle, HostAccess.none());
    }

    @Test
    void renamingAFunctionRewritesTriggersRulesEndpointsAndLiteralCallSitesAndListsComputedOnes() throws Exception {
        editor.create(new EditableItem.Function("caller"), null,
                "exports = async function() {\n"
                        + "  await context.functions.execute('onItemInserted', {});\n"
                        + "  const name = 'x';\n"
                        + "  return context.functions.execute(name);\n};\n");
        editor.create(new EditableItem.Endpoint("POST", "/items/inserted"), Json.parse("{\"function_name\": \"onItemInserted\"}"), null);
        editor.saveJson(new EditableItem.CollectionRule("mongodb-atlas", "todo.items"),
                withFunctionFilter(editor.model(), "onItemInserted"));

        Restructured renamed = editor.rename(new EditableItem.Function("onItemInserted"), "countOpenItems");

        AppModel read = AppBundles.read(bundle).app();
        assertThat(read.function("onItemInserted")).isEmpty();
        assertThat(read.function("countOpenItems")).isPresent();
        assertThat(Files.exists(bundle.resolve("functions/onItemInserted"))).isFalse();
        assertThat(trigger(read, "onNewItem").functionName()).isEqualTo("countOpenItems");
        assertThat(read.endpoints().getFirst().functionName()).isEqualTo("countOpenItems");
        assertThat(read.service("mongodb-atlas").orElseThrow().collectionRules().stream()
                .filter(r -> r.namespace().equals("todo.items")).findFirst().orElseThrow().config().toString())
                .contains("\"%function\":{\"name\":\"countOpenItems\"").doesNotContain("onItemInserted");
        assertThat(read.function("caller").orElseThrow().source())
                .contains("context.functions.execute('countOpenItems', {})")
                .contains("context.functions.execute(name)");
        assertThat(renamed.item()).isEqualTo(new EditableItem.Function("countOpenItems"));
        assertThat(renamed.references()).contains("triggers/onNewItem.json: function_name", "http_endpoints/config.json: function_name",
                "services/mongodb-atlas/rules/todo.items.json: %function", "functions/caller/source.js:2: context.functions.execute('onItemInserted')");
        assertThat(renamed.notRewritten()).singleElement().asString().startsWith("functions/caller/source.js:4:");
        assertThat(renamed.changed()).contains("triggers/onNewItem.json", "functions/countOpenItems/source.js", "functions/onItemInserted/source.js");
        assertThat(renamed.validation().errors()).isEmpty();
    }

    @Test
    void deletingAnItemThatIsStillUsedIsRefusedWithTheUsersUnlessForced() throws Exception {
        assertThatThrownBy(() -> editor.delete(new EditableItem.Function("validateItemText"), false))
                .isInstanceOf(EditRefusedException.class)
                .hasMessageContaining("The function validateItemText is still used by: functions/addItem/source.js:");
        assertThat(AppBundles.read(bundle).app().function("validateItemText")).isPresent();

        assertThat(editor.references(new EditableItem.Function("onItemInserted")).places()).containsExactly("triggers/onNewItem.json: function_name");

        Restructured deleted = editor.delete(new EditableItem.Function("onItemInserted"), true);
        assertThat(deleted.references()).containsExactly("triggers/onNewItem.json: function_name");
        assertThat(AppBundles.read(bundle).app().function("onItemInserted")).isEmpty();
        assertThat(deleted.validation().errors()).isNotEmpty(); // the trigger's function is gone: validate says so

        Restructured unused = editor.delete(new EditableItem.Trigger("onNewItem"), false);
        assertThat(unused.references()).isEmpty();
        assertThat(Files.exists(bundle.resolve("triggers/onNewItem.json"))).isFalse();
    }

    @Test
    void aChangeThatWouldAddAnErrorIsRefusedWithTheValidatorsMessageAndWritesNothing() throws Exception {
        String before = TestApps.read(bundle.resolve("stitch.json"));
        assertThatThrownBy(() -> editor.create(new EditableItem.Trigger("broken"), Json.parse(
                "{\"type\": \"DATABASE\", \"function_name\": \"noSuchFunction\", \"config\": {\"service_name\": \"mongodb-atlas\","
                        + " \"database\": \"todo\", \"collection\": \"items\", \"operation_types\": [\"INSERT\"]}}"), null))
                .isInstanceOf(EditRefusedException.class)
                .hasMessageContaining("Nothing was saved")
                .hasMessageContaining("noSuchFunction");
        assertThat(Files.exists(bundle.resolve("triggers/broken.json"))).isFalse();
        assertThat(TestApps.read(bundle.resolve("stitch.json"))).isEqualTo(before);

        assertThatThrownBy(() -> editor.create(new EditableItem.Function("addItem"), null, null))
                .isInstanceOf(EditRefusedException.class).hasMessageContaining("The function addItem already exists");
        assertThatThrownBy(() -> editor.rename(new EditableItem.Function("addItem"), "shareList"))
                .isInstanceOf(EditRefusedException.class).hasMessageContaining("already exists");
    }

    @Test
    void rulesAreCreatedDuplicatedMovedAndTheDefaultRuleAddedAndRemoved() throws Exception {
        EditableItem.CollectionRule lists = new EditableItem.CollectionRule("mongodb-atlas", "todo.lists");
        editor.duplicate(lists, "todo.archivedLists");
        Json copy = ModelEdits.jsonOf(editor.model(), new EditableItem.CollectionRule("mongodb-atlas", "todo.archivedLists")).orElseThrow();
        assertThat(copy.text("database")).isEqualTo("todo");
        assertThat(copy.text("collection")).isEqualTo("archivedLists");
        assertThat(copy.get("roles")).isEqualTo(ModelEdits.jsonOf(editor.model(), lists).orElseThrow().get("roles"));
        assertThat(Files.exists(bundle.resolve("services/mongodb-atlas/rules/todo.archivedLists.json"))).isTrue();

        editor.rename(new EditableItem.CollectionRule("mongodb-atlas", "todo.archivedLists"), "archive.lists");
        assertThat(Files.exists(bundle.resolve("services/mongodb-atlas/rules/archive.lists.json"))).isTrue();
        assertThat(Files.exists(bundle.resolve("services/mongodb-atlas/rules/todo.archivedLists.json"))).isFalse();

        EditableItem.DefaultRule defaultRule = new EditableItem.DefaultRule("mongodb-atlas");
        editor.create(defaultRule, Json.parse("{\"roles\": [{\"name\": \"nobody\", \"apply_when\": {}, \"read\": false, \"write\": false}]}"), null);
        assertThat(TestApps.read(bundle.resolve("services/mongodb-atlas/default_rule.json"))).contains("nobody");
        editor.delete(defaultRule, false);
        assertThat(Files.exists(bundle.resolve("services/mongodb-atlas/default_rule.json"))).isFalse();

        assertThatThrownBy(() -> editor.create(new EditableItem.CollectionRule("inbox", "a.b"), null, null))
                .isInstanceOf(EditRefusedException.class).hasMessageContaining("only a MongoDB service does");
    }

    @Test
    void renamingAValueRewritesExpansionsAndCallSites() throws Exception {
        editor.create(new EditableItem.Function("readsLimit"), null,
                "exports = () => context.values.get(\"maxItemLength\");\n");
        Restructured renamed = editor.rename(new EditableItem.Value("maxItemLength"), "itemTextLimit");
        AppModel read = AppBundles.read(bundle).app();
        assertThat(read.value("itemTextLimit")).isPresent();
        assertThat(read.value("maxItemLength")).isEmpty();
        assertThat(read.function("readsLimit").orElseThrow().source()).contains("context.values.get(\"itemTextLimit\")");
        assertThat(read.function("validateItemText").orElseThrow().source())
                .contains("context.values.get(\"itemTextLimit\")")
                .contains("(the value \"maxItemLength\")"); // a comment is not a call site: left as it was
        assertThat(renamed.references()).anyMatch(r -> r.startsWith("functions/readsLimit/source.js:1:"));
        assertThat(renamed.validation().errors()).isEmpty();
    }

    @Test
    void secretsAreCreatedRenamedWithTheirValueAndDeletedWithIt() throws Exception {
        SecretStore store = editor.workspace().secrets();
        editor.createSecret("smsToken", "s3cret-value");
        assertThat(AppBundles.read(bundle).app().secretNames()).contains("smsToken");
        assertThat(store.get("smsToken")).contains("s3cret-value");
        assertThat(TestApps.read(bundle.resolve("secrets.json"))).doesNotContain("s3cret-value");

        editor.create(new EditableItem.Value("smsKey"), Json.parse("{\"value\": \"smsToken\", \"from_secret\": true}"), null);
        Restructured renamed = editor.rename(new EditableItem.Secret("smsToken"), "twilioToken");
        assertThat(renamed.references()).containsExactly("values/smsKey.json: value (from_secret)");
        assertThat(AppBundles.read(bundle).app().value("smsKey").orElseThrow().config().text("value")).isEqualTo("twilioToken");
        assertThat(store.get("twilioToken")).contains("s3cret-value");
        assertThat(store.get("smsToken")).isEmpty();

        assertThatThrownBy(() -> editor.delete(new EditableItem.Secret("twilioToken"), false))
                .hasMessageContaining("values/smsKey.json");
        editor.delete(new EditableItem.Value("smsKey"), false);
        editor.delete(new EditableItem.Secret("twilioToken"), false);
        assertThat(store.get("twilioToken")).isEmpty();
        assertThat(AppBundles.read(bundle).app().secretNames()).doesNotContain("twilioToken");
    }

    @Test
    void renamingAServiceMovesItsFolderAndItsTriggersFollow() throws Exception {
        editor.create(new EditableItem.Function("reader"), null, "exports = () => context.services.get('mongodb-atlas').db('todo');\n");
        Restructured renamed = editor.rename(new EditableItem.Service("mongodb-atlas"), "cluster");
        AppModel read = AppBundles.read(bundle).app();
        assertThat(read.service("cluster").orElseThrow().collectionRules()).isNotEmpty();
        assertThat(Files.exists(bundle.resolve("services/mongodb-atlas"))).isFalse();
        assertThat(trigger(read, "onNewItem").config().obj("config").text("service_name")).isEqualTo("cluster");
        assertThat(read.function("reader").orElseThrow().source()).contains("context.services.get('cluster')");
        assertThat(renamed.references()).contains("triggers/onNewItem.json: config.service_name",
                "stitch.json: custom_user_data_config.mongo_service_name");
    }

    @Test
    void everyOtherKindIsCreatedRenamedDuplicatedAndDeleted() throws Exception {
        editor.delete(new EditableItem.AuthProvider("api-key"), false);
        assertThat(Files.exists(bundle.resolve("auth_providers/api-key.json"))).isFalse();
        editor.create(new EditableItem.AuthProvider("api-key"), Json.parse("{\"type\": \"api-key\", \"disabled\": true}"), null);
        editor.create(new EditableItem.Environment("production"), Json.parse("{\"values\": {\"tier\": \"paid\"}}"), null);
        editor.create(new EditableItem.ServiceRule("inbox", "posts"), Json.parse("{\"actions\": [\"post\"], \"when\": {}}"), null);
        editor.create(new EditableItem.Webhook("inbox", "ping"), Json.parse("{\"run_as_system\": true,"
                + " \"options\": {\"httpMethod\": \"POST\", \"validationMethod\": \"SECRET_AS_QUERY_PARAM\", \"secret_name\": \"inboxWebhookSecret\"}}"), null);
        editor.duplicate(new EditableItem.Trigger("onNewItem"), "onNewItemCopy");
        editor.rename(new EditableItem.Webhook("inbox", "ping"), "pong");
        editor.rename(new EditableItem.Trigger("onNewItemCopy"), "onNewItem2");

        assertThat(TestApps.read(bundle.resolve("auth_providers/api-key.json"))).contains("\"disabled\": true");
        assertThat(TestApps.read(bundle.resolve("environments/production.json"))).contains("paid");
        assertThat(Files.exists(bundle.resolve("services/inbox/rules/posts.json"))).isTrue();
        assertThat(TestApps.read(bundle.resolve("services/inbox/incoming_webhooks/pong/source.js"))).isEqualTo(StructureEdits.BLANK_WEBHOOK);
        assertThat(Files.exists(bundle.resolve("services/inbox/incoming_webhooks/ping"))).isFalse();
        assertThat(trigger(AppBundles.read(bundle).app(), "onNewItem2").functionName()).isEqualTo("onItemInserted");
        assertThat(editor.validate().errors()).isEmpty();

        editor.delete(new EditableItem.AuthProvider("api-key"), false);
        editor.delete(new EditableItem.Environment("production"), false);
        editor.delete(new EditableItem.Trigger("onNewItem2"), false);
        assertThat(Files.exists(bundle.resolve("auth_providers/api-key.json"))).isFalse();
        assertThat(Files.exists(bundle.resolve("triggers/onNewItem2.json"))).isFalse();
    }

    @Test
    void aBlankAppIsAValidBundleWithAFreshClientAppId() throws Exception {
        Path created = AppCreation.blank(dir.resolve("My Shop"));
        AppEditor blank = AppEditor.open(created, HostAccess.none());
        assertThat(blank.model().name()).isEqualTo("my-shop");
        assertThat(blank.model().clientAppId()).matches("my-shop-[a-z]{5}");
        assertThat(blank.validate().errors()).isEmpty();
    }

    private static TriggerDef trigger(AppModel app, String name) {
        return app.triggers().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    /** The rule of todo.items with a role applying when {@code %function name} says so. */
    private static Json withFunctionFilter(AppModel app, String function) {
        Json rule = ModelEdits.jsonOf(app, new EditableItem.CollectionRule("mongodb-atlas", "todo.items")).orElseThrow();
        var node = rule.object();
        var roles = (com.fasterxml.jackson.databind.node.ArrayNode) node.get("roles");
        var role = roles.insertObject(0);
        role.put("name", "counted");
        role.putObject("apply_when").putObject("%function").put("name", function).putArray("arguments");
        role.put("read", true);
        role.put("write", false);
        return Json.of(node);
    }
}
