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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.dictionaryErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.dictionaryPut;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listInsert;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listMove;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Embedded objects between real Realm clients and MongoDB sub-documents ({@code Parcel} in
 * {@code shop.parcels}: one {@code Address}, a list of them, a dictionary of them), both ways, and
 * concurrent edits converging by the rules of the decision record.
 */
class SyncEmbeddedObjectsTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    static final List<Property> ADDRESS = List.of(
            new Property("street", RealmC.RLM_PROPERTY_TYPE_STRING, false, false),
            Property.optional("city", RealmC.RLM_PROPERTY_TYPE_STRING),
            Property.optional("floor", RealmC.RLM_PROPERTY_TYPE_INT),
            RealmSyncClient.mixed("tag"),
            Property.collection("lines", RealmC.RLM_COLLECTION_TYPE_LIST, RealmC.RLM_PROPERTY_TYPE_STRING),
            Property.collection("codes", RealmC.RLM_COLLECTION_TYPE_DICTIONARY, RealmC.RLM_PROPERTY_TYPE_INT),
            RealmSyncClient.embedded("geo", "Geo", RealmC.RLM_COLLECTION_TYPE_NONE));

    static final List<Property> GEO = List.of(Property.optional("lat", RealmC.RLM_PROPERTY_TYPE_DOUBLE),
            Property.optional("lng", RealmC.RLM_PROPERTY_TYPE_DOUBLE));

    /** The {@code Parcel} and {@code Address} classes as a Realm SDK app declares them. */
    static final List<ObjectClass> SCHEMA = List.of(new ObjectClass("Parcel", List.of(
            Property.primaryKey("_id", RealmC.RLM_PROPERTY_TYPE_OBJECT_ID),
            new Property("owner_id", RealmC.RLM_PROPERTY_TYPE_STRING, false, false),
            RealmSyncClient.embedded("address", "Address", RealmC.RLM_COLLECTION_TYPE_NONE),
            RealmSyncClient.embedded("stops", "Address", RealmC.RLM_COLLECTION_TYPE_LIST),
            RealmSyncClient.embedded("rooms", "Address", RealmC.RLM_COLLECTION_TYPE_DICTIONARY),
            RealmSyncClient.mixed("extra"),
            new Property("extras", RealmC.RLM_PROPERTY_TYPE_MIXED, true, false, RealmC.RLM_COLLECTION_TYPE_LIST))),
            ObjectClass.embedded("Address", ADDRESS), ObjectClass.embedded("Geo", GEO));

    static RealmSyncClient client(String name, String owner) throws Exception {
        return client(name, owner, SCHEMA);
    }

    static RealmSyncClient client(String name, String owner, List<ObjectClass> schema) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve(name)), schema);
        assertThat(client.subscribe("Parcel", "owner_id == \"" + owner + "\"").complete()).isTrue();
        return client;
    }

    static MongoCollection<Document> parcels() {
        return SERVER.host().database().database("shop").getCollection("parcels");
    }

    static Document mongo(ObjectId id) {
        return parcels().find(new Document("_id", id)).first();
    }

    /** An address as the client reads it: every property, unset ones null. */
    static Map<String, Object> address(String street, String city, Long floor) {
        Map<String, Object> out = new HashMap<>();
        out.put("street", street);
        out.put("city", city);
        out.put("floor", floor);
        out.put("tag", null);
        out.put("lines", List.of());
        out.put("codes", Map.of());
        out.put("geo", null);
        return out;
    }

    /** A Geo as the client reads it. */
    static Map<String, Object> geo(Double lat, Double lng) {
        Map<String, Object> out = new HashMap<>();
        out.put("lat", lat);
        out.put("lng", lng);
        return out;
    }

    /**
     * A list and a dictionary of scalars and an embedded object inside the single embedded {@code address}
     * (decision record "sync moves"): written on one client, they reach the other and MongoDB (sub-documents
     * and arrays inside {@code address}); element edits and a replaced nested object on the other client come
     * back; MongoDB {@code $set}s of {@code address.lines} and {@code address.geo.lat} reach both clients.
     */
    @Test
    void collectionsAndAnEmbeddedObjectInsideAnEmbeddedObjectSyncBothWays() throws Exception {
        try (RealmSyncClient a = client("nested-a", "nested"); RealmSyncClient b = client("nested-b", "nested")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "nested"));
            a.setEmbedded("Parcel", id, "address", Map.of("street", "Main 1"));
            a.editInEmbedded("Parcel", id, "address", "lines", listInsert(0, "c/o Kim"), listInsert(1, "2nd floor"));
            a.editInEmbedded("Parcel", id, "address", "codes", dictionaryPut("door", 1234L));
            a.setNestedEmbedded("Parcel", id, "address", "geo", Map.of("lat", 59.9, "lng", 10.7));
            a.waitForUpload();
            Map<String, Object> expected = address("Main 1", null, null);
            expected.put("lines", List.of("c/o Kim", "2nd floor"));
            expected.put("codes", Map.of("door", 1234L));
            expected.put("geo", geo(59.9, 10.7));
            assertThat(holds(b, id, "address", expected)).as("B, errors A %s B %s, mongo %s", a.syncErrors(), b.syncErrors(), mongo(id))
                    .isEqualTo(expected);
            Document stored = mongo(id).get("address", Document.class);
            assertThat(stored.getList("lines", String.class)).containsExactly("c/o Kim", "2nd floor");
            assertThat(stored.get("codes", Document.class).get("door")).isEqualTo(1234L);
            assertThat(stored.get("geo", Document.class)).isEqualTo(new Document("lat", 59.9).append("lng", 10.7));

            b.editInEmbedded("Parcel", id, "address", "lines", listMove(1, 0), listErase(1), listInsert(1, "back door"));
            b.editInEmbedded("Parcel", id, "address", "codes", dictionaryErase("door"), dictionaryPut("gate", 7L));
            b.setNestedEmbedded("Parcel", id, "address", "geo", Map.of("lat", 60.4, "lng", 5.3));
            b.waitForUpload();
            expected.put("lines", List.of("2nd floor", "back door"));
            expected.put("codes", Map.of("gate", 7L));
            expected.put("geo", geo(60.4, 5.3));
            assertThat(holds(a, id, "address", expected)).isEqualTo(expected);
            Document after = mongoHolds(id, d -> d.get("address", Document.class).get("codes", Document.class).containsKey("gate"))
                    .get("address", Document.class);
            assertThat(after.getList("lines", String.class)).containsExactly("2nd floor", "back door");
            assertThat(after.get("geo", Document.class).get("lat")).isEqualTo(60.4);

            parcels().updateOne(new Document("_id", id), new Document("$set", new Document("address.lines", List.of("by driver"))
                    .append("address.geo.lat", 1.5)));
            expected.put("lines", List.of("by driver"));
            expected.put("geo", geo(1.5, 5.3));
            assertThat(holds(a, id, "address", expected)).isEqualTo(expected);
            assertThat(holds(b, id, "address", expected)).isEqualTo(expected);
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /**
     * B, offline, appends to {@code address.lines} and replaces {@code address.geo}; A later changes
     * {@code address.city}. A's write of the embedded object is the later one, so B's append is discarded (the
     * list arrives as Clear + content). But realm-core writes B's replacement of {@code geo} as a delete
     * ({@code Update([geo], Null)}) and a creation, and a delete beats concurrent edits whatever the timestamps:
     * B's new {@code geo} wins. Both clients and MongoDB end the same.
     */
    @Test
    void concurrentEditsInsideAnEmbeddedObjectConverge() throws Exception {
        try (RealmSyncClient a = client("nested-race-a", "nested-race"); RealmSyncClient b = client("nested-race-b", "nested-race")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "nested-race"));
            a.setEmbedded("Parcel", id, "address", Map.of("street", "start"));
            a.editInEmbedded("Parcel", id, "address", "lines", listInsert(0, "x"));
            a.setNestedEmbedded("Parcel", id, "address", "geo", Map.of("lat", 1.0));
            a.waitForUpload();
            Map<String, Object> start = address("start", null, null);
            start.put("lines", List.of("x"));
            start.put("geo", geo(1.0, null));
            holds(b, id, "address", start);
            b.goOffline();
            b.editInEmbedded("Parcel", id, "address", "lines", listInsert(1, "from-b"));
            b.setNestedEmbedded("Parcel", id, "address", "geo", Map.of("lat", 2.0, "lng", 2.0));
            SyncListMergeTest.later();
            a.updateEmbedded("Parcel", id, "address", Map.of("city", "from-a"));
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            a.waitForDownload();
            Map<String, Object> expected = address("start", "from-a", null);
            expected.put("lines", List.of("x"));
            expected.put("geo", geo(2.0, 2.0));
            assertThat(holds(a, id, "address", expected)).isEqualTo(expected);
            assertThat(holds(b, id, "address", expected)).as("B, errors %s", b.syncErrors()).isEqualTo(expected);
            Document stored = mongo(id).get("address", Document.class);
            assertThat(stored.getString("city")).isEqualTo("from-a");
            assertThat(stored.getList("lines", String.class)).containsExactly("x");
            assertThat(stored.get("geo", Document.class)).isEqualTo(new Document("lat", 2.0).append("lng", 2.0));
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /** Waits until the client holds {@code expected} in the embedded field, then returns what it holds. */
    static Object holds(RealmSyncClient client, ObjectId id, String field, Object expected) throws InterruptedException {
        Object seen = eventually(() -> {
            Object v = client.readEmbedded("Parcel", id, field);
            return Objects.equals(v, expected) ? "yes" : null;
        });
        return seen != null ? expected : client.readEmbedded("Parcel", id, field);
    }

    /** Waits until MongoDB holds a document for which {@code check} is true, then returns it. */
    static Document mongoHolds(ObjectId id, java.util.function.Predicate<Document> check) throws InterruptedException {
        Document seen = eventually(() -> {
            Document d = mongo(id);
            return d != null && check.test(d) ? d : null;
        });
        return seen != null ? seen : mongo(id);
    }

    @Test
    void anEmbeddedObjectIsASubDocumentInMongoDbAndSyncsBothWays() throws Exception {
        try (RealmSyncClient a = client("one-a", "one"); RealmSyncClient b = client("one-b", "one")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "one"));
            a.setEmbedded("Parcel", id, "address", Map.of("street", "Main 1", "city", "Oslo", "floor", 3L));
            a.waitForUpload();
            Document address = mongo(id).get("address", Document.class);
            assertThat(address.getString("street")).isEqualTo("Main 1");
            assertThat(address.getString("city")).isEqualTo("Oslo");
            assertThat(address.get("floor", Number.class).longValue()).isEqualTo(3L);
            assertThat(holds(b, id, "address", address("Main 1", "Oslo", 3L))).isEqualTo(address("Main 1", "Oslo", 3L));

            // An edit of one sub-field on the other client keeps the others.
            b.updateEmbedded("Parcel", id, "address", Map.of("city", "Bergen"));
            b.waitForUpload();
            assertThat(holds(a, id, "address", address("Main 1", "Bergen", 3L))).isEqualTo(address("Main 1", "Bergen", 3L));
            assertThat(mongo(id).get("address", Document.class).getString("city")).isEqualTo("Bergen");

            // A MongoDB write of one sub-field reaches both clients.
            parcels().updateOne(new Document("_id", id), new Document("$set", new Document("address.city", "Trondheim")));
            assertThat(holds(a, id, "address", address("Main 1", "Trondheim", 3L))).isEqualTo(address("Main 1", "Trondheim", 3L));
            assertThat(holds(b, id, "address", address("Main 1", "Trondheim", 3L))).isEqualTo(address("Main 1", "Trondheim", 3L));

            // Deleting the embedded object removes the field in MongoDB, and the object on the other client.
            a.removeEmbedded("Parcel", id, "address");
            a.waitForUpload();
            assertThat(mongo(id)).doesNotContainKey("address");
            assertThat(holds(b, id, "address", null)).isNull();
        }
    }

    @Test
    void listsAndDictionariesOfEmbeddedObjectsAreArraysAndSubDocumentsInMongoDb() throws Exception {
        try (RealmSyncClient a = client("many-a", "many"); RealmSyncClient b = client("many-b", "many")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "many"));
            a.insertEmbedded("Parcel", id, "stops", 0, Map.of("street", "first"));
            a.insertEmbedded("Parcel", id, "stops", 1, Map.of("street", "second", "floor", 2L));
            a.putEmbedded("Parcel", id, "rooms", "kitchen", Map.of("street", "inside", "floor", 1L));
            a.waitForUpload();
            Document doc = mongo(id);
            assertThat(doc.getList("stops", Document.class)).extracting(d -> d.getString("street")).containsExactly("first", "second");
            assertThat(doc.get("rooms", Document.class).get("kitchen", Document.class).getString("street")).isEqualTo("inside");
            List<Map<String, Object>> stops = List.of(address("first", null, null), address("second", null, 2L));
            assertThat(holds(b, id, "stops", stops)).isEqualTo(stops);
            Map<String, Object> rooms = Map.of("kitchen", address("inside", null, 1L));
            assertThat(holds(b, id, "rooms", rooms)).isEqualTo(rooms);

            // Element edits on the other client: a sub-field of one element, then a move.
            b.updateEmbeddedAt("Parcel", id, "stops", 0, Map.of("city", "Oslo"));
            b.edit("Parcel", id, "stops", listMove(0, 1));
            b.waitForUpload();
            List<Map<String, Object>> moved = List.of(address("second", null, 2L), address("first", "Oslo", null));
            assertThat(holds(a, id, "stops", moved)).isEqualTo(moved);
            assertThat(mongo(id).getList("stops", Document.class)).extracting(d -> d.getString("street")).containsExactly("second", "first");
            assertThat(mongo(id).getList("stops", Document.class).get(1).getString("city")).isEqualTo("Oslo");

            // MongoDB writes: a pushed sub-document and a new dictionary entry reach the clients.
            parcels().updateOne(new Document("_id", id), new Document("$push", new Document("stops", new Document("street", "third")))
                    .append("$set", new Document("rooms.hall", new Document("street", "door").append("city", "Oslo"))));
            List<Map<String, Object>> pushed = List.of(address("second", null, 2L), address("first", "Oslo", null), address("third", null, null));
            assertThat(holds(a, id, "stops", pushed)).isEqualTo(pushed);
            Map<String, Object> twoRooms = Map.of("kitchen", address("inside", null, 1L), "hall", address("door", "Oslo", null));
            assertThat(holds(b, id, "rooms", twoRooms)).isEqualTo(twoRooms);
        }
    }

    @Test
    void concurrentEditsOfOneEmbeddedObjectConvergeToTheLaterWriter() throws Exception {
        try (RealmSyncClient a = client("conc-a", "concurrent"); RealmSyncClient b = client("conc-b", "concurrent")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "concurrent"));
            a.setEmbedded("Parcel", id, "address", Map.of("street", "start", "floor", 1L));
            a.waitForUpload();
            holds(b, id, "address", address("start", null, 1L));

            // Both edit the address offline; B writes later (realm-core orders concurrent writes by timestamp).
            a.goOffline();
            b.goOffline();
            a.updateEmbedded("Parcel", id, "address", Map.of("city", "from-a"));
            aLaterMillisecond(); // the later write must carry a later timestamp (milliseconds)
            b.updateEmbedded("Parcel", id, "address", Map.of("city", "from-b", "floor", 7L));
            a.goOnline();
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();

            Map<String, Object> expected = address("start", "from-b", 7L);
            assertThat(holds(a, id, "address", expected)).isEqualTo(expected);
            assertThat(holds(b, id, "address", expected)).isEqualTo(expected);
            Document address = mongo(id).get("address", Document.class);
            assertThat(address.getString("city")).isEqualTo("from-b");
            assertThat(address.get("floor", Number.class).longValue()).isEqualTo(7L);
        }
    }

    /** Both clients and MongoDB hold {@code expected} in {@code Parcel.stops} (streets, cities, floors). */
    static void stopsConverge(RealmSyncClient a, RealmSyncClient b, ObjectId id, List<Map<String, Object>> expected) throws Exception {
        assertThat(holds(a, id, "stops", expected)).isEqualTo(expected);
        assertThat(holds(b, id, "stops", expected)).isEqualTo(expected);
        List<Map<String, Object>> stored = new java.util.ArrayList<>();
        for (Document d : mongo(id).getList("stops", Document.class)) {
            Number floor = d.get("floor", Number.class);
            stored.add(address(d.getString("street"), d.getString("city"), floor == null ? null : floor.longValue()));
        }
        assertThat(stored).isEqualTo(expected);
    }

    @Test
    void concurrentEditsInsideAListOfEmbeddedObjectsConvergeOnBothClientsAndMongoDb() throws Exception {
        try (RealmSyncClient a = client("listconc-a", "listconc"); RealmSyncClient b = client("listconc-b", "listconc")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "listconc"));
            a.insertEmbedded("Parcel", id, "stops", 0, Map.of("street", "first"));
            a.waitForUpload();
            holds(b, id, "stops", List.of(address("first", null, null)));

            // Both edit the same element offline, different sub-fields: merged element by element (decision record
            // "sync counters"), both edits survive, on both clients and in MongoDB.
            a.goOffline();
            b.goOffline();
            a.updateEmbeddedAt("Parcel", id, "stops", 0, Map.of("city", "from-a"));
            aLaterMillisecond();
            b.updateEmbeddedAt("Parcel", id, "stops", 0, Map.of("floor", 9L, "street", "from-b"));
            a.goOnline();
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();
            stopsConverge(a, b, id, List.of(address("from-b", "from-a", 9L)));

            // The same sub-field of one element: the later writer wins.
            a.goOffline();
            b.goOffline();
            b.updateEmbeddedAt("Parcel", id, "stops", 0, Map.of("city", "earlier-b"));
            aLaterMillisecond();
            a.updateEmbeddedAt("Parcel", id, "stops", 0, Map.of("city", "later-a"));
            b.goOnline();
            b.waitForUpload();
            a.goOnline();
            a.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();
            stopsConverge(a, b, id, List.of(address("from-b", "later-a", 9L)));
        }
    }

    @Test
    void aReplacedElementOfAListOfEmbeddedObjectsIsTheSameOnBothClientsAndInMongoDb() throws Exception {
        try (RealmSyncClient a = client("replace-a", "replace"); RealmSyncClient b = client("replace-b", "replace")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "replace"));
            a.insertEmbedded("Parcel", id, "stops", 0, Map.of("street", "old", "city", "old-city", "floor", 4L));
            a.insertEmbedded("Parcel", id, "stops", 1, Map.of("street", "second"));
            a.waitForUpload();
            holds(b, id, "stops", List.of(address("old", "old-city", 4L), address("second", null, null)));

            // A replaces the first element with a new embedded object and sets one sub-field of it. Whatever realm-core
            // makes of it on B, the server (and so MongoDB) must hold the same: no silent divergence.
            a.replaceEmbeddedAt("Parcel", id, "stops", 0, Map.of("street", "new"));
            a.waitForUpload();
            b.waitForDownload();
            Object onA = a.readEmbedded("Parcel", id, "stops");
            Object onB = eventually(() -> Objects.equals(a.readEmbedded("Parcel", id, "stops"), b.readEmbedded("Parcel", id, "stops"))
                    ? b.readEmbedded("Parcel", id, "stops") : null);
            assertThat(onB).as("both clients hold the same list: A %s, B %s", onA, b.readEmbedded("Parcel", id, "stops")).isNotNull();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> expected = (List<Map<String, Object>>) onA;
            // realm-core 14.12 sends the replacement as ArrayErase + ArrayInsert(ObjectValue): a fresh element.
            assertThat(expected.get(0)).isEqualTo(address("new", null, null));
            stopsConverge(a, b, id, expected);

            // Concurrently: B sets a sub-field of the element offline while A replaces it again.
            b.goOffline();
            b.updateEmbeddedAt("Parcel", id, "stops", 0, Map.of("city", "b-city", "floor", 8L));
            aLaterMillisecond();
            a.replaceEmbeddedAt("Parcel", id, "stops", 0, Map.of("street", "newer"));
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            a.waitForDownload();
            Object concurrentOnB = eventually(() -> Objects.equals(a.readEmbedded("Parcel", id, "stops"), b.readEmbedded("Parcel", id, "stops"))
                    ? b.readEmbedded("Parcel", id, "stops") : null);
            assertThat(concurrentOnB).as("both clients hold the same list: A %s, B %s", a.readEmbedded("Parcel", id, "stops"),
                    b.readEmbedded("Parcel", id, "stops")).isNotNull();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> merged = (List<Map<String, Object>>) concurrentOnB;
            // The erase of the element discards B's concurrent edits inside it (realm-core's nested rule).
            assertThat(merged.get(0)).isEqualTo(address("newer", null, null));
            stopsConverge(a, b, id, merged);
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    @Test
    void concurrentInsertsErasesMovesAndUpdatesOfEmbeddedElementsAllApply() throws Exception {
        try (RealmSyncClient a = client("listops-a", "listops"); RealmSyncClient b = client("listops-b", "listops")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "listops"));
            List<String> streets = List.of("one", "two", "three");
            for (int i = 0; i < streets.size(); i++) {
                a.insertEmbedded("Parcel", id, "stops", i, Map.of("street", streets.get(i)));
            }
            a.waitForUpload();
            holds(b, id, "stops", List.of(address("one", null, null), address("two", null, null), address("three", null, null)));

            // B offline: appends, erases "one", updates "three". A online meanwhile: inserts at the front and moves "two"
            // to the end. As whole values one side's edits would be lost; element by element every edit applies.
            b.goOffline();
            b.insertEmbedded("Parcel", id, "stops", 3, Map.of("street", "from-b"));
            b.edit("Parcel", id, "stops", listErase(0));
            b.updateEmbeddedAt("Parcel", id, "stops", 1, Map.of("city", "b-city"));
            aLaterMillisecond(); // A's edits are the later ones (a tie would be ordered by file identity)
            a.insertEmbedded("Parcel", id, "stops", 0, Map.of("street", "from-a", "floor", 1L));
            a.edit("Parcel", id, "stops", listMove(2, 3));
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            a.waitForDownload();
            // A's list: from-a, one, three, two; B's: two, three(b-city), from-b. Merged: from-a, three(b-city), two, from-b
            // (B's append lands after A's moved element: both at the end, the move is earlier).
            List<Map<String, Object>> expected = List.of(address("from-a", null, 1L), address("three", "b-city", null),
                    address("two", null, null), address("from-b", null, null));
            Object onA = eventually(() -> Objects.equals(a.readEmbedded("Parcel", id, "stops"), b.readEmbedded("Parcel", id, "stops"))
                    ? a.readEmbedded("Parcel", id, "stops") : null);
            assertThat(onA).as("both clients hold the same list: A %s, B %s", a.readEmbedded("Parcel", id, "stops"),
                    b.readEmbedded("Parcel", id, "stops")).isNotNull();
            stopsConverge(a, b, id, expected);
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    @Test
    void aDeletedEmbeddedObjectWinsOverAConcurrentEditOfIt() throws Exception {
        try (RealmSyncClient a = client("del-a", "deleted"); RealmSyncClient b = client("del-b", "deleted")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "deleted"));
            a.setEmbedded("Parcel", id, "address", Map.of("street", "start"));
            a.waitForUpload();
            holds(b, id, "address", address("start", null, null));

            a.goOffline();
            b.goOffline();
            a.removeEmbedded("Parcel", id, "address");
            aLaterMillisecond();
            b.updateEmbedded("Parcel", id, "address", Map.of("city", "later edit"));
            a.goOnline();
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();

            // realm-core: setting the field to null discards concurrent edits inside it, whatever their timestamps.
            assertThat(holds(a, id, "address", null)).isNull();
            assertThat(holds(b, id, "address", null)).isNull();
            // A deleted embedded object leaves no field in MongoDB (as App Services stored it).
            assertThat(mongoHolds(id, d -> !d.containsKey("address"))).doesNotContainKey("address");
        }
    }

    @Test
    void anEmbeddedClassTheAppsSchemaDoesNotDeclareIsRefusedWithAClearErrorAndNothingIsWritten() throws Exception {
        // The client's Parcel has an embedded "Box" the app's schema does not have.
        List<ObjectClass> schema = List.of(new ObjectClass("Parcel", List.of(
                Property.primaryKey("_id", RealmC.RLM_PROPERTY_TYPE_OBJECT_ID),
                new Property("owner_id", RealmC.RLM_PROPERTY_TYPE_STRING, false, false),
                RealmSyncClient.embedded("box", "Box", RealmC.RLM_COLLECTION_TYPE_NONE))),
                ObjectClass.embedded("Box", List.of(Property.optional("size", RealmC.RLM_PROPERTY_TYPE_INT))));
        try (RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve("refused")), schema)) {
            // The client uploads its schema as its first changeset, before any subscription or object.
            List<String> errors = eventually(() -> client.syncErrors().isEmpty() ? null : client.syncErrors());
            assertThat(errors).isNotNull();
            // Whichever of the class or its parent's property the client's schema changeset names first.
            assertThat(String.join("\n", errors)).containsAnyOf("embedded object class Box is not in this app's sync schema",
                    "link property Parcel.box has no relationship in the app's rules");
            assertThat(parcels().countDocuments(new Document("box", new Document("$exists", true)))).isZero();
        }
    }

    /** Waits until the wall clock (realm-core stamps each write with it, in milliseconds) has moved on by two. */
    private static void aLaterMillisecond() {
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() < start + 2) {
            Thread.onSpinWait();
        }
    }
}
