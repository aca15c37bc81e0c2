package dev.thimble.runtime.changes;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeEventTest {

    @Test
    void readsAChangeStreamEventOfARealDeployment() {
        // As MongoDB 6 delivers it with fullDocument: updateLookup and pre-images on.
        ChangeEvent event = ChangeEvent.fromBsonDocument(BsonDocument.parse("""
                {_id: {_data: '8265A1B2C3000000012B022C0100296E5A1004'}, operationType: 'update',
                 clusterTime: {$timestamp: {t: 1705000000, i: 1}}, wallTime: {$date: '2024-01-11T19:06:40.123Z'},
                 ns: {db: 'shop', coll: 'items'}, documentKey: {_id: {$oid: '65a1b2c3d4e5f60718293a4b'}},
                 updateDescription: {updatedFields: {qty: 6}, removedFields: ['note'], truncatedArrays: []},
                 fullDocument: {_id: {$oid: '65a1b2c3d4e5f60718293a4b'}, qty: 6},
                 fullDocumentBeforeChange: {_id: {$oid: '65a1b2c3d4e5f60718293a4b'}, qty: 5, note: 'x'}}"""));
        assertThat(event.operationType()).isEqualTo(OperationType.UPDATE);
        assertThat(event.ns()).isEqualTo(new Namespace("shop", "items"));
        assertThat(event.resumeData()).isEqualTo("8265A1B2C3000000012B022C0100296E5A1004");
        assertThat(event.updateDescription().removedFields()).containsExactly("note");
        assertThat(event.fullDocumentBeforeChange().getInt32("qty").getValue()).isEqualTo(5);
        assertThat(event.wallTime()).isEqualTo(Instant.parse("2024-01-11T19:06:40.123Z"));
        assertThat(ChangeEvent.fromBsonDocument(event.toBsonDocument())).isEqualTo(event);
    }

    @Test
    void olderServersWithoutWallTimeAndOtherOperationTypes() {
        ChangeEvent delete = ChangeEvent.fromBsonDocument(BsonDocument.parse("""
                {_id: {_data: '82'}, operationType: 'delete', clusterTime: {$timestamp: {t: 1705000000, i: 1}},
                 ns: {db: 'shop', coll: 'items'}, documentKey: {_id: 1}, fullDocument: null}"""));
        assertThat(delete.wallTime()).isEqualTo(Instant.ofEpochSecond(1705000000));
        assertThat(delete.fullDocument()).isNull();
        assertThat(ChangeEvent.fromBsonDocument(BsonDocument.parse("{_id: {_data: '82'}, operationType: 'drop',"
                + " clusterTime: {$timestamp: {t: 1, i: 1}}, ns: {db: 'shop', coll: 'items'}}"))).isNull();
        assertThatThrownBy(() -> ChangeEvent.fromBsonDocument(BsonDocument.parse("{operationType: 'insert'}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
