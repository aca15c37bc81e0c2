package dev.thimble.runtime.sync;

import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.sync.realmc.RealmC;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import dev.thimble.runtime.sync.realmc.RealmSyncClient.ObjectClass;
import dev.thimble.runtime.sync.realmc.RealmSyncClient.Property;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.dictionaryErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.dictionaryPut;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listClear;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listInsert;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listMove;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listSet;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.setErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.setInsert;
import static org.assertj.core.api.Assertions.assertThat;

/** Lists, sets and dictionaries of scalars between real Realm clients and MongoDB ({@code Basket} in {@code shop.baskets}). */
class SyncCollectionsTest {
    /** The {@code Basket} class as a Realm SDK app declares it. */
    static final List<ObjectClass> SCHEMA = List.of(new ObjectClass("Basket", List.of(
            Property.primaryKey("_id", RealmC.RLM_PROPERTY_TYPE_OBJECT_ID),
            new Property("owner_id", RealmC.RLM_PROPERTY_TYPE_STRING, false, false),
            Property.collection("items", RealmC.RLM_COLLECTION_TYPE_LIST, RealmC.RLM_PROPERTY_TYPE_STRING),
            Property.collection("counts", RealmC.RLM_COLLECTION_TYPE_LIST, RealmC.RLM_PROPERTY_TYPE_INT),
            Property.collection("labels", RealmC.RLM_COLLECTION_TYPE_SET, RealmC.RLM_PROPERTY_TYPE_STRING),
            Property.collection("sizes", RealmC.RLM_COLLECTION_TYPE_DICTIONARY, RealmC.RLM_PROPERTY_TYPE_STRING),
            RealmSyncClient.link("favorite", "Shelf", RealmC.RLM_COLLECTION_TYPE_NONE),
            RealmSyncClient.link("shelves", "Shelf", RealmC.RLM_COLLECTION_TYPE_LIST),
            RealmSyncClient.link("shelfSet", "Shelf", RealmC.RLM_COLLECTION_TYPE_SET),
            RealmSyncClient.link("shelfByRoom", "Shelf", RealmC.RLM_COLLECTION_TYPE_DICTIONARY))),
            new ObjectClass("Shelf", List.of(
                    Property.primaryKey("_id", RealmC.RLM_PROPERTY_TYPE_OBJECT_ID),
                    new Property("owner_id", RealmC.RLM_PROPERTY_TYPE_STRING, false, false))));

    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    static RealmSyncClient client(String name, String owner) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve(name)), SCHEMA);
        assertThat(client.subscribe("Basket", "owner_id == \"" + owner + "\"").complete()).isTrue();
        return client;
    }

    static MongoCollection<Document> baskets() {
        return SERVER.host().database().database("shop").getCollection("baskets");
    }

    static Document mongo(ObjectId id) {
        return baskets().find(new Document("_id", id)).first();
    }

    /** Waits until the client holds {@code expected} in the field. */
    static Object holds(RealmSyncClient client, ObjectId id, String field, Object expected) throws InterruptedException {
        Object seen = eventually(() -> {
            Object v = client.collection("Basket", id, field);
            return Objects.equals(v, expected) ? v : null;
        });
        return seen != null ? seen : client.collection("Basket", id, field);
    }

    @Test
    void aListWrittenOnOneClientReachesAnotherClientAndMongoDb() throws Exception {
        try (RealmSyncClient a = client("list-a", "lists"); RealmSyncClient b = client("list-b", "lists")) {
            ObjectId id = new ObjectId();
            a.create("Basket", id, Map.of("owner_id", "lists"));
            a.edit("Basket", id, "items", listInsert(0, "apple"), listInsert(1, "pear"), listInsert(0, "fig"));
            a.edit("Basket", id, "counts", listInsert(0, 3L), listInsert(1, 5L));
            a.waitForUpload();
            assertThat(mongo(id).getList("items", String.class)).containsExactly("fig", "apple", "pear");
            assertThat(holds(b, id, "items", List.of("fig", "apple", "pear"))).isEqualTo(List.of("fig", "apple", "pear"));
            assertThat(holds(b, id, "counts", List.of(3L, 5L))).isEqualTo(List.of(3L, 5L));

            // Move, set, erase on the other client come back to the first and to MongoDB.
            b.edit("Basket", id, "items", listMove(0, 2), listSet(0, "plum"), listErase(1));
            b.waitForUpload();
            List<String> expected = List.of("plum", "fig");
            assertThat(holds(a, id, "items", expected)).isEqualTo(expected);
            assertThat(mongo(id).getList("items", String.class)).isEqualTo(expected);
        }
    }

    @Test
    void aMongoDbArrayUpdateReachesTheClient() throws Exception {
        ObjectId id = new ObjectId();
        baskets().insertOne(new Document("_id", id).append("owner_id", "pushes").append("items", List.of("a", "b")));
        try (RealmSyncClient client = client("push", "pushes")) {
            assertThat(holds(client, id, "items", List.of("a", "b"))).isEqualTo(List.of("a", "b"));
            baskets().updateOne(new Document("_id", id), new Document("$push", new Document("items", "c")));
            assertThat(holds(client, id, "items", List.of("a", "b", "c"))).isEqualTo(List.of("a", "b", "c"));
            baskets().updateOne(new Document("_id", id), new Document("$pull", new Document("items", "a")));
            assertThat(holds(client, id, "items", List.of("b", "c"))).isEqualTo(List.of("b", "c"));
        }
    }

    @Test
    void setsAndDictionariesSyncBothWays() throws Exception {
        try (RealmSyncClient a = client("set-a", "sets"); RealmSyncClient b = client("set-b", "sets")) {
            ObjectId id = new ObjectId();
            a.create("Basket", id, Map.of("owner_id", "sets"));
            a.edit("Basket", id, "labels", setInsert("red"), setInsert("blue"), setInsert("red"));
            a.edit("Basket", id, "sizes", dictionaryPut("shirt", "M"), dictionaryPut("shoe", "42"));
            a.waitForUpload();
            Document doc = mongo(id);
            assertThat(doc.getList("labels", String.class)).containsExactlyInAnyOrder("red", "blue");
            assertThat(doc.get("sizes", Document.class)).isEqualTo(new Document("shirt", "M").append("shoe", "42"));
            assertThat(holds(b, id, "sizes", Map.of("shirt", "M", "shoe", "42"))).isEqualTo(Map.of("shirt", "M", "shoe", "42"));

            b.edit("Basket", id, "labels", setErase("red"));
            b.edit("Basket", id, "sizes", dictionaryErase("shoe"), dictionaryPut("hat", "L"));
            b.waitForUpload();
            assertThat(holds(a, id, "sizes", Map.of("shirt", "M", "hat", "L"))).isEqualTo(Map.of("shirt", "M", "hat", "L"));
            assertThat(holds(a, id, "labels", List.of("blue"))).isEqualTo(List.of("blue"));
            assertThat(mongo(id).getList("labels", String.class)).containsExactly("blue");

            baskets().updateOne(new Document("_id", id), new Document("$set", new Document("sizes.belt", "S")));
            Map<String, Object> withBelt = Map.of("shirt", "M", "hat", "L", "belt", "S");
            assertThat(holds(b, id, "sizes", withBelt)).isEqualTo(withBelt);
        }
    }

    @Test
    void concurrentListEditsWhileOfflineConverge() throws Exception {
        try (RealmSyncClient a = client("conc-a", "concurrent"); RealmSyncClient b = client("conc-b", "concurrent")) {
            ObjectId id = new ObjectId();
            a.create("Basket", id, Map.of("owner_id", "concurrent"));
            a.edit("Basket", id, "items", listInsert(0, "x"));
            a.waitForUpload();
            holds(b, id, "items", List.of("x"));

            // Both edit the list offline: A appends, B replaces the whole list later.
            a.goOffline();
            b.goOffline();
            a.edit("Basket", id, "items", listInsert(1, "from-a"));
            b.edit("Basket", id, "items", listClear(), listInsert(0, "from-b"));
            a.goOnline();
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();

            // The later clear wins on both clients and in MongoDB; A's concurrent append inside the cleared list is discarded.
            List<String> expected = List.of("from-b");
            assertThat(holds(a, id, "items", expected)).isEqualTo(expected);
            assertThat(holds(b, id, "items", expected)).isEqualTo(expected);
            assertThat(mongo(id).getList("items", String.class)).isEqualTo(expected);
        }
    }

    @Test
    void objectsLeaveTheClientWhenItsSubscriptionNarrows() throws Exception {
        ObjectId kept = new ObjectId();
        ObjectId dropped = new ObjectId();
        baskets().insertMany(List.of(new Document("_id", kept).append("owner_id", "narrow-kept"),
                new Document("_id", dropped).append("owner_id", "narrow-dropped")));
        try (RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve("narrow")), SCHEMA)) {
            assertThat(client.subscribe("Basket", "owner_id BEGINSWITH \"narrow-\"").complete()).isTrue();
            assertThat(client.count("Basket")).isEqualTo(2);

            assertThat(client.subscribeOnly("Basket", "owner_id == \"narrow-kept\"").complete()).isTrue();
            assertThat(eventually(() -> client.count("Basket") == 1 ? true : null)).isTrue();
            assertThat(client.get("Basket", kept, List.of("owner_id"))).isEqualTo(Map.of("owner_id", "narrow-kept"));
            assertThat(client.get("Basket", dropped, List.of("owner_id"))).isNull();
            // The document stays in MongoDB: leaving the view is not a delete.
            assertThat(mongo(dropped)).isNotNull();
        }
    }

    @Test
    void linksAndListsOfLinksAreTheTargetsIdsInMongoDb() throws Exception {
        try (RealmSyncClient a = client("link-a", "links"); RealmSyncClient b = client("link-b", "links")) {
            assertThat(a.subscribe("Shelf", "owner_id == \"links\"").complete()).isTrue();
            assertThat(b.subscribe("Shelf", "owner_id == \"links\"").complete()).isTrue();
            ObjectId top = new ObjectId();
            ObjectId low = new ObjectId();
            ObjectId basket = new ObjectId();
            a.create("Shelf", top, Map.of("owner_id", "links"));
            a.create("Shelf", low, Map.of("owner_id", "links"));
            a.create("Basket", basket, Map.of("owner_id", "links", "favorite", new RealmSyncClient.Link("Shelf", top)));
            a.edit("Basket", basket, "shelves", listInsert(0, new RealmSyncClient.Link("Shelf", low)),
                    listInsert(1, new RealmSyncClient.Link("Shelf", top)));
            a.waitForUpload();
            Document doc = mongo(basket);
            assertThat(doc.getObjectId("favorite")).isEqualTo(top);
            assertThat(doc.getList("shelves", ObjectId.class)).containsExactly(low, top);
            assertThat(holds(b, basket, "shelves", List.of(low, top))).isEqualTo(List.of(low, top));
            assertThat(eventually(() -> {
                Map<String, Object> v = b.get("Basket", basket, List.of("favorite"));
                return v != null && top.equals(v.get("favorite")) ? v : null;
            })).isEqualTo(Map.of("favorite", top));

            // A MongoDB write of the ids reaches the client as links.
            baskets().updateOne(new Document("_id", basket), new Document("$set", new Document("favorite", low)
                    .append("shelves", List.of(top))));
            assertThat(holds(a, basket, "shelves", List.of(top))).isEqualTo(List.of(top));
            assertThat(eventually(() -> {
                Map<String, Object> v = a.get("Basket", basket, List.of("favorite"));
                return v != null && low.equals(v.get("favorite")) ? v : null;
            })).isEqualTo(Map.of("favorite", low));
        }
    }

    @Test
    void setsAndDictionariesOfLinksAreTheTargetsIdsInMongoDbAndLinksOnTheOtherClient() throws Exception {
        try (RealmSyncClient a = client("linkset-a", "linksets"); RealmSyncClient b = client("linkset-b", "linksets")) {
            assertThat(a.subscribe("Shelf", "owner_id == \"linksets\"").complete()).isTrue();
            assertThat(b.subscribe("Shelf", "owner_id == \"linksets\"").complete()).isTrue();
            ObjectId top = new ObjectId();
            ObjectId low = new ObjectId();
            ObjectId basket = new ObjectId();
            a.create("Shelf", top, Map.of("owner_id", "linksets"));
            a.create("Shelf", low, Map.of("owner_id", "linksets"));
            a.create("Basket", basket, Map.of("owner_id", "linksets"));
            RealmSyncClient.Link toTop = new RealmSyncClient.Link("Shelf", top);
            RealmSyncClient.Link toLow = new RealmSyncClient.Link("Shelf", low);
            a.edit("Basket", basket, "shelfSet", setInsert(toTop), setInsert(toLow), setInsert(toTop));
            a.edit("Basket", basket, "shelfByRoom", dictionaryPut("kitchen", toTop), dictionaryPut("hall", toLow));
            a.waitForUpload();

            Document doc = mongo(basket);
            assertThat(doc.getList("shelfSet", ObjectId.class)).containsExactlyInAnyOrder(top, low);
            assertThat(doc.get("shelfByRoom", Document.class)).isEqualTo(new Document("kitchen", top).append("hall", low));
            assertThat(eventually(() -> {
                Object v = b.collection("Basket", basket, "shelfSet");
                return v instanceof List<?> l && l.size() == 2 && l.containsAll(List.of(top, low)) ? v : null;
            })).isNotNull();
            assertThat(holds(b, basket, "shelfByRoom", Map.of("kitchen", top, "hall", low))).isEqualTo(Map.of("kitchen", top, "hall", low));

            // The other client erases a set element and a dictionary key: the first client and MongoDB follow.
            b.edit("Basket", basket, "shelfSet", setErase(toTop));
            b.edit("Basket", basket, "shelfByRoom", dictionaryErase("hall"));
            b.waitForUpload();
            assertThat(holds(a, basket, "shelfSet", List.of(low))).isEqualTo(List.of(low));
            assertThat(holds(a, basket, "shelfByRoom", Map.of("kitchen", top))).isEqualTo(Map.of("kitchen", top));
            assertThat(mongo(basket).getList("shelfSet", ObjectId.class)).containsExactly(low);
            assertThat(mongo(basket).get("shelfByRoom", Document.class)).isEqualTo(new Document("kitchen", top));

            // A MongoDB write of the ids reaches both clients as links.
            baskets().updateOne(new Document("_id", basket), new Document("$set", new Document("shelfByRoom", new Document("attic", low))
                    .append("shelfSet", List.of(top, low))));
            assertThat(holds(a, basket, "shelfByRoom", Map.of("attic", low))).isEqualTo(Map.of("attic", low));
            assertThat(holds(b, basket, "shelfSet", List.of(top, low))).isEqualTo(List.of(top, low));
        }
    }
}
