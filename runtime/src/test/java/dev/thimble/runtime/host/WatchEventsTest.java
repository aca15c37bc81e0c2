package dev.thimble.runtime.host;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.EventMatcher;
import dev.thimble.runtime.changes.Namespace;
import dev.thimble.runtime.changes.OperationType;
import dev.thimble.runtime.changes.UpdateDescription;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.principal.Principal;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which events a watching client sees, and how much of each: ids, rules, filter, compact form. */
class WatchEventsTest {
    static final RuleContext ANN = RuleContext.forUser(Principal.normal("u1")).build();
    static final RuleContext BOB = RuleContext.forUser(Principal.normal("u2")).build();

    static final CollectionRules ITEMS = rules("""
            {'database': 'todo', 'collection': 'items',
             'roles': [{'name': 'owner', 'apply_when': {'owner_id': '%%user.id'}, 'read': true, 'write': true}],
             'filters': [{'name': 'mine', 'apply_when': {'%%true': true}, 'query': {'owner_id': '%%user.id'}}]}""");

    static final CollectionRules STAFF = rules("""
            {'database': 'hr', 'collection': 'staff',
             'roles': [{'name': 'member', 'apply_when': {},
                        'fields': {'salary': {'read': false}, 'address': {'fields': {'city': {'read': true}}}},
                        'additional_fields': {'read': true}}]}""");

    static CollectionRules rules(String json) {
        return CollectionRules.compile(new CollectionRuleDef(Json.parse(Document.parse(json).toJson())));
    }

    static BsonDocument bson(String json) {
        return BsonDocument.parse(json);
    }

    static ChangeEvent event(OperationType type, String full, String before, UpdateDescription description) {
        BsonDocument fullDocument = full == null ? null : bson(full);
        BsonDocument beforeDocument = before == null ? null : bson(before);
        BsonDocument key = new BsonDocument("_id", (fullDocument != null ? fullDocument : beforeDocument).get("_id"));
        return new ChangeEvent(bson("{_data: '0000000000000007'}"), type, new Namespace("todo", "items"), key,
                fullDocument, beforeDocument, description, new BsonTimestamp(1_800_000_000, 3), Instant.ofEpochMilli(1_800_000_000_123L));
    }

    static WatchEvents.Request request(String json) {
        return WatchEvents.Request.parse(bson(json));
    }

    static EventMatcher filtersOf(CollectionRules rules, RuleContext ctx) {
        Document query = rules.planQuery(ctx, new Document(), null).query();
        return query.isEmpty() ? null : EventMatcher.compile(WatchEvents.toBson(query));
    }

    static BsonDocument forClient(ChangeEvent event, String request, CollectionRules rules, RuleContext ctx) {
        return WatchEvents.forClient(event, request(request), rules, filtersOf(rules, ctx), ctx);
    }

    @Test
    void theOwnerSeesTheFullEventAndOthersSeeNothing() {
        ChangeEvent insert = event(OperationType.INSERT, "{_id: 1, owner_id: 'u1', text: 'milk'}", null, null);
        BsonDocument seen = forClient(insert, "{database: 'todo', collection: 'items'}", ITEMS, ANN);
        assertThat(seen).isEqualTo(bson("""
                {_id: {_data: '0000000000000007'}, operationType: 'insert', clusterTime: {$timestamp: {t: 1800000000, i: 3}},
                 wallTime: {$date: 1800000000123}, ns: {db: 'todo', coll: 'items'}, documentKey: {_id: 1},
                 fullDocument: {_id: 1, owner_id: 'u1', text: 'milk'}}"""));
        assertThat(forClient(insert, "{database: 'todo', collection: 'items'}", ITEMS, BOB)).isNull();
        assertThat(WatchEvents.forClient(insert, request("{database: 'todo', collection: 'items'}"), ITEMS, null, RuleContext.system()))
                .isNotNull();
    }

    @Test
    void aDeleteIsJudgedOnTheDocumentAsItWasAndCarriesNoImage() {
        ChangeEvent delete = event(OperationType.DELETE, null, "{_id: 1, owner_id: 'u1', text: 'milk'}", null);
        BsonDocument seen = forClient(delete, "{database: 'todo', collection: 'items'}", ITEMS, ANN);
        assertThat(seen.getString("operationType").getValue()).isEqualTo("delete");
        assertThat(seen.keySet()).doesNotContain("fullDocument", "fullDocumentBeforeChange");
        assertThat(forClient(delete, "{database: 'todo', collection: 'items'}", ITEMS, BOB)).isNull();
    }

    @Test
    void anUpdateAwayFromTheCallerIsNotSeenAndPreImagesNeverLeave() {
        ChangeEvent handedOver = event(OperationType.UPDATE, "{_id: 1, owner_id: 'u2', text: 'milk'}",
                "{_id: 1, owner_id: 'u1', text: 'milk'}", UpdateDescription.diff(bson("{_id: 1, owner_id: 'u1', text: 'milk'}"),
                        bson("{_id: 1, owner_id: 'u2', text: 'milk'}")));
        assertThat(forClient(handedOver, "{database: 'todo', collection: 'items'}", ITEMS, ANN)).isNull();
        BsonDocument bobSees = forClient(handedOver, "{database: 'todo', collection: 'items'}", ITEMS, BOB);
        assertThat(bobSees.keySet()).doesNotContain("fullDocumentBeforeChange");
        assertThat(bobSees.getDocument("updateDescription")).isEqualTo(bson("{updatedFields: {owner_id: 'u2'}, removedFields: [], truncatedArrays: []}"));
    }

    @Test
    void unreadableFieldsLeaveTheDocumentAndTheUpdateDescription() {
        BsonDocument before = bson("{_id: 1, name: 'Ann', salary: 100, address: {city: 'Oslo', street: 'Main 1'}, nick: 'a', bonus: 5}");
        BsonDocument after = bson("{_id: 1, name: 'Ann B', salary: 120, address: {city: 'Bergen', street: 'Side 2'}}");
        UpdateDescription description = UpdateDescription.diff(before, after);
        assertThat(description.updatedFields()).isEqualTo(bson("{name: 'Ann B', salary: 120, 'address.city': 'Bergen', 'address.street': 'Side 2'}"));
        assertThat(description.removedFields()).containsExactly("nick", "bonus");
        ChangeEvent update = event(OperationType.UPDATE, after.toJson(), before.toJson(), description);
        BsonDocument seen = forClient(update, "{database: 'hr', collection: 'staff'}", STAFF, ANN);
        assertThat(seen.getDocument("fullDocument")).isEqualTo(bson("{_id: 1, name: 'Ann B', address: {city: 'Bergen'}}"));
        assertThat(seen.getDocument("updateDescription")).isEqualTo(bson(
                "{updatedFields: {name: 'Ann B', 'address.city': 'Bergen'}, removedFields: ['nick', 'bonus'], truncatedArrays: []}"));
    }

    @Test
    void idsAndTheFilterNarrowTheStream() {
        ChangeEvent insert = event(OperationType.INSERT, "{_id: 1, owner_id: 'u1', text: 'milk', done: false}", null, null);
        assertThat(forClient(insert, "{database: 'todo', collection: 'items', ids: [2, 3]}", ITEMS, ANN)).isNull();
        assertThat(forClient(insert, "{database: 'todo', collection: 'items', ids: [{$numberLong: '1'}]}", ITEMS, ANN)).isNotNull();
        assertThat(forClient(insert, "{database: 'todo', collection: 'items', filter: {operationType: 'delete'}}", ITEMS, ANN)).isNull();
        assertThat(forClient(insert, "{database: 'todo', collection: 'items', filter: {'fullDocument.done': false, operationType: {$in: ['insert', 'replace']}}}",
                ITEMS, ANN)).isNotNull();
        assertThat(forClient(insert, "{database: 'todo', collection: 'items', filter: {'fullDocument.text': {$exists: false}}}", ITEMS, ANN)).isNull();
    }

    @Test
    void theFilterCannotProbeFieldsTheCallerCannotRead() {
        ChangeEvent insert = event(OperationType.INSERT, "{_id: 1, name: 'Ann', salary: 100}", null, null);
        assertThat(forClient(insert, "{database: 'hr', collection: 'staff', filter: {'fullDocument.salary': 100}}", STAFF, ANN)).isNull();
        assertThat(forClient(insert, "{database: 'hr', collection: 'staff', filter: {'fullDocument.salary': {$exists: false}}}", STAFF, ANN)).isNotNull();
    }

    @Test
    void compactEventsCarryTheOperationTheKeyAndWhatChanged() {
        String request = "{database: 'todo', collection: 'items', useCompactEvents: true}";
        ChangeEvent insert = event(OperationType.INSERT, "{_id: 1, owner_id: 'u1', text: 'milk'}", null, null);
        assertThat(forClient(insert, request, ITEMS, ANN)).isEqualTo(bson("{ot: 'insert', dk: {_id: 1}, fd: {_id: 1, owner_id: 'u1', text: 'milk'}}"));
        ChangeEvent update = event(OperationType.UPDATE, "{_id: 1, owner_id: 'u1', text: 'bread'}", "{_id: 1, owner_id: 'u1', text: 'milk'}",
                UpdateDescription.diff(bson("{_id: 1, owner_id: 'u1', text: 'milk'}"), bson("{_id: 1, owner_id: 'u1', text: 'bread'}")));
        assertThat(forClient(update, request, ITEMS, ANN)).isEqualTo(bson(
                "{ot: 'update', dk: {_id: 1}, ud: {updatedFields: {text: 'bread'}, removedFields: [], truncatedArrays: []}}"));
        ChangeEvent delete = event(OperationType.DELETE, null, "{_id: 1, owner_id: 'u1', text: 'bread'}", null);
        assertThat(forClient(delete, request, ITEMS, ANN)).isEqualTo(bson("{ot: 'delete', dk: {_id: 1}}"));
    }

    @Test
    void badArgumentsAreRefusedWithTheProtocolsCodes() {
        assertThatThrownBy(() -> request("{collection: 'items'}")).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo("MissingParameter"));
        assertThatThrownBy(() -> request("{database: 'todo', collection: 'items', ids: 5}")).hasMessageContaining("\"ids\" must be an array");
        assertThatThrownBy(() -> request("{database: 'todo', collection: 'items', filter: {$where: 'x'}}"))
                .hasMessageContaining("unknown top-level operator $where");
        assertThatThrownBy(() -> request("{database: 'todo', collection: 'items', useCompactEvents: 'yes'}"))
                .hasMessageContaining("useCompactEvents");
        assertThat(request("{database: 'todo', collection: 'items', ids: null, filter: null}").ids()).isNull();
        assertThat(List.of(request("{database: 'a', collection: 'b', useCompactEvents: true}").compact())).containsExactly(true);
    }
}
