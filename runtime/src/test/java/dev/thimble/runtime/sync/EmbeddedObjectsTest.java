package dev.thimble.runtime.sync;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploaded edits of one embedded object applied to the stored sub-document, and merged with a concurrent write. */
class EmbeddedObjectsTest {
    static final BsonString PK = new BsonString("p");

    static Instruction.CollectionEdit create() {
        return new Instruction.CollectionEdit("Parcel", PK, "address", Instruction.UPDATE, -1, null, Changesets.NEW_OBJECT, -1, -1);
    }

    static Instruction.CollectionEdit delete() {
        return new Instruction.CollectionEdit("Parcel", PK, "address", Instruction.UPDATE, -1, null, BsonNull.VALUE, -1, -1);
    }

    static Instruction.CollectionEdit set(String sub, BsonValue v) {
        return new Instruction.CollectionEdit("Parcel", PK, "address", Instruction.UPDATE, -1, sub, v, -1, -1);
    }

    @Test
    void creationKeepsAnExistingObjectAndSubFieldUpdatesSetOnlyTheirField() {
        BsonDocument stored = new BsonDocument("street", new BsonString("Main")).append("floor", new BsonInt64(3));
        BsonValue after = EmbeddedObjects.applySingle(stored, List.of(create(), set("city", new BsonString("Oslo"))));
        assertThat(after).isEqualTo(new BsonDocument("street", new BsonString("Main")).append("floor", new BsonInt64(3))
                .append("city", new BsonString("Oslo")));
        assertThat(stored).doesNotContainKey("city"); // the stored value is not changed in place
    }

    @Test
    void aDeleteThenACreationStartsFromAnEmptyObject() {
        BsonDocument stored = new BsonDocument("street", new BsonString("Main"));
        assertThat(EmbeddedObjects.applySingle(stored, List.of(delete()))).isEqualTo(BsonNull.VALUE);
        assertThat(EmbeddedObjects.applySingle(stored, List.of(delete(), create(), set("street", new BsonString("New")))))
                .isEqualTo(new BsonDocument("street", new BsonString("New")));
    }

    @Test
    void aSubFieldUpdateWithNoObjectIsSkipped() {
        assertThat(EmbeddedObjects.applySingle(BsonNull.VALUE, List.of(set("city", new BsonString("Oslo"))))).isEqualTo(BsonNull.VALUE);
    }

    @Test
    void againstAConcurrentWriteADeleteIsAlwaysAppliedAndOtherEditsFollowTheLaterStamp() {
        BsonDocument stored = new BsonDocument("street", new BsonString("Main"));
        List<Instruction.CollectionEdit> edits = List.of(set("city", new BsonString("x")), delete(), create());
        assertThat(EmbeddedObjects.merge(edits, stored, false)).containsExactly(delete(), create());

        List<Instruction.CollectionEdit> update = List.of(set("city", new BsonString("x")));
        assertThat(EmbeddedObjects.merge(update, stored, true)).isEqualTo(update);
        assertThat(EmbeddedObjects.merge(update, stored, false)).isNull();
        // A concurrent delete (stored null) beats a creation and sub-field updates whatever the stamps.
        assertThat(EmbeddedObjects.merge(List.of(create(), set("city", new BsonString("x"))), BsonNull.VALUE, true)).isNull();
    }

    /** Address with a list of strings ({@code lines}) and a nested embedded object ({@code geo}). */
    static final SyncSchema.SyncClass GEO = new SyncSchema.SyncClass("Geo", "", "", java.util.Map.of("lat", "double", "lng", "double"));
    static final SyncSchema.SyncClass ADDRESS = new SyncSchema.SyncClass("Address", "", "",
            java.util.Map.of("street", "string", "lines", "array", "geo", "object"),
            java.util.Map.of("lines", new SyncSchema.CollectionField(SyncSchema.Collection.LIST, "string")), java.util.Map.of(),
            java.util.Map.of("geo", GEO), java.util.Set.of());

    static Instruction.CollectionEdit line(int type, long index, String value, long priorSize) {
        return new Instruction.CollectionEdit("Parcel", PK, "address", type, index, "lines", value == null ? null : new BsonString(value), -1, priorSize);
    }

    static Instruction.CollectionEdit clearLines() {
        return new Instruction.CollectionEdit("Parcel", PK, "address", Instruction.CLEAR, -1, "lines", null, -1, -1);
    }

    static Instruction.CollectionEdit geo(String sub, BsonValue v) {
        return new Instruction.CollectionEdit("Parcel", PK, "address", Instruction.UPDATE, -1, "geo", v, -1, -1, sub);
    }

    @Test
    void editsInsideAnEmbeddedObjectApplyToItsListAndNestedObject() {
        BsonDocument stored = new BsonDocument("street", new BsonString("Main")).append("lines", new org.bson.BsonArray(List.of(new BsonString("a"))));
        BsonValue after = EmbeddedObjects.applySingle(ADDRESS, stored, List.of(line(Instruction.ARRAY_INSERT, 1, "b", 1),
                new Instruction.CollectionEdit("Parcel", PK, "address", Instruction.ARRAY_MOVE, 1, "lines", null, 0, 2),
                geo(null, Changesets.NEW_OBJECT), geo("lat", new org.bson.BsonDouble(1.5))));
        assertThat(after).isEqualTo(new BsonDocument("street", new BsonString("Main"))
                .append("lines", new org.bson.BsonArray(List.of(new BsonString("b"), new BsonString("a"))))
                .append("geo", new BsonDocument("lat", new org.bson.BsonDouble(1.5))));
        assertThat(EmbeddedObjects.applySingle(ADDRESS, after, List.of(geo(null, BsonNull.VALUE)))).isEqualTo(
                new BsonDocument("street", new BsonString("Main")).append("lines", new org.bson.BsonArray(List.of(new BsonString("b"), new BsonString("a")))));
    }

    @Test
    void againstAConcurrentWriteListEditsNeedALaterClearAndANestedDeleteAlwaysWins() {
        BsonDocument stored = new BsonDocument("street", new BsonString("Main")).append("geo", new BsonDocument("lat", new org.bson.BsonDouble(1)));
        List<Instruction.CollectionEdit> append = List.of(line(Instruction.ARRAY_INSERT, 0, "x", 0), set("street", new BsonString("S")));
        // Element edits without a Clear are discarded whatever the stamps (the stored list reaches the client as Clear + content).
        assertThat(EmbeddedObjects.merge(ADDRESS, append, stored, true)).containsExactly(set("street", new BsonString("S")));
        assertThat(EmbeddedObjects.merge(ADDRESS, append, stored, false)).isNull();
        List<Instruction.CollectionEdit> replace = List.of(clearLines(), line(Instruction.ARRAY_INSERT, 0, "x", 0));
        assertThat(EmbeddedObjects.merge(ADDRESS, replace, stored, true)).isEqualTo(replace);
        assertThat(EmbeddedObjects.merge(ADDRESS, replace, stored, false)).isNull();
        // A nested object's delete wins; its sub-field edits follow the later stamp, and are dropped where the stored object has none.
        assertThat(EmbeddedObjects.merge(ADDRESS, List.of(geo(null, BsonNull.VALUE)), stored, false)).containsExactly(geo(null, BsonNull.VALUE));
        assertThat(EmbeddedObjects.merge(ADDRESS, List.of(geo("lat", new org.bson.BsonDouble(2))), stored, true)).hasSize(1);
        assertThat(EmbeddedObjects.merge(ADDRESS, List.of(geo(null, Changesets.NEW_OBJECT), geo("lat", new org.bson.BsonDouble(2))),
                new BsonDocument("street", new BsonString("Main")), true)).isNull();
    }

    @Test
    void aNewEmbeddedObjectPutAtAnExistingListElementKeepsItsSubFieldsAsRealmCoreApplies() {
        // realm-core's applier treats Update(ObjectValue) at an existing list index as a no-op; the server must too,
        // or MongoDB would hold an emptied element its clients do not (the real client replaces with erase + insert).
        SyncSchema.CollectionField list = new SyncSchema.CollectionField(SyncSchema.Collection.LIST, "object");
        BsonValue stored = new org.bson.BsonArray(List.of(new BsonDocument("street", new BsonString("old")).append("floor", new BsonInt64(4))));
        BsonValue pk = new BsonString("p");
        BsonValue after = CollectionEdits.apply(list, stored, List.of(
                new Instruction.CollectionEdit("Parcel", pk, "stops", Instruction.UPDATE, 0, null, Changesets.NEW_OBJECT, -1, -1),
                new Instruction.CollectionEdit("Parcel", pk, "stops", Instruction.UPDATE, 0, null, new BsonString("new"), -1, -1, "street")));
        assertThat(after).isEqualTo(new org.bson.BsonArray(List.of(new BsonDocument("street", new BsonString("new")).append("floor", new BsonInt64(4)))));

        // An erase then an insert of a new object (what the real client sends) is a fresh element.
        BsonValue replaced = CollectionEdits.apply(list, stored, List.of(
                new Instruction.CollectionEdit("Parcel", pk, "stops", Instruction.ARRAY_ERASE, 0, null, null, -1, 1),
                new Instruction.CollectionEdit("Parcel", pk, "stops", Instruction.ARRAY_INSERT, 0, null, Changesets.NEW_OBJECT, -1, 0),
                new Instruction.CollectionEdit("Parcel", pk, "stops", Instruction.UPDATE, 0, null, new BsonString("new"), -1, -1, "street")));
        assertThat(replaced).isEqualTo(new org.bson.BsonArray(List.of(new BsonDocument("street", new BsonString("new")))));
    }
}
