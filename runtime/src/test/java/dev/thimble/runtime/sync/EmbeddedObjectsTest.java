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
}
