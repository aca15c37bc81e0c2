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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listInsert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that changes its subscriptions and edits a list before the change's bootstrap arrives keeps its edit
 * (decision record 0063): the bootstrap carries the objects entering the view, not the ones the client already holds,
 * so realm-core does not merge a whole list (Clear + elements, older than the edit) past the edit and drop it.
 * Both clients and MongoDB (read with the driver) end with the same list.
 */
class SyncSubscriptionChangeTest {
    @TempDir
    Path temp;
    AppHost host;

    @AfterEach
    void stop() {
        SyncService.beforeDeliveryForTests = null;
        SyncConnection.dropQueryBootstrapForTests = null;
        SyncConnection.withholdQueryBootstrapForTests = null;
        if (host != null) {
            host.close();
        }
    }

    RealmSyncClient client(String name, String owner) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(host.baseUrl(), host.app().clientAppId(), Files.createDirectories(temp.resolve(name)),
                SyncCollectionsTest.SCHEMA);
        assertThat(client.subscribe("Basket", "owner_id == \"" + owner + "\"").complete()).isTrue();
        return client;
    }

    org.bson.Document mongo(ObjectId id) {
        return host.database().database("shop").getCollection("baskets").find(new Document("_id", id)).first();
    }

    List<String> mongoItems(ObjectId id) {
        Document doc = mongo(id);
        return doc == null ? null : doc.getList("items", String.class);
    }

    /** A basket [x, y, z] created on A and held by B. */
    ObjectId basket(RealmSyncClient a, RealmSyncClient b, String owner) throws Exception {
        ObjectId id = new ObjectId();
        a.create("Basket", id, Map.of("owner_id", owner));
        a.edit("Basket", id, "items", listInsert(0, "x"), listInsert(1, "y"), listInsert(2, "z"));
        a.waitForUpload();
        assertThat(SyncCollectionsTest.holds(b, id, "items", List.of("x", "y", "z"))).isEqualTo(List.of("x", "y", "z"));
        return id;
    }

    List<?> converged(RealmSyncClient a, RealmSyncClient b, ObjectId id) throws InterruptedException {
        return SyncSplitUploadTest.converged(a, b, id, this::mongoItems);
    }

    void start() {
        host = AppHost.start(AppBundles.read(SyncApps.BUNDLE).app(), AppHost.HostSettings.of("127.0.0.1", 0,
                DatabaseSettings.embedded(temp.resolve("db")), new SecretStore(temp.resolve("secrets.json"))));
    }

    /** A basket of another owner, written through MongoDB: it enters A's view with the new subscription. */
    ObjectId otherOwnersBasket() {
        ObjectId entering = new ObjectId();
        host.database().database("shop").getCollection("baskets")
                .insertOne(new Document("_id", entering).append("owner_id", "other").append("items", List.of("o1", "o2")));
        return entering;
    }

    /** A's edit is everywhere, the other owner's basket reached A, and neither client saw an error. */
    void assertConverged(RealmSyncClient a, RealmSyncClient b, ObjectId id, ObjectId entering) throws InterruptedException {
        a.waitForUpload();
        a.waitForDownload();
        b.waitForDownload();
        assertThat(converged(a, b, id)).isEqualTo(List.of("x", "n", "y", "z"));
        assertThat(SyncCollectionsTest.holds(a, entering, "items", List.of("o1", "o2"))).as("the object entering A's view")
                .isEqualTo(List.of("o1", "o2"));
        assertThat(a.syncErrors()).isEmpty();
        assertThat(b.syncErrors()).isEmpty();
    }

    /**
     * Reconnects A now rather than after the client's back-off, until the test hook has dropped the connection
     * ({@code armed} false) and A holds the basket entering its view.
     */
    static void reconnectUntilItHolds(RealmSyncClient a, java.util.function.BooleanSupplier armed, ObjectId entering)
            throws InterruptedException {
        assertThat(eventually(() -> {
            a.reconnect();
            return armed.getAsBoolean() ? null : a.get("Basket", entering, List.of("owner_id"));
        })).as("A reconnected after losing the bootstrap and got the object entering its view").isNotNull();
    }

    @Test
    void aListEditedBeforeASubscriptionChangesBootstrapArrivesIsKeptOnItsOwnClient() throws Exception {
        start();
        try (RealmSyncClient a = client("sub-a", "held"); RealmSyncClient b = client("sub-b", "held")) {
            ObjectId id = basket(a, b, "held");
            ObjectId entering = otherOwnersBasket();
            RealmSyncClient.PendingSubscription pending = a.subscribeWithoutWaiting("Basket", "owner_id == \"other\"");
            a.edit("Basket", id, "items", listInsert(1, "n"));
            assertThat(pending.await().complete()).as("the new subscription set completes").isTrue();
            assertConverged(a, b, id, entering);
        }
    }

    /**
     * The connection breaks after the server sent a query change's bootstrap and before the client integrated it:
     * realm-core binds again with its active (older) query version and sends the newer one again. The list edit A made
     * after committing the newer subscription is kept on A, B and in MongoDB (decision record 0064).
     */
    @Test
    void aClientWhoseConnectionBreaksWhileAQueryChangesBootstrapIsOnItsWayKeepsItsListEdit() throws Exception {
        start();
        try (RealmSyncClient a = client("lost-a", "held"); RealmSyncClient b = client("lost-b", "held")) {
            ObjectId id = basket(a, b, "held");
            ObjectId entering = otherOwnersBasket();
            AtomicBoolean armed = new AtomicBoolean(true);
            SyncConnection.dropQueryBootstrapForTests = () -> armed.compareAndSet(true, false);
            RealmSyncClient.PendingSubscription pending = a.subscribeWithoutWaiting("Basket", "owner_id == \"other\"");
            a.edit("Basket", id, "items", listInsert(1, "n"));
            reconnectUntilItHolds(a, armed::get, entering);
            assertThat(pending.await().complete()).as("the new subscription set completes").isTrue();
            assertConverged(a, b, id, entering);
        }
    }

    /**
     * Two query changes' bootstraps lost in a row: A commits two new subscription sets and edits its basket; the server
     * bootstraps both (the first still on its way, the connection breaks on the second) before A integrated either.
     * realm-core binds again with its active set, two versions behind the server's record: A resumes under it with a
     * catch-up (decision record 0065), and its edit is kept on A, B and in MongoDB. Before, only one replaced bootstrap
     * was kept: A got a whole bootstrap and held [x, y, z].
     */
    @Test
    void aClientThatLostTwoQueryChangesBootstrapsInARowKeepsItsListEdit() throws Exception {
        start();
        try (RealmSyncClient a = client("twice-a", "held"); RealmSyncClient b = client("twice-b", "held")) {
            ObjectId id = basket(a, b, "held");
            ObjectId entering = otherOwnersBasket();
            ObjectId third = new ObjectId();
            host.database().database("shop").getCollection("baskets")
                    .insertOne(new Document("_id", third).append("owner_id", "third").append("items", List.of("t1")));
            AtomicBoolean withheld = new AtomicBoolean(true);
            AtomicBoolean dropped = new AtomicBoolean(true);
            SyncConnection.withholdQueryBootstrapForTests = () -> withheld.compareAndSet(true, false);
            SyncConnection.dropQueryBootstrapForTests = () -> !withheld.get() && dropped.compareAndSet(true, false);
            a.subscribeWithoutWaiting("Basket", "owner_id == \"other\"");
            RealmSyncClient.PendingSubscription last = a.subscribeWithoutWaiting("Basket", "owner_id == \"third\"");
            a.edit("Basket", id, "items", listInsert(1, "n"));
            reconnectUntilItHolds(a, dropped::get, third);
            assertThat(last.await().complete()).as("the last subscription set completes").isTrue();
            assertConverged(a, b, id, entering);
            assertThat(SyncCollectionsTest.holds(a, third, "items", List.of("t1"))).isEqualTo(List.of("t1"));
        }
    }

    /**
     * The server keeps the last {@link QueryBootstraps#KEPT} replaced bootstraps of a client file. A client naming an
     * older query version (more than that many query changes were bootstrapped before it integrated any) is told to
     * reset (222, action ClientReset), never sent a whole bootstrap; one naming a kept version resumes under it with a
     * catch-up. A protocol-level client, as realm-core's would bind.
     */
    @Test
    void aClientNamingAQueryVersionWhoseBootstrapIsNoLongerKeptIsToldToResetAndAKeptOneResumes() throws Exception {
        start();
        String appId = host.app().clientAppId();
        String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
        SyncRouteTest.Frames frames = new SyncRouteTest.Frames();
        var ws = connect(appId, frames);
        SyncRouteTest.send(ws, "bind 1 " + bind.length() + " 0 1 0\n" + bind);
        String[] ident = frames.next().trim().split(" ");
        String first = basketQuery(1);
        SyncRouteTest.send(ws, "ident 1 " + ident[2] + " " + ident[3] + " 0 0 0 0 1 " + first.length() + "\n" + first);
        long firstAt = downloadServerVersion(frames.next(), 1);
        long secondAt = 0;
        int last = QueryBootstraps.KEPT + 2;
        for (int version = 2; version <= last; version++) {
            String query = basketQuery(version);
            SyncRouteTest.send(ws, "query 1 " + version + " " + query.length() + "\n" + query);
            long at = downloadServerVersion(frames.next(), version);
            secondAt = version == 2 ? at : secondAt;
        }
        ws.abort();

        // Version 1 was replaced by KEPT + 1 later ones: no longer kept.
        SyncRouteTest.Frames back = new SyncRouteTest.Frames();
        var again = connect(appId, back);
        SyncRouteTest.send(again, "bind 1 " + bind.length() + " 0 0 0\n" + bind);
        SyncRouteTest.send(again, "ident 1 " + ident[2] + " " + ident[3] + " " + firstAt + " 0 0 0 1 " + first.length() + "\n" + first);
        assertThat(back.next()).startsWith("json_error 222 ").contains("ClientReset").contains("subscription set version 1");
        again.abort();

        // Version 2 is kept: a catch-up under it, with its query version.
        SyncRouteTest.Frames kept = new SyncRouteTest.Frames();
        var resumed = connect(appId, kept);
        String second = basketQuery(2);
        SyncRouteTest.send(resumed, "bind 1 " + bind.length() + " 0 0 0\n" + bind);
        SyncRouteTest.send(resumed, "ident 1 " + ident[2] + " " + ident[3] + " " + secondAt + " 0 0 0 2 " + second.length() + "\n" + second);
        assertThat(downloadServerVersion(kept.next(), 2)).isGreaterThanOrEqualTo(secondAt);
        resumed.abort();
        Document file = host.database().database(AppHost.stateDatabaseName(appId)).getCollection("sync_clients")
                .find(new Document("_id", Long.parseLong(ident[2]))).first();
        assertThat(file.get("query_version", Number.class).longValue()).as("the file's last bootstrap is the one it resumed").isEqualTo(2);
        assertThat(file.getList(QueryBootstraps.REPLACED, Object.class)).as("replaced bootstraps trimmed").isEmpty();
    }

    private static String basketQuery(int version) {
        return "{\"Basket\":\"owner_id == \\\"v" + version + "\\\"\"}";
    }

    /** A download's server version, after checking it is one of the expected query version. */
    private static long downloadServerVersion(String frame, long queryVersion) {
        String[] header = frame.lines().findFirst().orElseThrow().split(" ");
        assertThat(header[0]).as(frame).isEqualTo("download");
        assertThat(Long.parseLong(header[8])).as("query version of " + frame.lines().findFirst().orElseThrow()).isEqualTo(queryVersion);
        return Long.parseLong(header[2]);
    }

    private java.net.http.WebSocket connect(String appId, SyncRouteTest.Frames frames) throws Exception {
        return SyncRouteTest.http.newWebSocketBuilder().subprotocols(SyncRoute.SUBPROTOCOL).buildAsync(syncUri(appId), frames)
                .get(30, TimeUnit.SECONDS);
    }

    private java.net.URI syncUri(String appId) {
        String token = host.auth().login("anon-user", new Document(), "127.0.0.1", null).accessToken();
        return java.net.URI.create(host.baseUrl().replaceFirst("^http", "ws") + "/api/client/v2.0/app/" + appId
                + "/realm-sync?baas_at=" + token);
    }

    /**
     * An object that enters a client's view while the client is away (another writer gives it to the client's owner):
     * the client never held it, so its catch-up must carry it whole, its list included, though the list was last
     * changed before the server version the client resumes from (decision record 0065). Before: A held the basket
     * with an empty list, MongoDB [o1, o2].
     */
    @Test
    void anObjectEnteringTheViewWhileTheClientWasAwayReachesItWithItsListOnItsReturn() throws Exception {
        start();
        try (RealmSyncClient a = client("away-a", "held")) {
            ObjectId entering = otherOwnersBasket();
            ObjectId later = new ObjectId();
            host.database().database("shop").getCollection("baskets")
                    .insertOne(new Document("_id", later).append("owner_id", "held").append("items", List.of("l1")));
            assertThat(SyncCollectionsTest.holds(a, later, "items", List.of("l1"))).isEqualTo(List.of("l1"));
            // A change A receives at its own server version: A's server version is then past the entering basket's insert.
            host.database().database("shop").getCollection("baskets")
                    .updateOne(new Document("_id", later), new Document("$push", new Document("items", "l2")));
            assertThat(SyncCollectionsTest.holds(a, later, "items", List.of("l1", "l2"))).isEqualTo(List.of("l1", "l2"));
            a.goOffline();
            // Once A's session has ended, the change can only reach A by its catch-up.
            assertThat(eventually(() -> host.syncSessions().orElseThrow().snapshot().stream()
                    .noneMatch(s -> s.userId().equals(a.userId())) ? "ended" : null)).isNotNull();
            host.database().database("shop").getCollection("baskets")
                    .updateOne(new Document("_id", entering), new Document("$set", new Document("owner_id", "held")));
            a.goOnline();
            a.waitForDownload();
            assertThat(SyncCollectionsTest.holds(a, entering, "items", List.of("o1", "o2"))).as("the basket that entered A's view")
                    .isEqualTo(List.of("o1", "o2"));
            assertThat(a.syncErrors()).isEmpty();
        }
    }

    /**
     * The same while offline: A binds again with the query it holds (realm-core names its active subscription set),
     * catches up with B's edit made meanwhile, and then sends the changed query.
     */
    @Test
    void aSubscriptionChangedOfflineKeepsTheListEditsMadeAfterItAndCatchesUpWithOthers() throws Exception {
        start();
        try (RealmSyncClient a = client("off-a", "held"); RealmSyncClient b = client("off-b", "held")) {
            ObjectId id = basket(a, b, "held");
            ObjectId entering = otherOwnersBasket();
            ObjectId second = basket(a, b, "held");
            a.goOffline();
            RealmSyncClient.PendingSubscription pending = a.subscribeWithoutWaiting("Basket", "owner_id == \"other\"");
            a.edit("Basket", id, "items", listInsert(1, "n"));
            b.edit("Basket", second, "items", listInsert(3, "b"));
            b.waitForUpload();
            a.goOnline();
            assertThat(pending.await().complete()).as("the new subscription set completes").isTrue();
            assertConverged(a, b, id, entering);
            assertThat(converged(a, b, second)).as("B's edit made while A was away").isEqualTo(List.of("x", "y", "z", "b"));
        }
    }

    /**
     * An object that enters both the old and the new view by a change still on its way to the client's session when the
     * query changes: the client does not hold it, though the current state says the old view selects it. It reaches the
     * client whole (with only the changed field, realm-core would be told to update an object it does not have).
     */
    @Test
    void anObjectEnteringBothViewsByAChangeOnItsWayDuringTheQueryChangeReachesTheClientWhole() throws Exception {
        start();
        try (RealmSyncClient a = client("way-a", "held")) {
            ObjectId moving = new ObjectId();
            // In the new query's selection only: its insert reaches A's session, which does not send it.
            host.database().database("shop").getCollection("baskets")
                    .insertOne(new Document("_id", moving).append("owner_id", "other").append("items", List.of("m1", "m2")));
            // A later write A receives: once A holds it, A's session has been through the insert (changes go in order).
            ObjectId later = new ObjectId();
            host.database().database("shop").getCollection("baskets")
                    .insertOne(new Document("_id", later).append("owner_id", "held").append("items", List.of("l1")));
            assertThat(SyncCollectionsTest.holds(a, later, "items", List.of("l1"))).isEqualTo(List.of("l1"));
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean armed = new AtomicBoolean(true);
            SyncService.beforeDeliveryForTests = changes -> {
                if (changes.stream().anyMatch(c -> c.pk().equals(new org.bson.BsonObjectId(moving)) && c.before() != null)
                        && armed.compareAndSet(true, false)) {
                    held.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            RealmSyncClient.PendingSubscription pending;
            try {
                // Into both selections; the change is held on its way to A's session.
                host.database().database("shop").getCollection("baskets")
                        .updateOne(new Document("_id", moving), new Document("$set", new Document("owner_id", "held")));
                assertThat(held.await(60, TimeUnit.SECONDS)).as("the change is held on its way").isTrue();
                pending = a.subscribeWithoutWaiting("Basket", "owner_id == \"other\"");
                assertThat(eventually(() -> String.valueOf(host.database().database(AppHost.stateDatabaseName(host.app().clientAppId()))
                        .getCollection("sync_clients").find(new Document("query", new Document("$regex", "other"))).first()) .contains("other")
                        ? "bootstrapped" : null)).as("the server answered the query change").isNotNull();
            } finally {
                release.countDown();
            }
            assertThat(pending.await().complete()).isTrue();
            a.waitForDownload();
            assertThat(SyncCollectionsTest.holds(a, moving, "items", List.of("m1", "m2"))).isEqualTo(List.of("m1", "m2"));
            assertThat(a.syncErrors()).isEmpty();
        }
    }
}
