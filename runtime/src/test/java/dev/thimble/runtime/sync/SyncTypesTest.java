package dev.thimble.runtime.sync;

import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.sync.realmc.RealmC;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import dev.thimble.runtime.sync.realmc.RealmSyncClient.ObjectClass;
import dev.thimble.runtime.sync.realmc.RealmSyncClient.Property;
import org.bson.BsonBinary;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.dictionaryPut;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listInsert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The value types decision record "sync types" added, between real clients and MongoDB ({@code Parcel}
 * in {@code shop.parcels}): binary and decimal128 (fields, lists, dictionaries, mixed), float, counters
 * merged by adding, and typed links in a mixed field.
 */
class SyncTypesTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    static final List<ObjectClass> SCHEMA;

    static {
        List<Property> parcel = new ArrayList<>(SyncEmbeddedObjectsTest.SCHEMA.getFirst().properties());
        parcel.add(Property.optional("blob", RealmC.RLM_PROPERTY_TYPE_BINARY));
        parcel.add(Property.optional("amount", RealmC.RLM_PROPERTY_TYPE_DECIMAL128));
        parcel.add(Property.optional("ratio", RealmC.RLM_PROPERTY_TYPE_FLOAT));
        parcel.add(new Property("hits", RealmC.RLM_PROPERTY_TYPE_INT, false, false));
        parcel.add(Property.collection("blobs", RealmC.RLM_COLLECTION_TYPE_LIST, RealmC.RLM_PROPERTY_TYPE_BINARY));
        parcel.add(Property.collection("amounts", RealmC.RLM_COLLECTION_TYPE_DICTIONARY, RealmC.RLM_PROPERTY_TYPE_DECIMAL128));
        SCHEMA = List.of(new ObjectClass("Parcel", parcel), SyncEmbeddedObjectsTest.SCHEMA.get(1), SyncEmbeddedObjectsTest.SCHEMA.get(2),
                new ObjectClass("Shelf", List.of(
                Property.primaryKey("_id", RealmC.RLM_PROPERTY_TYPE_OBJECT_ID),
                new Property("owner_id", RealmC.RLM_PROPERTY_TYPE_STRING, false, false))));
    }

    /** {@link #SCHEMA} with a nullable counter (the app's JSON schema leaves {@code hits} optional). */
    static final List<ObjectClass> NULLABLE_COUNTER_SCHEMA = SCHEMA.stream().map(c -> !c.name().equals("Parcel") ? c
            : new ObjectClass("Parcel", c.properties().stream()
                    .map(p -> p.name().equals("hits") ? new Property("hits", RealmC.RLM_PROPERTY_TYPE_INT, true, false) : p).toList())).toList();

    static RealmSyncClient client(String name, String owner) throws Exception {
        return client(name, owner, SCHEMA);
    }

    static RealmSyncClient client(String name, String owner, List<ObjectClass> schema) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve(name)), schema);
        assertThat(client.subscribe("Parcel", "owner_id == \"" + owner + "\"").complete()).isTrue();
        assertThat(client.subscribe("Shelf", "owner_id == \"" + owner + "\"").complete()).isTrue();
        return client;
    }

    static MongoCollection<BsonDocument> parcels() {
        return SERVER.host().database().database("shop").getCollection("parcels", BsonDocument.class);
    }

    static BsonDocument stored(ObjectId id) {
        return parcels().find(new BsonDocument("_id", new BsonObjectId(id))).first();
    }

    /** Byte arrays compared by content: as hex. */
    static Object comparable(Object v) {
        return switch (v) {
            case byte[] b -> "hex:" + HexFormat.of().formatHex(b);
            case List<?> l -> l.stream().map(SyncTypesTest::comparable).toList();
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(k, comparable(x)));
                yield out;
            }
            case null -> null;
            default -> v;
        };
    }

    /** Waits until {@code read} on the client gives {@code expected}; returns what it last gave. */
    static Object holds(RealmSyncClient client, Function<RealmSyncClient, Object> read, Object expected) throws InterruptedException {
        Object want = comparable(expected);
        Object seen = eventually(() -> Objects.equals(comparable(read.apply(client)), want) ? "yes" : null);
        return seen != null ? want : comparable(read.apply(client));
    }

    static Function<RealmSyncClient, Object> field(ObjectId id, String name) {
        return c -> {
            Map<String, Object> v = c.get("Parcel", id, List.of(name));
            return v == null ? "no object" : v.get(name);
        };
    }

    static Function<RealmSyncClient, Object> collection(ObjectId id, String name) {
        return c -> c.collection("Parcel", id, name);
    }

    @Test
    void binaryDecimalAndFloatValuesSyncBothWaysWithTheirBsonTypes() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
        Decimal128 amount = Decimal128.parse("12345678901234567890.125");
        try (RealmSyncClient a = client("types-a", "types"); RealmSyncClient b = client("types-b", "types")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "types", "blob", bytes, "amount", amount, "ratio", 0.75f));
            a.edit("Parcel", id, "blobs", listInsert(0, new byte[]{7}), listInsert(1, new byte[0]));
            a.edit("Parcel", id, "amounts", dictionaryPut("tax", Decimal128.parse("-0.001")), dictionaryPut("fee", Decimal128.parse("3")));
            a.update("Parcel", id, Map.of("extra", Decimal128.parse("2.50")));
            a.waitForUpload();

            BsonDocument doc = stored(id);
            assertThat(doc.get("blob")).isEqualTo(new BsonBinary(bytes)); // binData subtype 0, as App Services stored it
            assertThat(doc.getBinary("blob").getType()).isEqualTo((byte) 0);
            assertThat(doc.get("amount")).isEqualTo(new BsonDecimal128(amount));
            assertThat(doc.get("ratio")).isEqualTo(new BsonDouble(0.75)); // BSON has no float: a double
            assertThat(doc.getArray("blobs").getValues()).containsExactly(new BsonBinary(new byte[]{7}), new BsonBinary(new byte[0]));
            assertThat(doc.getDocument("amounts")).isEqualTo(new BsonDocument("tax", new BsonDecimal128(Decimal128.parse("-0.001")))
                    .append("fee", new BsonDecimal128(Decimal128.parse("3"))));
            assertThat(doc.get("extra")).isEqualTo(new BsonDecimal128(Decimal128.parse("2.50")));

            assertThat(holds(b, field(id, "blob"), bytes)).isEqualTo(comparable(bytes));
            assertThat(holds(b, field(id, "amount"), amount)).isEqualTo(amount);
            assertThat(holds(b, field(id, "ratio"), 0.75f)).isEqualTo(0.75f);
            assertThat(holds(b, collection(id, "blobs"), List.of(new byte[]{7}, new byte[0]))).isEqualTo(comparable(List.of(new byte[]{7}, new byte[0])));
            Map<String, Object> amounts = Map.of("fee", Decimal128.parse("3"), "tax", Decimal128.parse("-0.001"));
            assertThat(holds(b, c -> c.collection("Parcel", id, "amounts") instanceof Map<?, ?> m ? Map.copyOf(m) : null, amounts)).isEqualTo(amounts);
            assertThat(holds(b, field(id, "extra"), Decimal128.parse("2.50"))).isEqualTo(Decimal128.parse("2.50"));

            // A binary in a mixed field, from the client; then MongoDB writes by the driver reach both clients.
            a.update("Parcel", id, Map.of("extra", new byte[]{9, 9}));
            a.waitForUpload();
            assertThat(stored(id).get("extra")).isEqualTo(new BsonBinary(new byte[]{9, 9}));
            assertThat(holds(b, field(id, "extra"), new byte[]{9, 9})).isEqualTo(comparable(new byte[]{9, 9}));

            SERVER.host().database().database("shop").getCollection("parcels").updateOne(new Document("_id", id), new Document("$set",
                    new Document("blob", new Binary(new byte[]{42})).append("amount", Decimal128.parse("-1E+3")).append("ratio", 1.5)
                            .append("blobs", List.of(new Binary(new byte[]{1, 2}))).append("amounts.fee", Decimal128.parse("4"))));
            for (RealmSyncClient client : List.of(a, b)) {
                assertThat(holds(client, field(id, "blob"), new byte[]{42})).isEqualTo(comparable(new byte[]{42}));
                assertThat(holds(client, field(id, "amount"), Decimal128.parse("-1E+3"))).isEqualTo(Decimal128.parse("-1E+3"));
                assertThat(holds(client, field(id, "ratio"), 1.5f)).isEqualTo(1.5f);
                assertThat(holds(client, collection(id, "blobs"), List.of(new byte[]{1, 2}))).isEqualTo(comparable(List.of(new byte[]{1, 2})));
                assertThat(holds(client, c -> c.collection("Parcel", id, "amounts") instanceof Map<?, ?> m ? m.get("fee") : null,
                        Decimal128.parse("4"))).isEqualTo(Decimal128.parse("4"));
            }
        }
    }

    @Test
    void concurrentCounterIncrementsAllCountOnBothClientsAndInMongo() throws Exception {
        try (RealmSyncClient a = client("counter-a", "counter"); RealmSyncClient b = client("counter-b", "counter")) {
            ObjectId id = parcelSeenByBoth(a, b, "counter");

            // B increments while offline; A increments twice online meanwhile.
            b.goOffline();
            b.increment("Parcel", id, "hits", 10);
            a.increment("Parcel", id, "hits", 1);
            a.increment("Parcel", id, "hits", 1);
            a.waitForUpload();
            assertThat(stored(id).get("hits")).isEqualTo(new BsonInt64(2));
            backOnline(b);
            hitsConverge(a, b, id, 12L);

            // A MongoDB $inc reaches the clients as the new value.
            SERVER.host().database().database("shop").getCollection("parcels")
                    .updateOne(new Document("_id", id), new Document("$inc", new Document("hits", 5L)));
            assertThat(holds(a, field(id, "hits"), 17L)).isEqualTo(17L);
            assertThat(holds(b, field(id, "hits"), 17L)).isEqualTo(17L);
        }
    }

    @Test
    void anIncrementMadeBeforeAConcurrentSetIsDiscardedOnTheClientAndTheServerAlike() throws Exception {
        try (RealmSyncClient a = client("counterset-a", "counterset"); RealmSyncClient b = client("counterset-b", "counterset")) {
            ObjectId id = parcelSeenByBoth(a, b, "counterset");

            b.goOffline();
            b.increment("Parcel", id, "hits", 3);
            // A later set (by realm-core's order: its timestamp is after B's increment) wins over the increment.
            long incrementedAt = System.currentTimeMillis();
            eventually(() -> System.currentTimeMillis() > incrementedAt + 2 ? "later" : null); // sync timestamps are milliseconds
            a.update("Parcel", id, Map.of("hits", 100L));
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            assertThat(holds(b, field(id, "hits"), 100L)).isEqualTo(100L);
            assertThat(holds(a, field(id, "hits"), 100L)).isEqualTo(100L);
            assertThat(stored(id).get("hits").asNumber().longValue()).isEqualTo(100L);

            // An increment made after the set (B has seen it) counts.
            b.increment("Parcel", id, "hits", 3);
            b.waitForUpload();
            assertThat(stored(id).get("hits").asNumber().longValue()).isEqualTo(103L);
            assertThat(holds(a, field(id, "hits"), 103L)).isEqualTo(103L);
        }
    }

    /** A parcel of {@code owner} created by A and seen by B with its counter at 0. */
    static ObjectId parcelSeenByBoth(RealmSyncClient a, RealmSyncClient b, String owner) throws InterruptedException {
        ObjectId id = new ObjectId();
        a.create("Parcel", id, Map.of("owner_id", owner));
        a.waitForUpload();
        assertThat(holds(b, field(id, "hits"), 0L)).isEqualTo(0L);
        return id;
    }

    /** A parcel of {@code owner} created by A with its counter at {@code hits}, and seen so by B. */
    static ObjectId parcelWithHits(RealmSyncClient a, RealmSyncClient b, String owner, long hits) throws InterruptedException {
        ObjectId id = new ObjectId();
        a.create("Parcel", id, Map.of("owner_id", owner, "hits", hits));
        a.waitForUpload();
        assertThat(holds(b, field(id, "hits"), hits)).isEqualTo(hits);
        return id;
    }

    /** Waits until the sync clock (milliseconds) has moved past now, so the next write is later by realm-core's order. */
    static void nextMillisecond() throws InterruptedException {
        long at = System.currentTimeMillis();
        eventually(() -> System.currentTimeMillis() > at + 2 ? "later" : null);
    }

    /** Brings a client back online and waits until it has uploaded and downloaded everything. */
    static void backOnline(RealmSyncClient client) {
        client.goOnline();
        client.waitForUpload();
        client.waitForDownload();
    }

    /** MongoDB and both clients hold {@code expected} in the parcel's counter. */
    static void hitsConverge(RealmSyncClient a, RealmSyncClient b, ObjectId id, long expected) throws InterruptedException {
        assertThat(stored(id).get("hits").asNumber().longValue()).isEqualTo(expected);
        assertThat(holds(a, field(id, "hits"), expected)).isEqualTo(expected);
        assertThat(holds(b, field(id, "hits"), expected)).isEqualTo(expected);
    }

    @Test
    void aLaterIncrementSurvivesAConcurrentEarlierSetInEitherArrivalOrder() throws Exception {
        try (RealmSyncClient a = client("counterlate-a", "counterlate"); RealmSyncClient b = client("counterlate-b", "counterlate")) {
            ObjectId id = parcelSeenByBoth(a, b, "counterlate");

            // The set reaches the server after the increment: A sets offline, B increments later (by timestamp) online.
            a.goOffline();
            a.update("Parcel", id, Map.of("hits", 100L));
            nextMillisecond();
            b.increment("Parcel", id, "hits", 3);
            b.waitForUpload();
            assertThat(stored(id).get("hits").asNumber().longValue()).isEqualTo(3L);
            backOnline(a);
            // realm-core's rule: the later increment is added to the earlier set, on both clients and on the server.
            hitsConverge(a, b, id, 103L);

            // The set reaches the server first: A sets online, B (offline, not having seen it) increments later.
            b.goOffline();
            a.update("Parcel", id, Map.of("hits", 200L));
            a.waitForUpload();
            nextMillisecond();
            b.increment("Parcel", id, "hits", 4);
            backOnline(b);
            hitsConverge(a, b, id, 204L);
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /**
     * An increment of a null changes nothing (realm-core's applier; its client refuses to increment a null it holds,
     * so the increment meets the null on the server), but realm-core's transform still adds it to a concurrent
     * earlier set integrated after it. B, offline, increments a counter that MongoDB has since set to null; A had
     * seen the null and set 10 offline, earlier than B's increment by timestamp, and arrives last: A, B and MongoDB
     * all hold 15 (before the server recorded increments of a null: 10).
     */
    @Test
    void anIncrementOfANullCountsForAConcurrentEarlierSetThatArrivesAfterIt() throws Exception {
        try (RealmSyncClient a = client("counternull-a", "counternull", NULLABLE_COUNTER_SCHEMA);
             RealmSyncClient b = client("counternull-b", "counternull", NULLABLE_COUNTER_SCHEMA)) {
            ObjectId id = parcelWithHits(a, b, "counternull", 0L);

            b.goOffline();
            // Written with the driver: the app's rules refuse a null counter from a client (its JSON schema says "long").
            parcels().updateOne(new BsonDocument("_id", new BsonObjectId(id)), new BsonDocument("$set", new BsonDocument("hits", org.bson.BsonNull.VALUE)));
            assertThat(holds(a, field(id, "hits"), null)).isNull();
            a.goOffline();
            a.update("Parcel", id, Map.of("hits", 10L));
            nextMillisecond();
            b.increment("Parcel", id, "hits", 5);
            backOnline(b);
            assertThat(stored(id).get("hits")).isEqualTo(org.bson.BsonNull.VALUE);
            assertThat(holds(b, field(id, "hits"), null)).isNull();
            backOnline(a);
            hitsConverge(a, b, id, 15L);
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /**
     * A counter removed from the document (MongoDB {@code $unset}) reaches clients that declare it nullable as null. B,
     * offline, increments the value it held, later by timestamp than the removal: realm-core adds the increment to the
     * earlier null set, which stays null, so A and B hold null. The server must not create the field with the amount
     * (MongoDB {@code $inc} on an absent field): an absent field the sync schema makes nullable takes an increment as a
     * null does (decision record 0065). Before: A and B null, MongoDB 5.
     */
    @Test
    void anIncrementOfARemovedNullableCounterLeavesItAbsentAsTheClientsHoldItNull() throws Exception {
        try (RealmSyncClient a = client("counterabsent-a", "counterabsent", NULLABLE_COUNTER_SCHEMA);
             RealmSyncClient b = client("counterabsent-b", "counterabsent", NULLABLE_COUNTER_SCHEMA)) {
            ObjectId id = parcelWithHits(a, b, "counterabsent", 7L);

            b.goOffline();
            parcels().updateOne(new BsonDocument("_id", new BsonObjectId(id)), new BsonDocument("$unset", new BsonDocument("hits", new org.bson.BsonString(""))));
            assertThat(holds(a, field(id, "hits"), null)).isNull();
            nextMillisecond();
            b.increment("Parcel", id, "hits", 5);
            backOnline(b);
            a.waitForDownload();
            assertThat(holds(b, field(id, "hits"), null)).as("B merged its increment past the earlier removal").isNull();
            assertThat(holds(a, field(id, "hits"), null)).isNull();
            BsonValue stored = stored(id).get("hits");
            assertThat(stored == null || stored.isNull()).as("MongoDB's hits: %s", stored).isTrue();
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();

            // A later set counts as usual, and increments after it are written.
            a.update("Parcel", id, Map.of("hits", 2L));
            a.waitForUpload();
            assertThat(holds(b, field(id, "hits"), 2L)).isEqualTo(2L);
            b.increment("Parcel", id, "hits", 1);
            b.waitForUpload();
            hitsConverge(a, b, id, 3L);
        }
    }

    /**
     * realm-core keeps an increment over a concurrent <em>default</em> value (a new object's, {@code is_default})
     * whatever the timestamps. B, offline, creates an object and increments its counter; another client creates the
     * same object later, with the counter's default value, and reaches the server first (a protocol-level client: the
     * 14.12 client uploads the values it is given through the C API without the default flag). B must keep its
     * increment (it gets the default as one and merges it by realm-core's rule), and so must the server and A.
     */
    @Test
    void anIncrementSurvivesAConcurrentCreationsDefaultValueWhateverTheTimestamps() throws Exception {
        SyncRouteTest.Frames frames = new SyncRouteTest.Frames();
        SyncListMergeTest.RawSession other = SyncListMergeTest.RawSession.open(SERVER, frames);
        try (RealmSyncClient a = client("counterdefault-a", "counterdefault"); RealmSyncClient b = client("counterdefault-b", "counterdefault")) {
            ObjectId id = new ObjectId();
            b.goOffline();
            b.create("Parcel", id, Map.of("owner_id", "counterdefault"));
            b.increment("Parcel", id, "hits", 5);
            nextMillisecond();
            org.bson.BsonObjectId pk = new BsonObjectId(id);
            long syncNow = System.currentTimeMillis() - 1_420_070_400_000L; // sync timestamps count from 2015-01-01
            other.upload(List.of(new Instruction.CreateObject("Parcel", pk),
                    new Instruction.Update("Parcel", pk, "owner_id", new BsonString("counterdefault"), false),
                    new Instruction.Update("Parcel", pk, "hits", new BsonInt64(0), true)), syncNow, 0);
            assertThat(stored(id).get("hits").asNumber().longValue()).isEqualTo(0L);
            backOnline(b);
            hitsConverge(a, b, id, 5L);

            // A real set later than an increment still wins over it (the default rule is for defaults only).
            b.goOffline();
            b.increment("Parcel", id, "hits", 1);
            nextMillisecond();
            a.update("Parcel", id, Map.of("hits", 50L));
            a.waitForUpload();
            backOnline(b);
            hitsConverge(a, b, id, 50L);
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        } finally {
            other.ws().abort();
        }
    }

    @Test
    void aTypedLinkInAMixedFieldIsStoredAsAReferenceAndComesBackAsALink() throws Exception {
        try (RealmSyncClient a = client("mixlink-a", "mixlink"); RealmSyncClient b = client("mixlink-b", "mixlink")) {
            ObjectId shelf = new ObjectId();
            ObjectId parcel = new ObjectId();
            a.create("Shelf", shelf, Map.of("owner_id", "mixlink"));
            a.create("Parcel", parcel, Map.of("owner_id", "mixlink"));
            a.update("Parcel", parcel, Map.of("extra", new RealmSyncClient.Link("Shelf", shelf)));
            a.waitForUpload();
            assertThat(a.syncErrors()).isEmpty();
            BsonValue extra = stored(parcel).get("extra");
            assertThat(extra).isEqualTo(new BsonDocument("$ref", new BsonString("shelves")).append("$id", new BsonObjectId(shelf)));
            // The other client holds a link to the shelf (read back as the target's primary key).
            assertThat(holds(b, field(parcel, "extra"), shelf)).isEqualTo(shelf);
            assertThat(b.linkTargetClass("Parcel", parcel, "extra")).isEqualTo("Shelf");

            // A reference written by the driver reaches the clients as a link too.
            ObjectId other = new ObjectId();
            SERVER.host().database().database("shop").getCollection("shelves").insertOne(new Document("_id", other).append("owner_id", "mixlink"));
            SERVER.host().database().database("shop").getCollection("parcels").updateOne(new Document("_id", parcel),
                    new Document("$set", new Document("extra", new Document("$ref", "shelves").append("$id", other))));
            assertThat(holds(a, field(parcel, "extra"), other)).isEqualTo(other);
            assertThat(holds(b, field(parcel, "extra"), other)).isEqualTo(other);
        }
    }
}
