package dev.thimble.runtime.changes;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventMatcherTest {
    static final BsonDocument EVENT = BsonDocument.parse("""
            {operationType: 'update', ns: {db: 'shop', coll: 'items'}, documentKey: {_id: 7},
             fullDocument: {_id: 7, qty: 5, price: 2.5, tags: ['red', 'fresh'], sizes: [{w: 1}, {w: 3}],
                            name: 'Apple', when: {$date: '2030-01-01T00:00:00Z'}, gone: null},
             updateDescription: {updatedFields: {qty: 5}, removedFields: ['note']}}""");

    static boolean matches(String query) {
        return EventMatcher.compile(BsonDocument.parse(query)).matches(EVENT);
    }

    @Test
    void equalityOnDottedPathsArraysAndNumbersOfAnyType() {
        assertThat(matches("{}")).isTrue();
        assertThat(matches("{operationType: 'update', 'ns.coll': 'items'}")).isTrue();
        assertThat(matches("{'fullDocument.qty': 5.0}")).isTrue();
        assertThat(matches("{'fullDocument.qty': {$numberLong: '5'}}")).isTrue();
        assertThat(matches("{'fullDocument.qty': 6}")).isFalse();
        assertThat(matches("{'fullDocument.tags': 'red'}")).as("array contains").isTrue();
        assertThat(matches("{'fullDocument.tags': ['red', 'fresh']}")).isTrue();
        assertThat(matches("{'fullDocument.tags.1': 'fresh'}")).isTrue();
        assertThat(matches("{'fullDocument.sizes.w': 3}")).isTrue();
        assertThat(matches("{'fullDocument.missing': null, 'fullDocument.gone': null}")).isTrue();
        assertThat(matches("{'updateDescription.removedFields': 'note'}")).isTrue();
    }

    @Test
    void operators() {
        assertThat(matches("{operationType: {$in: ['insert', 'update']}}")).isTrue();
        assertThat(matches("{operationType: {$nin: ['insert', 'update']}}")).isFalse();
        assertThat(matches("{'fullDocument.qty': {$gt: 4, $lte: 5}}")).isTrue();
        assertThat(matches("{'fullDocument.qty': {$lt: 5}}")).isFalse();
        assertThat(matches("{'fullDocument.name': {$gt: 5}}")).as("different types do not compare").isFalse();
        assertThat(matches("{'fullDocument.when': {$gte: {$date: '2029-12-31T00:00:00Z'}}}")).isTrue();
        assertThat(matches("{'fullDocument.note': {$exists: false}, 'fullDocument.qty': {$exists: true}}")).isTrue();
        assertThat(matches("{'fullDocument.gone': {$exists: true}}")).isTrue();
        assertThat(matches("{'fullDocument.qty': {$ne: 5}}")).isFalse();
        assertThat(matches("{'fullDocument.missing': {$ne: null}}")).isFalse();
        assertThat(matches("{'fullDocument.qty': {$not: {$gt: 10}}}")).isTrue();
        assertThat(matches("{'fullDocument.name': {$regex: '^app', $options: 'i'}}")).isTrue();
        assertThat(matches("{'fullDocument.name': {$in: [{$regularExpression: {pattern: '^Ap', options: ''}}]}}")).isTrue();
        assertThat(matches("{'fullDocument.tags': {$size: 2, $all: ['fresh', 'red']}}")).isTrue();
        assertThat(matches("{'fullDocument.sizes': {$elemMatch: {w: {$gt: 2}}}}")).isTrue();
        assertThat(matches("{$or: [{operationType: 'insert'}, {'fullDocument.qty': 5}]}")).isTrue();
        assertThat(matches("{$and: [{operationType: 'update'}, {'fullDocument.qty': 6}]}")).isFalse();
        assertThat(matches("{$nor: [{operationType: 'insert'}]}")).isTrue();
        assertThat(matches("{_id: {$in: []}}")).isFalse();
    }

    @Test
    void unknownOrMalformedOperatorsAreRefusedWhenCompiled() {
        assertThatThrownBy(() -> EventMatcher.compile(BsonDocument.parse("{$where: 'true'}"))).hasMessageContaining("$where");
        assertThatThrownBy(() -> EventMatcher.compile(BsonDocument.parse("{a: {$near: [1, 2]}}"))).hasMessageContaining("unknown operator $near");
        assertThatThrownBy(() -> EventMatcher.compile(BsonDocument.parse("{a: {$in: 5}}"))).hasMessageContaining("needs an array");
        assertThatThrownBy(() -> EventMatcher.compile(BsonDocument.parse("{$or: []}"))).hasMessageContaining("non-empty array");
        assertThatThrownBy(() -> EventMatcher.compile(BsonDocument.parse("{a: {$regex: '('}}"))).hasMessageContaining("invalid regex");
    }
}
