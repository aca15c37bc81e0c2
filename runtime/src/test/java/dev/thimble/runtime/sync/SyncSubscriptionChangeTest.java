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

    /** Both clients and MongoDB hold the same list; returns A's (or fails naming all three). */
    List<?> converged(RealmSyncClient a, RealmSyncClient b, ObjectId id) throws InterruptedException {
        List<?> onA = eventually(() -> {
            Object fromA = a.collection("Basket", id, "items");
            Object fromB = b.collection("Basket", id, "items");
            List<String> inMongo = mongoItems(id);
            return fromA instanceof List<?> l && l.equals(fromB) && l.equals(inMongo) ? l : null;
        });
        assertThat(onA).as("A %s, B %s, MongoDB %s", a.collection("Basket", id, "items"), b.collection("Basket", id, "items"),
                mongoItems(id)).isNotNull();
        return onA;
    }

    @Test
    void aListEditedBeforeASubscriptionChangesBootstrapArrivesIsKeptOnItsOwnClient() throws Exception {
        host = AppHost.start(AppBundles.read(SyncApps.BUNDLE).app(), AppHost.HostSettings.of("127.0.0.1", 0,
                DatabaseSettings.embedded(temp.resolve("db")), new SecretStore(temp.resolve("secrets.json"))));
        try (RealmSyncClient a = client("sub-a", "held"); RealmSyncClient b = client("sub-b", "held")) {
            ObjectId id = basket(a, b, "held");
            ObjectId entering = new ObjectId();
            host.database().database("shop").getCollection("baskets")
                    .insertOne(new Document("_id", entering).append("owner_id", "other").append("items", List.of("o1", "o2")));

            RealmSyncClient.PendingSubscription pending = a.subscribeWithoutWaiting("Basket", "owner_id == \"other\"");
            a.edit("Basket", id, "items", listInsert(1, "n"));
            assertThat(pending.await().complete()).as("the new subscription set completes").isTrue();
            a.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();

            assertThat(converged(a, b, id)).isEqualTo(List.of("x", "n", "y", "z"));
            assertThat(SyncCollectionsTest.holds(a, entering, "items", List.of("o1", "o2"))).as("the object entering A's view")
                    .isEqualTo(List.of("o1", "o2"));
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }
}
