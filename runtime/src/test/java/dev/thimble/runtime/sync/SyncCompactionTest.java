package dev.thimble.runtime.sync;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.sync.realmc.CollectionWrites;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded server history: a client offline for longer than it reaches back gets a client reset, not a
 * partial catch-up; recorded list edits no client can still need are deleted, and merging goes on.
 */
class SyncCompactionTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer().withStartProperty("thimble.sync.historyLimit", "20")
            .withStartProperty("thimble.sync.listOpsCompactMillis", "0");

    @Test
    void aClientBehindTheCompactedHistoryIsToldToResetAndARecentOneResumes() throws Exception {
        var items = SERVER.host().database().database("shop").getCollection("items");
        var history = SERVER.host().database().database(AppHost.stateDatabaseName(SERVER.host().app().clientAppId())).getCollection("sync_history");
        try (RealmSyncClient behind = SyncApps.client(SERVER.host(), Files.createDirectories(SERVER.temp().resolve("behind")));
             RealmSyncClient recent = SyncApps.client(SERVER.host(), Files.createDirectories(SERVER.temp().resolve("recent")))) {
            assertThat(behind.subscribe("Item", "owner_id == \"compact\"").complete()).isTrue();
            assertThat(recent.subscribe("Item", "owner_id == \"compact\"").complete()).isTrue();
            behind.goOffline();
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                docs.add(new Document("_id", new ObjectId()).append("owner_id", "compact").append("name", "n" + i));
            }
            items.insertMany(docs);
            ObjectId last = docs.getLast().getObjectId("_id");
            // The recent client follows the changes live; the history keeps only the newest entries.
            assertThat(eventually(() -> recent.get("Item", last, List.of("name")) != null ? "held" : null))
                    .isEqualTo("held");
            assertThat(eventually(() -> history.countDocuments() <= 22 ? "compacted" : null)).isEqualTo("compacted");

            behind.goOnline();
            assertThat(eventually(() -> behind.syncErrors().stream().anyMatch(e -> e.contains("expired")) ? "reset" : null))
                    .as("sync errors: %s", behind.syncErrors()).isEqualTo("reset");
            // The recent client's history was kept: it goes on syncing.
            recent.update("Item", last, Map.of("name", "still syncing"));
            recent.waitForUpload();
            assertThat(items.find(new Document("_id", last)).first().getString("name")).isEqualTo("still syncing");
            assertThat(recent.syncErrors()).isEmpty();
        }
    }

    /**
     * A client edits a list element by element while another follows live: the recorded edits below every
     * client file's upload cursor are deleted as they go (not kept forever), both clients keep reporting
     * their progress, and a later concurrent edit while one is offline still merges and converges.
     */
    @Test
    void recordedListEditsNoClientNeedsAreCompactedAndListsStillMerge() throws Exception {
        var state = SERVER.host().database().database(AppHost.stateDatabaseName(SERVER.host().app().clientAppId()));
        var listOps = state.getCollection("sync_list_ops");
        var baskets = SERVER.host().database().database("shop").getCollection("baskets");
        try (RealmSyncClient a = basketClient("ops-a"); RealmSyncClient b = basketClient("ops-b")) {
            ObjectId id = new ObjectId();
            a.create("Basket", id, Map.of("owner_id", "ops-compact"));
            a.waitForUpload();
            List<String> expected = new ArrayList<>();
            int recorded = Integer.MAX_VALUE;
            for (int i = 0; i < 30 && !(i >= 10 && recorded <= 5); i++) {
                a.edit("Basket", id, "items", CollectionWrites.listInsert(i, "e" + i));
                a.waitForUpload();
                expected.add("e" + i);
                List<String> now = List.copyOf(expected);
                assertThat(eventually(() -> now.equals(b.collection("Basket", id, "items")) ? "held" : null)).isEqualTo("held");
                b.waitForUpload(); // B reports how far it has integrated
                recorded = (int) listOps.countDocuments(new Document("key", new Document("$regex", id.toHexString())));
            }
            assertThat(expected.size()).isGreaterThanOrEqualTo(10);
            assertThat(recorded).as("recorded edits of the basket after %s edits", expected.size()).isLessThanOrEqualTo(5);

            // Merging still works after compaction: B inserts offline, A inserts later, both keep their element.
            b.goOffline();
            b.edit("Basket", id, "items", CollectionWrites.listInsert(0, "from-b"));
            SyncListMergeTest.later();
            a.edit("Basket", id, "items", CollectionWrites.listInsert(0, "from-a"));
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            a.waitForDownload();
            List<Object> merged = new ArrayList<>(List.of("from-b", "from-a"));
            merged.addAll(expected);
            assertThat(eventually(() -> merged.equals(a.collection("Basket", id, "items")) && merged.equals(b.collection("Basket", id, "items"))
                    && merged.equals(baskets.find(new Document("_id", id)).first().getList("items", String.class)) ? "yes" : null))
                    .as("A %s, B %s, errors A %s B %s", a.collection("Basket", id, "items"), b.collection("Basket", id, "items"),
                            a.syncErrors(), b.syncErrors()).isEqualTo("yes");
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /**
     * A client file that synced once and went away while a list was edited long enough for the history
     * to move past it: its recorded list edits are compacted without waiting for it, and when it comes back
     * claiming an up-to-date server version it is told to reset (222), since any unsynced list edits it has
     * could no longer be merged as realm-core merges them.
     */
    @Test
    void aFileBehindTheCompactedListEditsIsResetWhenItComesBack() throws Exception {
        var counters = SERVER.host().database().database(AppHost.stateDatabaseName(SERVER.host().app().clientAppId())).getCollection("sync_counters");
        String appId = SERVER.host().app().clientAppId();
        String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
        SyncRouteTest.Frames frames = new SyncRouteTest.Frames();
        var ws = SyncRouteTest.http.newWebSocketBuilder().subprotocols(SyncRoute.SUBPROTOCOL).buildAsync(syncUri(appId), frames)
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        SyncRouteTest.send(ws, "bind 1 " + bind.length() + " 0 1 0\n" + bind);
        String[] ident = frames.next().trim().split(" ");
        SyncRouteTest.send(ws, "ident 1 " + ident[2] + " " + ident[3] + " 0 0 0 0 0 2\n{}");
        assertThat(frames.next()).startsWith("download 1 ");
        ws.abort();
        long away = serverVersion(counters);

        try (RealmSyncClient a = basketClient("away-a")) {
            ObjectId id = new ObjectId();
            a.create("Basket", id, Map.of("owner_id", "ops-compact"));
            for (int i = 0; i < 30; i++) {
                a.edit("Basket", id, "items", CollectionWrites.listInsert(i, "e" + i));
                a.waitForUpload();
            }
            assertThat(eventually(() -> {
                Document d = counters.find(new Document("_id", "list_ops_compacted_through")).first();
                return d != null && ((Number) d.get("seq")).longValue() > away ? "compacted" : null;
            })).as("list edits compacted past the absent file").isEqualTo("compacted");
        }

        long now = serverVersion(counters);
        SyncRouteTest.Frames back = new SyncRouteTest.Frames();
        var again = SyncRouteTest.http.newWebSocketBuilder().subprotocols(SyncRoute.SUBPROTOCOL).buildAsync(syncUri(appId), back)
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        SyncRouteTest.send(again, "bind 1 " + bind.length() + " 0 0 0\n" + bind);
        SyncRouteTest.send(again, "ident 1 " + ident[2] + " " + ident[3] + " " + now + " 0 0 0 0 2\n{}");
        String error = back.next();
        assertThat(error).startsWith("json_error 222 ").contains("ClientReset").contains("list edits");
        again.abort();
    }

    private static long serverVersion(com.mongodb.client.MongoCollection<Document> counters) {
        Document d = counters.find(new Document("_id", "server_version")).first();
        return d == null ? 1 : ((Number) d.get("seq")).longValue();
    }

    private static java.net.URI syncUri(String appId) {
        String token = SERVER.host().auth().login("anon-user", new Document(), "127.0.0.1", null).accessToken();
        return java.net.URI.create(SERVER.host().baseUrl().replaceFirst("^http", "ws") + "/api/client/v2.0/app/" + appId
                + "/realm-sync?baas_at=" + token);
    }

    private static RealmSyncClient basketClient(String name) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve(name)), SyncCollectionsTest.SCHEMA);
        assertThat(client.subscribe("Basket", "owner_id == \"ops-compact\"").complete()).isTrue();
        return client;
    }
}
