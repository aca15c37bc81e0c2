package dev.thimble.runtime.sync;

import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.thimble.runtime.sync.SyncCollectionsTest.SCHEMA;
import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listInsert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real clients online editing one list concurrently, with the live delivery of B's edit to A held
 * (a gate on the server's change worker) until A's own upload has been integrated after it and
 * acknowledged: B's edit must still reach A before that acknowledgement, naming the uploads of A it was
 * merged past, or A applies it untransformed and keeps a list nobody else has (issue 19, decision
 * record "sync types", online race).
 */
class SyncListOnlineRaceTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    @AfterEach
    void openTheGate() {
        SyncService.beforeDeliveryForTests = null;
    }

    private static RealmSyncClient client(String name, String owner) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve(name)), SCHEMA);
        assertThat(client.subscribe("Basket", "owner_id == \"" + owner + "\"").complete()).isTrue();
        return client;
    }

    private static List<String> mongoItems(ObjectId id) {
        Document doc = SERVER.host().database().database("shop").getCollection("baskets").find(new Document("_id", id)).first();
        return doc == null ? null : doc.getList("items", String.class);
    }

    /** Both clients and MongoDB hold the same list of {@code size} elements; returns it (null when they never agree). */
    private static List<?> converged(RealmSyncClient a, RealmSyncClient b, ObjectId id, int size) throws InterruptedException {
        List<?> onA = eventually(() -> {
            Object fromA = a.collection("Basket", id, "items");
            Object fromB = b.collection("Basket", id, "items");
            List<String> inMongo = mongoItems(id);
            return fromA instanceof List<?> l && l.size() == size && l.equals(fromB) && l.equals(inMongo) ? l : null;
        });
        assertThat(onA).as("A %s, B %s, MongoDB %s", a.collection("Basket", id, "items"), b.collection("Basket", id, "items"),
                mongoItems(id)).isNotNull();
        return onA;
    }

    @Test
    void anEditIntegratedBeforeAnOnlineUploadReachesTheUploaderBeforeItsAcknowledgement() throws Exception {
        try (RealmSyncClient a = client("race-a", "race"); RealmSyncClient b = client("race-b", "race")) {
            ObjectId id = new ObjectId();
            a.create("Basket", id, java.util.Map.of("owner_id", "race"));
            a.edit("Basket", id, "items", listInsert(0, "a"), listInsert(1, "b"), listInsert(2, "c"));
            a.waitForUpload();
            assertThat(SyncCollectionsTest.holds(b, id, "items", List.of("a", "b", "c"))).isEqualTo(List.of("a", "b", "c"));

            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean armed = new AtomicBoolean(true);
            SyncService.beforeDeliveryForTests = changes -> {
                if (changes.stream().anyMatch(c -> c.table().equals("Basket")) && armed.compareAndSet(true, false)) {
                    held.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            try {
                b.edit("Basket", id, "items", listErase(2)); // B drops "c"
                b.waitForUpload();
                assertThat(held.await(60, TimeUnit.SECONDS)).as("B's edit on its way to A is held").isTrue();
                // A has not seen B's erase: it inserts before "b"; the server merges the insert past the erase.
                a.edit("Basket", id, "items", listInsert(1, "from-a"));
                a.waitForUpload(); // acknowledged while the live delivery of B's edit is still held
                assertThat(mongoItems(id)).isEqualTo(List.of("a", "from-a", "b"));
            } finally {
                release.countDown();
            }
            a.waitForDownload();
            b.waitForDownload();
            // Untransformed on A, B's "erase index 2" would drop "b" there instead of "c": [a, from-a, c].
            assertThat(converged(a, b, id, 3)).isEqualTo(List.of("a", "from-a", "b"));
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }
}
