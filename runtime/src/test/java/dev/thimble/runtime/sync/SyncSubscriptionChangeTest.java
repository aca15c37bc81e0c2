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
            // Reconnect now rather than after the client's back-off, until the object entering the view arrives.
            assertThat(eventually(() -> {
                a.reconnect();
                return armed.get() ? null : a.get("Basket", entering, List.of("owner_id"));
            })).as("A reconnected after losing the bootstrap and got the object entering its view").isNotNull();
            assertThat(pending.await().complete()).as("the new subscription set completes").isTrue();
            assertConverged(a, b, id, entering);
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
