package dev.thimble.runtime.sync;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Subscription queries as MongoDB filters and as in-memory predicates. */
class RqlTest {
    static final Set<String> QUERYABLE = Set.of("_id", "owner_id", "name", "price");

    static Rql.Query parse(String q) {
        return Rql.parse(q, QUERYABLE);
    }

    @Test
    void theFormsTheSdksSendBecomeFilters() {
        assertThat(parse("(owner_id == \"a\" ) OR (price > 10)").filter()).isEqualTo(BsonDocument.parse(
                "{$or: [{owner_id: {$eq: 'a'}}, {price: {$gt: {$numberLong: '10'}}}]}"));
        assertThat(parse("TRUEPREDICATE").filter()).isEqualTo(new BsonDocument());
        assertThat(parse("owner_id != 'a' AND price <= 2.5").filter()).isEqualTo(BsonDocument.parse(
                "{$and: [{owner_id: {$ne: 'a'}}, {price: {$lte: 2.5}}]}"));
    }

    @Test
    void predicatesDecideWhetherADocumentIsInView() {
        BsonDocument lamp = BsonDocument.parse("{_id: 1, owner_id: 'alice', name: 'Lamp', price: 12.5}");
        assertThat(parse("owner_id == \"alice\"").test(lamp)).isTrue();
        assertThat(parse("name BEGINSWITH[c] \"la\"").test(lamp)).isTrue();
        assertThat(parse("name BEGINSWITH \"la\"").test(lamp)).isFalse();
        assertThat(parse("name CONTAINS[c] 'AM'").test(lamp)).isTrue();
        assertThat(parse("price >= 12.5 AND NOT (owner_id == 'bob')").test(lamp)).isTrue();
        assertThat(parse("price < 12").test(lamp)).isFalse();
        assertThat(parse("FALSEPREDICATE").test(lamp)).isFalse();
    }

    @Test
    void aNonQueryableFieldIsRefusedByName() {
        assertThatThrownBy(() -> parse("note == 'x'")).isInstanceOf(Rql.QueryException.class)
                .hasMessageContaining("\"note\" is not a queryable field");
    }

    @Test
    void unsupportedSyntaxIsRefusedNotIgnored() {
        assertThatThrownBy(() -> parse("owner_id == 'a' LIMIT(5)")).isInstanceOf(Rql.QueryException.class)
                .hasMessageContaining("LIMIT");
        assertThatThrownBy(() -> parse("owner.name == 'a'")).isInstanceOf(Rql.QueryException.class);
    }
}
