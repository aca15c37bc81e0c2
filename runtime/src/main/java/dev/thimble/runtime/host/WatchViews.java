package dev.thimble.runtime.host;

import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.FunctionCaller;
import dev.thimble.runtime.server.ClientWatches.ClientEvent;
import org.bson.BsonDocument;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The client views of recent change events, shared by the watch streams that would each compute the same one
 * (decision 0061). What a stream sends for an event depends only on the event, the namespace's rules at that
 * event, and what the stream was opened with: the app version (values, environment), the caller and the watch
 * request. Streams equal in all of these get one view per event: the first to reach the event checks the rules
 * and builds the document (and its sink encodes the frame onto it); the others take it as it is.
 *
 * <p>A view whose making ran a {@code %function} is not shared: a function may answer differently at each call,
 * and a user may count on its running once per stream. Such streams compute their own, as before.
 * {@code -Dthimble.watch.sharedViews=false} turns sharing off (for before/after measurements).
 */
final class WatchViews {
    static final boolean ENABLED = !"false".equals(System.getProperty("thimble.watch.sharedViews"));
    /** Events whose views are kept: enough for feeds a few events apart, bounded for a feed far behind. */
    static final int EVENTS = 64;
    /** A view that is "not for this caller". */
    private static final ClientEvent NONE = new ClientEvent(null);

    /**
     * What a stream was opened with, besides the rules: streams with equal viewers see every event alike.
     *
     * @param app      the app version the stream was opened on (compared by identity)
     * @param argument the watch arguments as sent ({@code database, collection, ids, filter, useCompactEvents})
     */
    record Viewer(Object app, String service, Principal user, BsonDocument argument) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Viewer v && app == v.app && service.equals(v.service)
                    && java.util.Objects.equals(user, v.user) && argument.equals(v.argument);
        }

        @Override
        public int hashCode() {
            return ((System.identityHashCode(app) * 31 + service.hashCode()) * 31 + java.util.Objects.hashCode(user)) * 31
                    + argument.hashCode();
        }
    }

    /** A view as computed: the document, or null when the event is not for the caller; shareable unless a function ran. */
    record Computed(BsonDocument document, boolean shareable) {
    }

    /** A stream's {@code %function} runner, counted: a view made while the count moved is not shared. */
    static final class CountedFunctions {
        private final AtomicInteger calls = new AtomicInteger();

        FunctionCaller wrap(FunctionCaller functions) {
            return (name, arguments) -> {
                calls.incrementAndGet();
                return functions.call(name, arguments);
            };
        }

        int calls() {
            return calls.get();
        }

        /** Makes a view with this stream's rule context; shareable when no function of it ran meanwhile. */
        Supplier<Computed> computing(Supplier<BsonDocument> view) {
            return () -> {
                int before = calls.get();
                BsonDocument document = view.get();
                return new Computed(document, calls.get() == before);
            };
        }
    }

    /** The viewer at the rules of one event (an app reload between two streams' turns gives other rules). */
    private record Slot(Viewer viewer, CollectionRules rules) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Slot s && rules == s.rules && viewer.equals(s.viewer);
        }

        @Override
        public int hashCode() {
            return viewer.hashCode() * 31 + System.identityHashCode(rules);
        }
    }

    private final Map<String, Map<Slot, ClientEvent>> events = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();

    /**
     * The view of {@code event} for {@code viewer} under {@code rules}: the one already made for an equal viewer, or
     * made now by {@code compute} (and kept for the others when shareable). Null when the event is not for the caller.
     * A null {@code viewer} (a stream whose rule filters ran a function when it opened) shares nothing.
     */
    ClientEvent view(ChangeEvent event, Viewer viewer, CollectionRules rules, Supplier<Computed> compute) {
        if (!ENABLED || viewer == null) {
            BsonDocument document = compute.get().document();
            return document == null ? null : new ClientEvent(document);
        }
        Map<Slot, ClientEvent> views = viewsOf(event.resumeData());
        Computed[] own = new Computed[1];
        // computeIfAbsent: streams of the same viewer wait for the first one's view rather than all making it
        ClientEvent shared = views.computeIfAbsent(new Slot(viewer, rules), slot -> {
            Computed computed = compute.get();
            if (!computed.shareable()) {
                own[0] = computed;
                return null;
            }
            return computed.document() == null ? NONE : new ClientEvent(computed.document());
        });
        if (shared == null) {
            BsonDocument document = own[0] != null ? own[0].document() : compute.get().document();
            return document == null ? null : new ClientEvent(document);
        }
        return shared == NONE ? null : shared;
    }

    private Map<Slot, ClientEvent> viewsOf(String eventKey) {
        Map<Slot, ClientEvent> views = events.get(eventKey);
        if (views != null) {
            return views;
        }
        boolean[] added = new boolean[1];
        views = events.computeIfAbsent(eventKey, key -> {
            added[0] = true;
            return new ConcurrentHashMap<>();
        });
        if (added[0]) {
            order.add(eventKey);
            if (kept.incrementAndGet() > EVENTS) {
                String oldest = order.poll();
                if (oldest != null) {
                    events.remove(oldest);
                    kept.decrementAndGet();
                }
            }
        }
        return views;
    }

    /** How many events have views kept now (at most {@link #EVENTS}). */
    int keptEvents() {
        return events.size();
    }
}
