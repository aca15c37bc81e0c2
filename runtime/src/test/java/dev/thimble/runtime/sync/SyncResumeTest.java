package dev.thimble.runtime.sync;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History and resumption with the real Realm sync client: the server restarts mid-session and the
 * client resumes where it was (no client reset, no protocol error), receiving what changed while it
 * was away and uploading what it wrote meanwhile.
 */
class SyncResumeTest {
    @TempDir
    Path temp;
    AppHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    AppHost start(int port) {
        return AppHost.start(AppBundles.read(SyncApps.BUNDLE).app(), AppHost.HostSettings.of("127.0.0.1", port,
                DatabaseSettings.embedded(temp.resolve("db")), new SecretStore(temp.resolve("secrets.json"))));
    }

    Document mongo(ObjectId id) {
        return host.database().database("shop").getCollection("items").find(new Document("_id", id)).first();
    }

    static <T> T eventually(Supplier<T> probe) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        T value = probe.get();
        while (value == null && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            value = probe.get();
        }
        return value;
    }

    static Map<String, Object> named(RealmSyncClient client, ObjectId id, String name) {
        Map<String, Object> v = client.get("Item", id, List.of("name"));
        return v != null && name.equals(v.get("name")) ? v : null;
    }

    @Test
    void theClientResumesAfterTheServerRestarts() throws Exception {
        host = start(0);
        int port = java.net.URI.create(host.baseUrl()).getPort();
        try (RealmSyncClient client = SyncApps.client(host, Files.createDirectories(temp.resolve("client")));
             RealmSyncClient other = SyncApps.client(host, Files.createDirectories(temp.resolve("other")))) {
            assertThat(client.subscribe("Item", "owner_id == \"resume\"").complete()).isTrue();
            // A second client stays connected while the server goes down and comes back.
            assertThat(other.subscribe("Item", "owner_id == \"resume\"").complete()).isTrue();
            ObjectId before = new ObjectId();
            client.create("Item", before, Map.of("owner_id", "resume", "name", "before restart"));
            client.waitForUpload();
            Document deleted = new Document("_id", new ObjectId()).append("owner_id", "resume").append("name", "to be deleted");
            host.database().database("shop").getCollection("items").insertOne(deleted);
            assertThat(eventually(() -> named(client, deleted.getObjectId("_id"), "to be deleted"))).isNotNull();

            client.goOffline(); // so that it reconnects only once the changes below are made
            host.close();
            // While the server is down: the client writes, and the database changes by other means.
            ObjectId offline = new ObjectId();
            client.create("Item", offline, Map.of("owner_id", "resume", "name", "written while the server was down"));
            host = start(port);
            ObjectId added = new ObjectId();
            var history = host.database().database(AppHost.stateDatabaseName(host.app().clientAppId())).getCollection("sync_history");
            long versions = history.countDocuments();
            var items = host.database().database("shop").getCollection("items");
            items.insertOne(new Document("_id", added).append("owner_id", "resume").append("name", "added while away"));
            items.updateOne(new Document("_id", before), new Document("$set", new Document("name", "renamed while away")));
            items.deleteOne(new Document("_id", deleted.getObjectId("_id")));
            // Once the three changes are in the server's history, the client catches up on them as it resumes.
            assertThat(eventually(() -> history.countDocuments() >= versions + 3 ? "in history" : null)).isEqualTo("in history");
            client.goOnline();
            other.reconnect(); // the connection it lost with the server: retry now rather than after the client's back-off

            client.waitForUpload();
            assertThat(mongo(offline)).isNotNull();
            assertThat(mongo(offline).getString("name")).isEqualTo("written while the server was down");
            assertThat(eventually(() -> named(client, added, "added while away"))).isNotNull();
            assertThat(eventually(() -> named(client, before, "renamed while away"))).isNotNull();
            assertThat(eventually(() -> client.get("Item", deleted.getObjectId("_id"), List.of("name")) == null ? "gone" : null))
                    .isEqualTo("gone");
            assertThat(client.syncErrors()).isEmpty();
            // The session goes on syncing after the resume.
            client.update("Item", added, Map.of("name", "edited after resume"));
            client.waitForUpload();
            assertThat(mongo(added).getString("name")).isEqualTo("edited after resume");
            // The other client resumed too, without a reset: it holds what changed while the server was away and after.
            assertThat(eventually(() -> named(other, offline, "written while the server was down"))).isNotNull();
            assertThat(eventually(() -> named(other, before, "renamed while away"))).isNotNull();
            assertThat(eventually(() -> named(other, added, "edited after resume"))).isNotNull();
            assertThat(eventually(() -> other.get("Item", deleted.getObjectId("_id"), List.of("name")) == null ? "gone" : null))
                    .isEqualTo("gone");
            other.update("Item", before, Map.of("name", "from the other client"));
            other.waitForUpload();
            assertThat(eventually(() -> named(client, before, "from the other client"))).isNotNull();
            assertThat(other.syncErrors()).isEmpty();
            assertThat(client.syncErrors()).isEmpty();
        }
    }

    @Test
    void aClientOfflineAndOneOnlineConvergeFieldByField() throws Exception {
        host = start(0);
        try (RealmSyncClient a = SyncApps.client(host, Files.createDirectories(temp.resolve("a")));
             RealmSyncClient b = SyncApps.client(host, Files.createDirectories(temp.resolve("b")))) {
            assertThat(a.subscribe("Item", "owner_id == \"shared\"").complete()).isTrue();
            assertThat(b.subscribe("Item", "owner_id == \"shared\"").complete()).isTrue();
            ObjectId id = new ObjectId();
            ObjectId erased = new ObjectId();
            a.create("Item", id, Map.of("owner_id", "shared", "name", "start", "quantity", 1L, "price", 1.0));
            a.create("Item", erased, Map.of("owner_id", "shared", "name", "will be erased"));
            a.waitForUpload();
            assertThat(eventually(() -> named(b, id, "start"))).isNotNull();
            assertThat(eventually(() -> named(b, erased, "will be erased"))).isNotNull();

            a.goOffline();
            a.update("Item", id, Map.of("name", "offline edit (earlier)", "quantity", 2L));
            a.update("Item", erased, Map.of("name", "offline edit of an erased object"));
            // Later in time, online: the same field, another field, and an erase.
            Thread.sleep(20); // origin timestamps are in milliseconds: B's write must be strictly later than A's
            b.update("Item", id, Map.of("name", "online edit (later)", "price", 9.5));
            b.delete("Item", erased);
            b.waitForUpload();
            a.goOnline();
            a.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();

            Document doc = mongo(id);
            assertThat(doc.getString("name")).isEqualTo("online edit (later)");
            assertThat(((Number) doc.get("quantity")).longValue()).isEqualTo(2L);
            assertThat(doc.getDouble("price")).isEqualTo(9.5);
            Map<String, Object> expected = Map.of("name", "online edit (later)", "quantity", 2L, "price", 9.5);
            List<String> fields = List.of("name", "quantity", "price");
            assertThat(eventually(() -> expected.equals(a.get("Item", id, fields)) ? "ok" : null))
                    .as("client A holds %s", a.get("Item", id, fields)).isEqualTo("ok");
            assertThat(eventually(() -> expected.equals(b.get("Item", id, fields)) ? "ok" : null))
                    .as("client B holds %s", b.get("Item", id, fields)).isEqualTo("ok");
            // The erase wins over the concurrent offline edit, on the server and on both clients.
            assertThat(mongo(erased)).isNull();
            assertThat(a.get("Item", erased, List.of("name"))).isNull();
            assertThat(b.get("Item", erased, List.of("name"))).isNull();
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    @Test
    void fieldsRemovedWhileAClientWasAwayAreClearedOnItWhenItComesBack() throws Exception {
        host = start(0);
        try (RealmSyncClient away = SyncApps.client(host, Files.createDirectories(temp.resolve("away")));
             RealmSyncClient online = SyncApps.client(host, Files.createDirectories(temp.resolve("online")))) {
            assertThat(away.subscribe("Item", "owner_id == \"unset\"").complete()).isTrue();
            assertThat(online.subscribe("Item", "owner_id == \"unset\"").complete()).isTrue();
            ObjectId id = new ObjectId();
            away.create("Item", id, Map.of("owner_id", "unset", "name", "before", "note", "remove me", "price", 2.5));
            away.waitForUpload();
            assertThat(eventually(() -> named(online, id, "before"))).isNotNull();

            away.goOffline();
            // Another app (a function, the data browser, the driver) removes two optional fields and renames the item.
            host.database().database("shop").getCollection("items").updateOne(new Document("_id", id), new Document("$unset",
                    new Document("note", "").append("price", "")).append("$set", new Document("name", "changed while away")));
            // The online client has it: the server has taken the change into its history before the other comes back.
            assertThat(eventually(() -> named(online, id, "changed while away"))).isNotNull();
            away.goOnline();
            away.waitForDownload();

            List<String> fields = List.of("name", "note", "price");
            Map<String, Object> held = eventually(() -> {
                Map<String, Object> now = away.get("Item", id, fields);
                return now != null && "changed while away".equals(now.get("name")) ? now : null;
            });
            assertThat(held).as("what the returning client holds").isNotNull();
            assertThat(held.get("note")).as("a field removed while the client was away, on the client: %s", held).isNull();
            assertThat(held.get("price")).as("the other removed field: %s", held).isNull();
            assertThat(online.get("Item", id, fields).get("note")).isNull();
            assertThat(away.syncErrors()).isEmpty();
        }
    }

    @Test
    void aLaterOfflineEditWinsOverAnEarlierOnlineOne() throws Exception {
        host = start(0);
        try (RealmSyncClient a = SyncApps.client(host, Files.createDirectories(temp.resolve("a")));
             RealmSyncClient b = SyncApps.client(host, Files.createDirectories(temp.resolve("b")))) {
            assertThat(a.subscribe("Item", "owner_id == \"later\"").complete()).isTrue();
            assertThat(b.subscribe("Item", "owner_id == \"later\"").complete()).isTrue();
            ObjectId id = new ObjectId();
            a.create("Item", id, Map.of("owner_id", "later", "name", "start"));
            a.waitForUpload();
            assertThat(eventually(() -> named(b, id, "start"))).isNotNull();

            a.goOffline();
            b.update("Item", id, Map.of("name", "online edit (earlier)"));
            b.waitForUpload();
            Thread.sleep(20); // origin timestamps are in milliseconds: A's write must be strictly later than B's
            a.update("Item", id, Map.of("name", "offline edit (later)"));
            a.goOnline();
            a.waitForUpload();
            a.waitForDownload();

            assertThat(mongo(id).getString("name")).isEqualTo("offline edit (later)");
            assertThat(eventually(() -> named(a, id, "offline edit (later)"))).isNotNull();
            assertThat(eventually(() -> named(b, id, "offline edit (later)"))).isNotNull();
        }
    }
}
