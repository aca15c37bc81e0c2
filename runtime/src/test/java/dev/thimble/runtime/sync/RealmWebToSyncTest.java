package dev.thimble.runtime.sync;

import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes made through the client API by the real, unmodified realm-web SDK (Node) reach two synced
 * Realm clients: an insert, an update of one field, and a delete.
 */
class RealmWebToSyncTest {
    static final Path TEST_CLIENTS = Path.of("..", "test-clients").toAbsolutePath().normalize();
    /** Logs in anonymously with realm-web and runs one MongoDB action on shop.items; prints the result as EJSON. */
    static final String SCRIPT = """
            import * as Realm from 'realm-web';
            const app = new Realm.App({ id: process.env.THIMBLE_APP_ID, baseUrl: process.env.THIMBLE_BASE_URL });
            const user = await app.logIn(Realm.Credentials.anonymous(false));
            const items = user.mongoClient('mongodb-atlas').db('shop').collection('items');
            const id = new Realm.BSON.ObjectId(process.env.ITEM_ID);
            let result;
            switch (process.env.ACTION) {
              case 'insert': result = await items.insertOne({ _id: id, owner_id: 'web', name: 'from realm-web', price: 4.5 }); break;
              case 'update': result = await items.updateOne({ _id: id }, { $set: { name: 'renamed by realm-web' } }); break;
              case 'delete': result = await items.deleteOne({ _id: id }); break;
            }
            console.log(JSON.stringify(result));
            """;

    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    static String realmWeb(String action, ObjectId id) throws Exception {
        if (!Files.isDirectory(TEST_CLIENTS.resolve("node_modules/realm-web"))) {
            throw new IllegalStateException("realm-web is not installed: run `npm ci` in " + TEST_CLIENTS);
        }
        Path output = Files.createTempFile(SERVER.temp(), "realm-web", ".out");
        ProcessBuilder builder = new ProcessBuilder("node", "--input-type=module", "-e", SCRIPT)
                .directory(TEST_CLIENTS.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of("THIMBLE_APP_ID", SERVER.host().app().clientAppId(), "THIMBLE_BASE_URL", SERVER.host().baseUrl(),
                "ITEM_ID", id.toHexString(), "ACTION", action));
        Process process = builder.start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(finished && process.exitValue() == 0).as("realm-web %s: %s", action, text).isTrue();
        return text;
    }

    @Test
    void realmWebWritesReachBothSyncedClients() throws Exception {
        try (RealmSyncClient a = SyncApps.client(SERVER.host(), Files.createDirectories(SERVER.temp().resolve("a")));
             RealmSyncClient b = SyncApps.client(SERVER.host(), Files.createDirectories(SERVER.temp().resolve("b")))) {
            assertThat(a.subscribe("Item", "owner_id == \"web\"").complete()).isTrue();
            assertThat(b.subscribe("Item", "name BEGINSWITH \"from\" OR name BEGINSWITH \"renamed\"").complete()).isTrue();
            ObjectId id = new ObjectId();

            assertThat(realmWeb("insert", id)).contains(id.toHexString());
            Map<String, Object> inserted = Map.of("owner_id", "web", "name", "from realm-web", "price", 4.5);
            for (RealmSyncClient client : List.of(a, b)) {
                assertThat(eventually(() -> inserted.equals(client.get("Item", id, List.of("owner_id", "name", "price"))) ? "ok" : null))
                        .as("the realm-web insert on a client").isEqualTo("ok");
            }

            assertThat(realmWeb("update", id)).contains("\"modifiedCount\":1");
            for (RealmSyncClient client : List.of(a, b)) {
                assertThat(eventually(() -> {
                    Map<String, Object> v = client.get("Item", id, List.of("name", "price"));
                    return v != null && "renamed by realm-web".equals(v.get("name")) ? v : null;
                })).isEqualTo(Map.of("name", "renamed by realm-web", "price", 4.5));
            }

            assertThat(realmWeb("delete", id)).contains("\"deletedCount\":1");
            for (RealmSyncClient client : List.of(a, b)) {
                assertThat(eventually(() -> client.get("Item", id, List.of("name")) == null ? "gone" : null)).isEqualTo("gone");
            }
        }
    }
}
