package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The compare-and-set filter that guards a write against another writer between check and write. */
class MongoActionsGuardTest {
    @TempDir
    static Path directory;
    static Database database;
    static MongoCollection<BsonDocument> c;

    @BeforeAll
    static void open() {
        database = Database.open(DatabaseSettings.embedded(directory));
        c = database.database("guard").getCollection("docs", BsonDocument.class);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static boolean stillMatches(String before, String now) {
        c.drop();
        c.insertOne(BsonDocument.parse(now));
        return c.countDocuments(RuledActions.unchanged(BsonDocument.parse(before), null)) == 1;
    }

    @Test
    void anUnchangedDocumentMatchesEvenWithEmptyArraysAndNestedDocuments() {
        for (String document : List.of("{_id: 1}", "{_id: 1, a: [], b: {c: []}, r: [{t: []}, 2], s: 'x', n: null}",
                "{_id: 1, 'dotted.name': [], x: 1}", "{_id: 1, d: {$date: 0}, o: {$oid: '65a0000000000000000000a1'}}")) {
            assertThat(stillMatches(document, document)).as(document).isTrue();
        }
    }

    @Test
    void aChangedAddedOrRemovedFieldDoesNotMatch() {
        String before = "{_id: 1, a: [1, 2], b: {c: 1}, s: 'x'}";
        assertThat(List.of(
                stillMatches(before, "{_id: 1, a: [1, 2], b: {c: 1}, s: 'y'}"),
                stillMatches(before, "{_id: 1, a: [1, 3], b: {c: 1}, s: 'x'}"),
                stillMatches(before, "{_id: 1, a: [1, 2], b: {c: 2}, s: 'x'}"),
                stillMatches(before, "{_id: 1, a: [1, 2], b: {c: 1, d: 1}, s: 'x'}"),
                stillMatches(before, "{_id: 1, a: [1, 2], b: {c: 1}, s: 'x', t: 1}"),
                stillMatches(before, "{_id: 1, a: [1, 2], b: {c: 1}}"),
                stillMatches(before, "{_id: 1, a: [1, 2], b: {c: 1}, s: ['x']}"),
                stillMatches(before, "{_id: 2, a: [1, 2], b: {c: 1}, s: 'x'}")))
                .containsOnly(false);
    }
}
