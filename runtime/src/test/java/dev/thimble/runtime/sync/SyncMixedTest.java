package dev.thimble.runtime.sync;

import dev.thimble.runtime.sync.realmc.RealmC;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import dev.thimble.runtime.sync.realmc.RealmSyncClient.ObjectClass;
import dev.thimble.runtime.sync.realmc.RealmSyncClient.Property;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listInsert;
import static org.assertj.core.api.Assertions.assertThat;

/** Realm {@code mixed} values (any scalar, or null) between real clients and MongoDB ({@code Parcel.extra}, {@code extras}, {@code Address.tag}). */
class SyncMixedTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    static RealmSyncClient client(String name, String owner) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve(name)), SyncEmbeddedObjectsTest.SCHEMA);
        assertThat(client.subscribe("Parcel", "owner_id == \"" + owner + "\"").complete()).isTrue();
        return client;
    }

    static BsonDocument stored(ObjectId id) {
        return SERVER.host().database().database("shop").getCollection("parcels", BsonDocument.class)
                .find(new BsonDocument("_id", new BsonObjectId(id))).first();
    }

    static Object holdsExtra(RealmSyncClient client, ObjectId id, Object expected) throws InterruptedException {
        Object seen = eventually(() -> {
            Map<String, Object> v = client.get("Parcel", id, List.of("extra"));
            return v != null && Objects.equals(v.get("extra"), expected) ? "yes" : null;
        });
        Map<String, Object> now = client.get("Parcel", id, List.of("extra"));
        return seen != null ? expected : now == null ? "no object" : now.get("extra");
    }

    @Test
    void everyScalarTypeInAMixedFieldKeepsItsTypeBothWays() throws Exception {
        ObjectId oid = new ObjectId();
        UUID uuid = UUID.randomUUID();
        Instant when = Instant.parse("2026-12-06T10:15:30.123Z");
        // What the client writes, and what MongoDB must hold for it.
        List<Object[]> values = List.of(
                new Object[]{"text", new BsonString("text")},
                new Object[]{42L, new BsonInt64(42)},
                new Object[]{2.5, new BsonDouble(2.5)},
                new Object[]{true, BsonBoolean.TRUE},
                new Object[]{oid, new BsonObjectId(oid)},
                new Object[]{when, new BsonDateTime(when.toEpochMilli())},
                new Object[]{uuid, new BsonBinary(uuid, UuidRepresentation.STANDARD)},
                new Object[]{null, BsonNull.VALUE});
        try (RealmSyncClient a = client("mixed-a", "mixed"); RealmSyncClient b = client("mixed-b", "mixed")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "mixed"));
            for (Object[] v : values) {
                Map<String, Object> update = new HashMap<>();
                update.put("extra", v[0]);
                a.update("Parcel", id, update);
                a.waitForUpload();
                assertThat(stored(id).get("extra")).as("MongoDB holds %s", v[0]).isEqualTo(v[1]);
                assertThat(holdsExtra(b, id, v[0])).as("client B holds %s", v[0]).isEqualTo(v[0]);
            }

            // MongoDB writes of different types reach the clients with their types (an int32 as Realm's int).
            SERVER.host().database().database("shop").getCollection("parcels")
                    .updateOne(new Document("_id", id), new Document("$set", new Document("extra", 7)));
            assertThat(holdsExtra(a, id, 7L)).isEqualTo(7L);
            SERVER.host().database().database("shop").getCollection("parcels")
                    .updateOne(new Document("_id", id), new Document("$set", new Document("extra", "from mongo")));
            assertThat(holdsExtra(b, id, "from mongo")).isEqualTo("from mongo");
        }
    }

    @Test
    void aListOfMixedAndAMixedInsideAnEmbeddedObjectSync() throws Exception {
        try (RealmSyncClient a = client("mixlist-a", "mixlist"); RealmSyncClient b = client("mixlist-b", "mixlist")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "mixlist"));
            a.edit("Parcel", id, "extras", listInsert(0, "a"), listInsert(1, 7L), listInsert(2, null), listInsert(3, 1.5));
            a.setEmbedded("Parcel", id, "address", Map.of("street", "Main", "tag", true));
            a.waitForUpload();
            BsonDocument doc = stored(id);
            assertThat(doc.getArray("extras").getValues()).containsExactly(new BsonString("a"), new BsonInt64(7), BsonNull.VALUE, new BsonDouble(1.5));
            assertThat(doc.getDocument("address").get("tag")).isEqualTo(BsonBoolean.TRUE);

            List<Object> expected = new ArrayList<>(Arrays.asList("a", 7L, null, 1.5));
            assertThat(eventually(() -> Objects.equals(b.collection("Parcel", id, "extras"), expected) ? "yes" : null)).isEqualTo("yes");
            assertThat(eventually(() -> b.readEmbedded("Parcel", id, "address") instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("tag")) ? "yes" : null))
                    .isEqualTo("yes");
        }
    }

    @Test
    void aTypedLinkInAListOfMixedIsStoredAsAReferenceAndReachesTheOtherClientAsALink() throws Exception {
        List<ObjectClass> schema = new ArrayList<>(SyncEmbeddedObjectsTest.SCHEMA);
        schema.add(new ObjectClass("Shelf", List.of(
                Property.primaryKey("_id", RealmC.RLM_PROPERTY_TYPE_OBJECT_ID),
                new Property("owner_id", RealmC.RLM_PROPERTY_TYPE_STRING, false, false))));
        try (RealmSyncClient a = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve("typed-link-a")), schema);
             RealmSyncClient b = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                     Files.createDirectories(SERVER.temp().resolve("typed-link-b")), schema)) {
            for (RealmSyncClient client : List.of(a, b)) {
                assertThat(client.subscribe("Parcel", "owner_id == \"typed\"").complete()).isTrue();
                assertThat(client.subscribe("Shelf", "owner_id == \"typed\"").complete()).isTrue();
            }
            ObjectId shelf = new ObjectId();
            ObjectId parcel = new ObjectId();
            a.create("Shelf", shelf, Map.of("owner_id", "typed"));
            a.create("Parcel", parcel, Map.of("owner_id", "typed"));
            a.edit("Parcel", parcel, "extras", listInsert(0, "text"), listInsert(1, new RealmSyncClient.Link("Shelf", shelf)));
            a.waitForUpload();
            assertThat(a.syncErrors()).isEmpty();
            assertThat(stored(parcel).getArray("extras").getValues()).containsExactly(new BsonString("text"),
                    new BsonDocument("$ref", new BsonString("shelves")).append("$id", new BsonObjectId(shelf)));
            List<Object> expected = List.of("text", shelf); // the link read back as its target's primary key
            assertThat(eventually(() -> expected.equals(b.collection("Parcel", parcel, "extras")) ? "yes" : null))
                    .as("B holds %s", b.collection("Parcel", parcel, "extras")).isEqualTo("yes");
        }
    }

    /**
     * realm-core 14.12 on protocol 14 does sync a collection inside a mixed (its nested collections): the
     * client uploads it (an Update with a List payload, then inserts under that path). This server refuses it
     * by name with nothing written (decision record "sync moves": collections in mixed), and the client
     * reports the error.
     */
    @Test
    void aListInsideAMixedIsUploadedByTheClientAndRefusedByNameWithNothingWritten() throws Exception {
        try (RealmSyncClient a = client("mixed-list", "mixed-list")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "mixed-list"));
            a.waitForUpload();
            a.edit("Parcel", id, "extra", dev.thimble.runtime.sync.realmc.CollectionWrites.mixedList("a", "b"));
            List<String> errors = eventually(() -> a.syncErrors().isEmpty() ? null : a.syncErrors());
            assertThat(errors).as("the client's sync errors").isNotNull();
            assertThat(String.join("\n", errors)).contains("collection inside a mixed");
            assertThat(stored(id)).isNotNull();
            assertThat(stored(id).containsKey("extra") && !stored(id).get("extra").isNull()).as("nothing written: %s", stored(id)).isFalse();
        }
    }
}
