package dev.thimble.runtime.sync;

import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Flexible sync end to end with the real Realm sync client against a served app on the embedded database. */
class FlexibleSyncTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    static RealmSyncClient client(String name) throws Exception {
        return SyncApps.client(SERVER.host(), Files.createDirectories(SERVER.temp().resolve(name)));
    }

    static Document mongo(ObjectId id) {
        return SERVER.host().database().database("shop").getCollection("items").find(new Document("_id", id)).first();
    }

    static <T> T eventually(Supplier<T> probe) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        T value = probe.get();
        while (value == null && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            value = probe.get();
        }
        return value;
    }

    @Test
    void aClientWriteBecomesAMongoDocument() throws Exception {
        try (RealmSyncClient client = client("writer")) {
            assertThat(client.subscribe("Item", "owner_id == \"alice\"")).isEqualTo(new RealmSyncClient.SubscriptionOutcome(true, null));
            ObjectId id = new ObjectId();
            client.create("Item", id, Map.of("owner_id", "alice", "name", "lamp", "price", 12.5, "quantity", 3L, "in_stock", true));
            client.waitForUpload();
            Document doc = mongo(id);
            assertThat(doc).isNotNull();
            assertThat(doc.getString("owner_id")).isEqualTo("alice");
            assertThat(doc.getString("name")).isEqualTo("lamp");
            assertThat(doc.getDouble("price")).isEqualTo(12.5);
            assertThat(((Number) doc.get("quantity")).longValue()).isEqualTo(3L);
            assertThat(doc.getBoolean("in_stock")).isTrue();
        }
    }

    @Test
    void aDriverWriteReachesTheSubscribedClient() throws Exception {
        try (RealmSyncClient client = client("reader")) {
            assertThat(client.subscribe("Item", "owner_id == \"bob\"").complete()).isTrue();
            ObjectId id = new ObjectId();
            SERVER.host().database().database("shop").getCollection("items")
                    .insertOne(new Document("_id", id).append("owner_id", "bob").append("name", "chair").append("price", 40.0));
            Map<String, Object> seen = eventually(() -> {
                Map<String, Object> v = client.get("Item", id, List.of("owner_id", "name", "price"));
                return v != null && "chair".equals(v.get("name")) ? v : null;
            });
            assertThat(seen).isEqualTo(Map.of("owner_id", "bob", "name", "chair", "price", 40.0));
        }
    }

    @Test
    void existingDocumentsArriveInTheBootstrap() throws Exception {
        ObjectId id = new ObjectId();
        SERVER.host().database().database("shop").getCollection("items")
                .insertOne(new Document("_id", id).append("owner_id", "carol").append("name", "desk"));
        try (RealmSyncClient client = client("bootstrap")) {
            assertThat(client.subscribe("Item", "owner_id == \"carol\"").complete()).isTrue();
            assertThat(client.get("Item", id, List.of("name"))).isEqualTo(Map.of("name", "desk"));
        }
    }

    @Test
    void twoClientsConverge() throws Exception {
        try (RealmSyncClient a = client("a"); RealmSyncClient b = client("b")) {
            assertThat(a.subscribe("Item", "owner_id == \"team\"").complete()).isTrue();
            assertThat(b.subscribe("Item", "owner_id == \"team\"").complete()).isTrue();
            ObjectId id = new ObjectId();
            a.create("Item", id, Map.of("owner_id", "team", "name", "board"));
            a.waitForUpload();
            assertThat(eventually(() -> {
                Map<String, Object> v = b.get("Item", id, List.of("name"));
                return v != null && "board".equals(v.get("name")) ? v : null;
            })).isEqualTo(Map.of("name", "board"));
            b.update("Item", id, Map.of("name", "whiteboard"));
            b.waitForUpload();
            assertThat(eventually(() -> {
                Map<String, Object> v = a.get("Item", id, List.of("name"));
                return v != null && "whiteboard".equals(v.get("name")) ? v : null;
            })).isEqualTo(Map.of("name", "whiteboard"));
            assertThat(mongo(id).getString("name")).isEqualTo("whiteboard");
        }
    }

    @Test
    void aSubscriptionOnANonQueryableFieldGetsAQueryError() throws Exception {
        try (RealmSyncClient client = client("badquery")) {
            RealmSyncClient.SubscriptionOutcome outcome = client.subscribe("Item", "note == \"x\"");
            assertThat(outcome.complete()).isFalse();
            assertThat(outcome.error()).contains("\"note\" is not a queryable field");
        }
    }

    @Test
    void offlineWritesTheClientUploadsCompressedAreAllWrittenToMongoDb() throws Exception {
        // Over 1 KiB of changesets: realm-core compresses the upload body (zlib) and the server must inflate it.
        try (RealmSyncClient client = client("bulk")) {
            assertThat(client.subscribe("Item", "owner_id == \"bulk\"").complete()).isTrue();
            client.goOffline();
            Map<Object, Map<String, Object>> big = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 300; i++) {
                big.put(new ObjectId(), Map.of("owner_id", "bulk", "name", "item number " + i, "quantity", (long) i));
            }
            client.createAll("Item", big);
            for (int t = 0; t < 20; t++) {
                client.createAll("Item", Map.of(new ObjectId(), Map.of("owner_id", "bulk", "name", "single " + t)));
            }
            client.goOnline();
            client.waitForUpload();
            var items = SERVER.host().database().database("shop").getCollection("items");
            assertThat(items.countDocuments(new Document("owner_id", "bulk"))).isEqualTo(320);
            ObjectId last = (ObjectId) big.keySet().stream().reduce((a, b) -> b).orElseThrow();
            assertThat(items.find(new Document("_id", last)).first()).containsEntry("name", "item number 299").containsEntry("quantity", 299L);
            assertThat(client.syncErrors()).isEmpty();
        }
    }
}

