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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listClear;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listInsert;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listMove;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listSet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that made more than realm-core's 128 KB upload limit of changes offline uploads them in several
 * messages, all based on the same old server version (decision records 0057, 0058). Its later changesets
 * must be merged past the other clients' list edits as its client holds them after its earlier changesets
 * (the reciprocal history kept per client file), also when the server restarts between the messages:
 * both clients and MongoDB (read with the driver) end with the same lists.
 */
class SyncSplitUploadTest {
    @TempDir
    Path temp;
    AppHost host;
    /** Per client file, the upload messages the server received with changesets: each a list of (client version, server version seen). */
    final Map<Long, List<List<long[]>>> uploadMessages = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        SyncConnection.beforeUploadForTests = null;
        if (host != null) {
            host.close();
        }
    }

    AppHost start(int port) {
        return AppHost.start(AppBundles.read(SyncApps.BUNDLE).app(), AppHost.HostSettings.of("127.0.0.1", port,
                DatabaseSettings.embedded(temp.resolve("db")), new SecretStore(temp.resolve("secrets.json"))));
    }

    RealmSyncClient client(String name, String owner) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(host.baseUrl(), host.app().clientAppId(), Files.createDirectories(temp.resolve(name)),
                SyncCollectionsTest.SCHEMA);
        assertThat(client.subscribe("Basket", "owner_id == \"" + owner + "\"").complete()).isTrue();
        return client;
    }

    List<String> mongoItems(ObjectId id) {
        Document doc = host.database().database("shop").getCollection("baskets").find(new Document("_id", id)).first();
        return doc == null ? null : doc.getList("items", String.class);
    }

    /** Records every upload message with changesets (the server's own trace of what the client sent). */
    void traceUploads(SyncConnection.UploadHook also) {
        SyncConnection.beforeUploadForTests = (service, fileIdent, batch) -> {
            List<long[]> changesets = new ArrayList<>();
            batch.forEach(u -> changesets.add(new long[] {u.upload().clientVersion(), u.upload().serverVersionSeen()}));
            uploadMessages.computeIfAbsent(fileIdent, k -> new CopyOnWriteArrayList<>()).add(changesets);
            if (also != null) {
                also.before(service, fileIdent, batch);
            }
        };
    }

    /** The most upload messages one client file sent whose changesets were all based on one server version. */
    int mostMessagesOnOneBase() {
        return uploadMessages.keySet().stream().mapToInt(this::messagesOnOneBase).max().orElse(0);
    }

    private int messagesOnOneBase(long file) {
        Map<Long, Integer> perBase = new java.util.HashMap<>();
        for (List<long[]> m : uploadMessages.get(file)) {
            m.stream().map(c -> c[1]).distinct().forEach(base -> perBase.merge(base, 1, Integer::sum));
        }
        return perBase.values().stream().max(Integer::compare).orElse(0);
    }

    /** The client file that split its upload (A's). */
    long splitFile() {
        return uploadMessages.keySet().stream().filter(f -> messagesOnOneBase(f) >= 2).findFirst().orElseThrow();
    }

    /** How many reciprocal edits the server keeps for a client file (decision record 0058). */
    long reciprocalEntries(long file) {
        return host.database().database(AppHost.stateDatabaseName(host.app().clientAppId())).getCollection("sync_reciprocal")
                .countDocuments(new Document("file", file));
    }

    /** Once A uploads a changeset based on a newer server version, the server drops what it kept for A's split upload. */
    void assertTrimmedAfterANewerUpload(RealmSyncClient a, ObjectId id) throws InterruptedException {
        long file = splitFile();
        a.edit("Basket", id, "items", listInsert(0, "later"));
        a.waitForUpload();
        assertThat(eventually(() -> reciprocalEntries(file) == 0 ? "trimmed" : null)).as("entries left: %s", reciprocalEntries(file))
                .isEqualTo("trimmed");
    }

    /** Four baskets [x, y, z], created on A and held by B. */
    List<ObjectId> baskets(RealmSyncClient a, RealmSyncClient b, String owner) throws Exception {
        List<ObjectId> ids = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            ObjectId id = new ObjectId();
            a.create("Basket", id, Map.of("owner_id", owner));
            a.edit("Basket", id, "items", listInsert(0, "x"), listInsert(1, "y"), listInsert(2, "z"));
            ids.add(id);
        }
        a.waitForUpload();
        for (ObjectId id : ids) {
            assertThat(SyncCollectionsTest.holds(b, id, "items", List.of("x", "y", "z"))).isEqualTo(List.of("x", "y", "z"));
        }
        return ids;
    }

    /**
     * A, offline: puts a0 at the front of three baskets and replaces the fourth's content with [p, q]; then writes
     * about 140 KB into a basket of its own (so the real client ends its first upload message there); then sets y
     * in the first, moves y to the front in the second, inserts before y in the third and between p and q in the
     * fourth. B meanwhile erases y from the first three and x from the fourth, and syncs first.
     */
    void writeOfflineSplitAcrossMessages(RealmSyncClient a, RealmSyncClient b, List<ObjectId> ids, String owner) throws Exception {
        a.goOffline();
        for (ObjectId id : ids.subList(0, 3)) {
            a.edit("Basket", id, "items", listInsert(0, "a0"));
        }
        a.edit("Basket", ids.get(3), "items", listClear(), listInsert(0, "p"), listInsert(1, "q"));
        ObjectId filler = new ObjectId();
        a.create("Basket", filler, Map.of("owner_id", owner + "-filler"));
        RealmSyncClient.CollectionWrite[] bulk = new RealmSyncClient.CollectionWrite[140];
        for (int i = 0; i < bulk.length; i++) {
            bulk[i] = listInsert(i, i + ":" + "f".repeat(1000));
        }
        a.edit("Basket", filler, "items", bulk);
        // In A's view each basket is [a0, x, y, z].
        a.edit("Basket", ids.get(0), "items", listSet(2, "Y"));
        a.edit("Basket", ids.get(1), "items", listMove(2, 0));
        a.edit("Basket", ids.get(2), "items", listInsert(2, "a2"));
        a.edit("Basket", ids.get(3), "items", listInsert(1, "r"));
        for (ObjectId id : ids.subList(0, 3)) {
            b.edit("Basket", id, "items", listErase(1));
        }
        b.edit("Basket", ids.get(3), "items", listErase(0));
        b.waitForUpload();
    }

    /** Both clients and MongoDB hold the same list; returns A's (or fails naming all three). */
    List<?> converged(RealmSyncClient a, RealmSyncClient b, ObjectId id) throws InterruptedException {
        return converged(a, b, id, this::mongoItems);
    }

    /** Both clients and MongoDB (a basket's items as the driver reads them) hold the same list; returns A's (or fails naming all three). */
    static List<?> converged(RealmSyncClient a, RealmSyncClient b, ObjectId id, java.util.function.Function<ObjectId, List<String>> mongoItems)
            throws InterruptedException {
        List<?> onA = eventually(() -> {
            Object fromA = a.collection("Basket", id, "items");
            Object fromB = b.collection("Basket", id, "items");
            List<String> inMongo = mongoItems.apply(id);
            return fromA instanceof List<?> l && l.equals(fromB) && l.equals(inMongo) ? l : null;
        });
        assertThat(onA).as("A %s, B %s, MongoDB %s", a.collection("Basket", id, "items"), b.collection("Basket", id, "items"),
                mongoItems.apply(id)).isNotNull();
        return onA;
    }

    /**
     * Once A has uploaded everything: it did so in several messages on one base server version, both clients and
     * MongoDB hold realm-core's result, and what the server kept for the split is trimmed after A's next upload.
     */
    void assertSplitAndConverged(RealmSyncClient a, RealmSyncClient b, List<ObjectId> ids) throws InterruptedException {
        a.waitForUpload();
        a.waitForDownload();
        b.waitForDownload();
        assertThat(mostMessagesOnOneBase()).as("upload messages on one base server version").isGreaterThanOrEqualTo(2);
        assertRealmCoreResult(a, b, ids);
        assertTrimmedAfterANewerUpload(a, ids.get(0));
    }

    /**
     * realm-core's result: B's erase of y wins over A's update and move of it; A's inserts land where A put them;
     * A's clear discards B's erase, so A's later insert meets nothing.
     */
    void assertRealmCoreResult(RealmSyncClient a, RealmSyncClient b, List<ObjectId> ids) throws InterruptedException {
        assertThat(converged(a, b, ids.get(0))).isEqualTo(List.of("a0", "x", "z"));
        assertThat(converged(a, b, ids.get(1))).isEqualTo(List.of("a0", "x", "z"));
        assertThat(converged(a, b, ids.get(2))).isEqualTo(List.of("a0", "x", "a2", "z"));
        assertThat(converged(a, b, ids.get(3))).isEqualTo(List.of("p", "r", "q"));
    }

    @Test
    void listEditsUploadedInSeveralMessagesOnOneOldServerVersionConvergeOnBothClientsAndMongoDb() throws Exception {
        host = start(0);
        try (RealmSyncClient a = client("split-a", "split"); RealmSyncClient b = client("split-b", "split")) {
            List<ObjectId> ids = baskets(a, b, "split");
            writeOfflineSplitAcrossMessages(a, b, ids, "split");
            traceUploads(null);
            a.goOnline();
            assertSplitAndConverged(a, b, ids);
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /**
     * realm-core discards every concurrent edit inside a cleared list, so a client's changesets after its own clear
     * meet none of them; the server used to merge them past the concurrent edits as integrated (one message here).
     */
    @Test
    void changesetsAfterTheClientsOwnClearAreNotMergedPastEditsTheClearDiscarded() throws Exception {
        host = start(0);
        try (RealmSyncClient a = client("clear-a", "clear"); RealmSyncClient b = client("clear-b", "clear")) {
            ObjectId id = baskets(a, b, "clear").getFirst();
            a.goOffline();
            a.edit("Basket", id, "items", listClear(), listInsert(0, "p"), listInsert(1, "q"));
            a.edit("Basket", id, "items", listInsert(1, "r"));
            b.edit("Basket", id, "items", listErase(0));
            b.waitForUpload();
            a.goOnline();
            a.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();
            assertThat(converged(a, b, id)).isEqualTo(List.of("p", "r", "q"));
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    @Test
    void theServerRestartingBetweenTheMessagesStillConverges() throws Exception {
        host = start(0);
        int port = java.net.URI.create(host.baseUrl()).getPort();
        try (RealmSyncClient a = client("restart-a", "restart"); RealmSyncClient b = client("restart-b", "restart")) {
            List<ObjectId> ids = baskets(a, b, "restart");
            writeOfflineSplitAcrossMessages(a, b, ids, "restart");
            CountDownLatch secondMessage = new CountDownLatch(1);
            CountDownLatch serverDown = new CountDownLatch(1);
            traceUploads((service, fileIdent, batch) -> {
                if (uploadMessages.get(fileIdent).size() == 2 && secondMessage.getCount() > 0) {
                    // The first message is integrated; the server goes down before this one is.
                    secondMessage.countDown();
                    try {
                        serverDown.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("the server stopped before this upload message");
                }
            });
            a.goOnline();
            assertThat(secondMessage.await(60, TimeUnit.SECONDS)).as("A's second upload message").isTrue();
            host.close();
            serverDown.countDown();
            host = start(port);
            assertThat(reciprocalEntries(splitFile())).as("B's erases as A holds them after its first message, kept across the restart")
                    .isPositive();
            a.reconnect();
            b.reconnect();
            assertSplitAndConverged(a, b, ids);
        }
    }
}
