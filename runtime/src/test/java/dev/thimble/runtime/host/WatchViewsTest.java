package dev.thimble.runtime.host;

import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.Namespace;
import dev.thimble.runtime.changes.OperationType;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.server.ClientWatches.ClientEvent;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.thimble.runtime.host.WatchEventsTest.ANN;
import static dev.thimble.runtime.host.WatchEventsTest.BOB;
import static dev.thimble.runtime.host.WatchEventsTest.ITEMS;
import static dev.thimble.runtime.host.WatchEventsTest.bson;
import static dev.thimble.runtime.host.WatchEventsTest.filtersOf;
import static dev.thimble.runtime.host.WatchEventsTest.request;
import static dev.thimble.runtime.host.WatchEventsTest.rules;
import static org.assertj.core.api.Assertions.assertThat;

/** Streams that would make the same view of an event share one; streams of other callers, rules or functions do not. */
class WatchViewsTest {
    static final Object APP = new Object();
    static final String ALL_ITEMS = "{database: 'todo', collection: 'items'}";

    final WatchViews views = new WatchViews();
    final AtomicInteger made = new AtomicInteger();

    static ChangeEvent insert(long sequence, String owner) {
        BsonDocument full = bson("{_id: " + sequence + ", owner_id: '" + owner + "', text: 'item " + sequence + "'}");
        return new ChangeEvent(bson("{_data: '" + "%016X".formatted(sequence) + "'}"), OperationType.INSERT,
                new Namespace("todo", "items"), new BsonDocument("_id", full.get("_id")), full, null, null,
                new BsonTimestamp(1_800_000_000, (int) sequence), Instant.ofEpochMilli(1_800_000_000_000L + sequence));
    }

    static WatchViews.Viewer viewer(RuleContext ctx, String argument) {
        return new WatchViews.Viewer(APP, "mongodb-atlas", ctx.user(), bson(argument));
    }

    /** One stream's turn at an event, as WatchService takes it. */
    ClientEvent viewOf(ChangeEvent event, RuleContext ctx, String argument, CollectionRules rules, WatchViews.CountedFunctions functions) {
        return views.view(event, viewer(ctx, argument), rules, functions.computing(() -> {
            made.incrementAndGet();
            return WatchEvents.forClient(event, request(argument), rules, filtersOf(rules, ctx), ctx);
        }));
    }

    ClientEvent viewOf(ChangeEvent event, RuleContext ctx, String argument) {
        return viewOf(event, ctx, argument, ITEMS, new WatchViews.CountedFunctions());
    }

    @Test
    void streamsOfTheSameCallerAndRequestShareOneViewMadeOnce() {
        ChangeEvent insert = insert(1, "u1");
        ClientEvent first = viewOf(insert, ANN, ALL_ITEMS);
        ClientEvent second = viewOf(insert, RuleContext.forUser(Principal.normal("u1")).build(), ALL_ITEMS);
        assertThat(second).isSameAs(first);
        assertThat(made).hasValue(1);
        assertThat(first.document()).isEqualTo(WatchEvents.forClient(insert, request(ALL_ITEMS), ITEMS, filtersOf(ITEMS, ANN), ANN));
        byte[] frame = first.frame(document -> document.toJson().getBytes());
        assertThat(second.frame(document -> new byte[0])).isSameAs(frame); // encoded once, by the first sink that asked
    }

    @Test
    void twoUsersStreamsOnOneCollectionEachSeeOnlyWhatTheirRulesAllow() {
        ChangeEvent annsItem = insert(1, "u1");
        ChangeEvent bobsItem = insert(2, "u2");
        for (int stream = 0; stream < 3; stream++) { // several streams each, in turns, after the views are kept
            assertThat(viewOf(annsItem, ANN, ALL_ITEMS).document().getDocument("fullDocument").getString("owner_id").getValue())
                    .isEqualTo("u1");
            assertThat(viewOf(annsItem, BOB, ALL_ITEMS)).isNull();
            assertThat(viewOf(bobsItem, ANN, ALL_ITEMS)).isNull();
            assertThat(viewOf(bobsItem, BOB, ALL_ITEMS).document().getDocument("fullDocument").getString("owner_id").getValue())
                    .isEqualTo("u2");
        }
        assertThat(made).hasValue(4); // once per (event, caller)
    }

    @Test
    void anotherRequestOfTheSameCallerGetsItsOwnView() {
        ChangeEvent insert = insert(1, "u1");
        ClientEvent full = viewOf(insert, ANN, ALL_ITEMS);
        ClientEvent compact = viewOf(insert, ANN, "{database: 'todo', collection: 'items', useCompactEvents: true}");
        ClientEvent otherIds = viewOf(insert, ANN, "{database: 'todo', collection: 'items', ids: [2]}");
        assertThat(full.document()).containsKey("operationType");
        assertThat(compact.document().keySet()).containsExactly("ot", "dk", "fd");
        assertThat(otherIds).isNull();
        assertThat(made).hasValue(3);
    }

    @Test
    void aViewWhoseRulesRanAFunctionIsMadeForEachStream() {
        CollectionRules viaFunction = rules("""
                {'database': 'todo', 'collection': 'items',
                 'roles': [{'name': 'owner', 'apply_when': {'%%true': {'%function': {'name': 'owns', 'arguments': ['%%root.owner_id', '%%user.id']}}},
                            'read': true}]}""");
        AtomicInteger functionRuns = new AtomicInteger();
        ChangeEvent insert = insert(1, "u1");
        for (int stream = 0; stream < 3; stream++) {
            WatchViews.CountedFunctions counted = new WatchViews.CountedFunctions();
            RuleContext ctx = RuleContext.forUser(Principal.normal("u1")).functions(counted.wrap((name, arguments) -> {
                functionRuns.incrementAndGet();
                return arguments.get(0).equals(arguments.get(1));
            })).build();
            ClientEvent view = viewOf(insert, ctx, ALL_ITEMS, viaFunction, counted);
            assertThat(view.document().getDocument("fullDocument").getString("text").getValue()).isEqualTo("item 1");
        }
        assertThat(made).hasValue(3);
        assertThat(functionRuns).hasValue(3); // once per stream, as without sharing
    }

    @Test
    void aStreamWithoutAViewerSharesNothing() {
        ChangeEvent insert = insert(1, "u1");
        WatchViews.CountedFunctions functions = new WatchViews.CountedFunctions();
        Supplier<WatchViews.Computed> compute = functions.computing(() -> {
            made.incrementAndGet();
            return WatchEvents.forClient(insert, request(ALL_ITEMS), ITEMS, filtersOf(ITEMS, ANN), ANN);
        });
        ClientEvent first = views.view(insert, null, ITEMS, compute);
        ClientEvent second = views.view(insert, null, ITEMS, compute);
        assertThat(second).isNotSameAs(first);
        assertThat(second.document()).isEqualTo(first.document());
        assertThat(made).hasValue(2);
    }

    @Test
    void rulesOfAnotherAppVersionMakeANewView() {
        ChangeEvent insert = insert(1, "u1");
        CollectionRules reloaded = rules("""
                {'database': 'todo', 'collection': 'items',
                 'roles': [{'name': 'owner', 'apply_when': {'owner_id': '%%user.id'}, 'read': false, 'write': false}]}""");
        assertThat(viewOf(insert, ANN, ALL_ITEMS)).isNotNull();
        assertThat(viewOf(insert, ANN, ALL_ITEMS, reloaded, new WatchViews.CountedFunctions())).isNull();
        assertThat(made).hasValue(2);
    }

    @Test
    void viewsAreKeptForABoundedNumberOfEvents() {
        for (long sequence = 1; sequence <= 3L * WatchViews.EVENTS; sequence++) {
            assertThat(viewOf(insert(sequence, "u1"), ANN, ALL_ITEMS)).isNotNull();
            assertThat(views.keptEvents()).isLessThanOrEqualTo(WatchViews.EVENTS);
        }
        assertThat(views.keptEvents()).isEqualTo(WatchViews.EVENTS);
    }
}
