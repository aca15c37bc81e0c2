package dev.thimble.runtime.data;

import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeEventSource;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.ChangeHistoryLostException;
import dev.thimble.runtime.changes.ChangeListener;
import dev.thimble.runtime.changes.Namespace;
import dev.thimble.runtime.changes.OperationType;
import dev.thimble.runtime.changes.Subscription;
import dev.thimble.runtime.changes.UpdateDescription;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded database's change events: recorded by {@link ObservedH2Collection} on the writing
 * thread, inside the write, into an MVStore map of the same file as the data, so an event and its
 * write become durable in the same commit (neither survives a crash without the other). Published to
 * subscribers once {@link DurableH2Backend} has committed them, so no subscriber ever sees an event
 * whose write could still be lost.
 *
 * <p>Positions are a sequence number (the resume token's {@code _data} is it in 16 hex digits).
 * The log keeps the newest {@code maxEvents} events and drops events older than {@code maxAge}
 * (never the newest one); the newest {@link #MEMORY_EVENTS} are also kept decoded in memory.
 *
 * <p>Each subscription has a virtual thread that parks until {@link #publish} wakes it, then reads
 * the events after its position (from memory, or from the map when it fell behind) and hands them to
 * its listener in order: no polling, and a slow listener holds up only itself. A listener that
 * falls so far behind that its position was trimmed gets {@link ChangeHistoryLostException}.
 */
final class EmbeddedChangeLog implements ChangeEventSource {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedChangeLog.class);

    /** Not under the backend's {@code databases.} prefix, so the server never sees it as a collection. */
    static final String MAP_NAME = "thimble.changes";
    static final int DEFAULT_MAX_EVENTS = 10_000;
    static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    static final int MEMORY_EVENTS = 1024;
    private static final int AGE_CHECK_INTERVAL = 64;
    private static final int MAX_AGE_REMOVALS = 1024;
    private static final int READ_BATCH = 256;
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    private final MVMap<Long, byte[]> map;
    private final Clock clock;
    private final int maxEvents;
    private final Duration maxAge;
    /** The newest {@link #MEMORY_EVENTS} events, decoded when a feed first reads them (not on the writer's path). */
    private final ConcurrentSkipListMap<Long, Recent> recent = new ConcurrentSkipListMap<>();
    private final AtomicLong published;
    private final Set<Feed> feeds = ConcurrentHashMap.newKeySet();
    private final AtomicLong feedNumbers = new AtomicLong();
    private volatile boolean closed;

    /** Written under this object's lock. */
    private volatile long lastSequence;
    private int lastSeconds;
    private int increment;
    private int sinceAgeCheck;

    EmbeddedChangeLog(MVStore store, Clock clock) {
        this(store, clock, DEFAULT_MAX_EVENTS, DEFAULT_MAX_AGE);
    }

    EmbeddedChangeLog(MVStore store, Clock clock, int maxEvents, Duration maxAge) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be positive");
        }
        this.map = store.openMap(MAP_NAME);
        this.clock = clock;
        this.maxEvents = maxEvents;
        this.maxAge = maxAge;
        Long last = map.lastKey();
        this.lastSequence = last == null ? 0 : last;
        this.published = new AtomicLong(lastSequence);
        if (last != null) {
            BsonTimestamp time = decode(last, map.get(last)).clusterTime();
            lastSeconds = time.getTime();
            increment = time.getInc();
        }
    }

    // ---- recording (on the writing thread, inside the write) ------------------------------------

    boolean observes(String db, String coll) {
        return !closed && !Namespace.isInternal(db, coll);
    }

    void inserted(String db, String coll, RawBsonDocument document) {
        BsonValue id = document.get("_id");
        if (id != null) {
            record(OperationType.INSERT, db, coll, id, document, null, null);
        }
    }

    /**
     * @param before the stored document before the write, or null when it could not be captured
     *               (then the update is described as setting every field)
     */
    void updated(String db, String coll, RawBsonDocument before, RawBsonDocument after, boolean replacement) {
        BsonValue id = after.get("_id");
        if (id == null || after.equals(before)) {
            return;
        }
        if (replacement) {
            record(OperationType.REPLACE, db, coll, id, after, before, null);
            return;
        }
        UpdateDescription description;
        if (before == null) {
            BsonDocument fields = after.clone();
            fields.remove("_id");
            description = new UpdateDescription(fields, List.of(), null);
        } else {
            description = UpdateDescription.diff(before, after);
            if (description.updatedFields().isEmpty() && description.removedFields().isEmpty()) {
                return;
            }
        }
        record(OperationType.UPDATE, db, coll, id, after, before, description);
    }

    void deleted(String db, String coll, RawBsonDocument before) {
        BsonValue id = before.get("_id");
        if (id != null) {
            record(OperationType.DELETE, db, coll, id, null, before, null);
        }
    }

    private void record(OperationType type, String db, String coll, BsonValue id, BsonDocument full, BsonDocument before,
                        UpdateDescription description) {
        synchronized (this) {
            long sequence = lastSequence + 1;
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            int seconds = (int) Math.max(now.getEpochSecond(), lastSeconds);
            increment = seconds == lastSeconds ? increment + 1 : 1;
            lastSeconds = seconds;
            ChangeEvent event = new ChangeEvent(token(sequence), type, new Namespace(db, coll), new BsonDocument("_id", id),
                    full, before, description, new BsonTimestamp(seconds, increment), now);
            RawBsonDocument raw = new RawBsonDocument(event.toBsonDocument(), CODEC);
            byte[] bytes = bytes(raw);
            map.put(sequence, bytes);
            lastSequence = sequence;
            recent.put(sequence, new Recent(sequence, bytes));
            trim(sequence, now);
        }
    }

    private void trim(long newest, Instant now) {
        // by sequence, not recent.size(): a skip list counts its entries one by one, under this lock, at every write
        for (Map.Entry<Long, Recent> first = recent.firstEntry(); first != null && first.getKey() <= newest - MEMORY_EVENTS;
             first = recent.firstEntry()) {
            recent.remove(first.getKey());
        }
        while (map.sizeAsLong() > maxEvents) {
            map.remove(map.firstKey());
        }
        if (++sinceAgeCheck < AGE_CHECK_INTERVAL) {
            return;
        }
        sinceAgeCheck = 0;
        Instant oldest = now.minus(maxAge);
        for (int removed = 0; removed < MAX_AGE_REMOVALS; removed++) {
            Long first = map.firstKey();
            if (first == null || first == lastSequence) {
                return;
            }
            if (!decode(first, map.get(first)).wallTime().isBefore(oldest)) {
                return;
            }
            map.remove(first);
            recent.remove(first);
        }
    }

    /** The sequence of the newest event recorded (committed or not). */
    long lastRecorded() {
        return lastSequence;
    }

    /** Everything up to {@code sequence} is durable: deliver it. */
    void publish(long sequence) {
        long before = published.getAndAccumulate(sequence, Math::max);
        if (sequence > before) {
            feeds.forEach(Feed::wake);
        }
    }

    /** The sequence of the newest event published (committed). */
    long publishedSequence() {
        return published.get();
    }

    /**
     * Up to {@code limit} published events after {@code after}, as stored (raw BSON), for a node that
     * reads this log over the wire ({@link RemoteChangeLog}).
     *
     * @throws ChangeHistoryLostException if the events right after {@code after} were trimmed
     * @throws IllegalArgumentException   if {@code after} is ahead of this log (another database's position)
     */
    List<byte[]> rawAfter(long after, int limit) {
        long upTo = published.get();
        if (after > lastSequence) {
            throw new IllegalArgumentException("resume token " + token(after).toJson() + " is ahead of this database's"
                    + " event log (at " + token(lastSequence).toJson() + "): it belongs to another database");
        }
        if (after >= upTo || limit <= 0) {
            return List.of();
        }
        Long first = map.firstKey();
        if (first == null || first > after + 1) {
            throw historyLost(after);
        }
        List<byte[]> out = new ArrayList<>();
        Cursor<Long, byte[]> cursor = map.cursor(after + 1, upTo, false);
        while (cursor.hasNext() && out.size() < limit) {
            cursor.next();
            out.add(cursor.getValue());
        }
        return out;
    }

    /** Stops every subscription; events recorded afterwards are dropped (the database is closing). */
    void close() {
        closed = true;
        feeds.forEach(Feed::close);
    }

    // ---- subscribing ------------------------------------------------------------------------------

    @Override
    public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
        if (closed) {
            throw new IllegalStateException("the database is closed");
        }
        long start;
        if (filter.resumeAfter() == null) {
            start = published.get();
        } else {
            start = sequenceOf(filter.resumeAfter());
            if (start > lastSequence) {
                throw new IllegalArgumentException("resume token " + filter.resumeAfter().toJson() + " is ahead of this"
                        + " database's event log (at " + token(lastSequence).toJson() + "): it belongs to another database");
            }
            Long first = map.firstKey();
            if (start < published.get() && (first == null || first > start + 1)) {
                throw historyLost(start);
            }
        }
        Feed feed = new Feed(filter, listener, start);
        feeds.add(feed);
        feed.thread = Thread.ofVirtual().name("thimble-change-feed-" + feedNumbers.incrementAndGet()).unstarted(feed);
        feed.thread.start();
        return feed;
    }

    @Override
    public BsonDocument currentPosition() {
        return token(published.get());
    }

    private record Entry(long sequence, ChangeEvent event) {
    }

    /** Up to {@link #READ_BATCH} events after {@code after}, none after {@code upTo}; contiguous or an exception. */
    private List<Entry> read(long after, long upTo) {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<Long, Recent> e : recent.subMap(after, false, upTo, true).entrySet()) {
            if (out.isEmpty() && e.getKey() != after + 1) {
                break; // memory no longer holds the next one: read the map
            }
            out.add(new Entry(e.getKey(), e.getValue().event()));
            if (out.size() == READ_BATCH) {
                break;
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        Cursor<Long, byte[]> cursor = map.cursor(after + 1, upTo, false);
        while (cursor.hasNext() && out.size() < READ_BATCH) {
            long sequence = cursor.next();
            if (out.isEmpty() && sequence != after + 1) {
                throw historyLost(after);
            }
            out.add(new Entry(sequence, decode(sequence, cursor.getValue())));
        }
        if (out.isEmpty()) {
            throw historyLost(after);
        }
        return out;
    }

    private ChangeHistoryLostException historyLost(long position) {
        Long first = map.firstKey();
        return new ChangeHistoryLostException("the embedded database's event log no longer holds the events after "
                + token(position).toJson() + " (it keeps the newest " + maxEvents + " events, at most "
                + maxAge.toHours() + " h; the oldest now is " + (first == null ? "none" : token(first - 1).toJson())
                + "); subscribe again without a resume token");
    }

    private final class Feed implements Subscription, Runnable {
        private final ChangeFilter filter;
        private final ChangeListener listener;
        private volatile boolean open = true;
        private long position;
        private Thread thread;

        Feed(ChangeFilter filter, ChangeListener listener, long position) {
            this.filter = filter;
            this.listener = listener;
            this.position = position;
        }

        @Override
        public void run() {
            try {
                while (open) {
                    long upTo = published.get();
                    if (position >= upTo) {
                        LockSupport.park(this);
                        continue;
                    }
                    for (Entry entry : read(position, upTo)) {
                        if (!open) {
                            return;
                        }
                        position = entry.sequence();
                        if (filter.matches(entry.event().ns())) {
                            deliver(entry.event());
                        }
                    }
                }
            } catch (ChangeHistoryLostException e) {
                open = false;
                listener.onError(e);
            } catch (RuntimeException e) {
                open = false;
                log.error("Change feed {} failed", Thread.currentThread().getName(), e);
                listener.onError(e);
            } finally {
                feeds.remove(this);
            }
        }

        private void deliver(ChangeEvent event) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("A change listener failed on event {} ({} {}); delivery goes on", event.resumeData(),
                        event.operationType().wireName(), event.ns(), e);
            }
        }

        void wake() {
            LockSupport.unpark(thread);
        }

        @Override
        public void close() {
            open = false;
            feeds.remove(this);
            LockSupport.unpark(thread);
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }

    // ---- tokens and encoding ----------------------------------------------------------------------

    static BsonDocument token(long sequence) {
        return new BsonDocument("_data", new BsonString(HexFormat.of().withUpperCase().toHexDigits(sequence)));
    }

    static long sequenceOf(BsonDocument token) {
        BsonValue data = token.get("_data");
        if (data == null || !data.isString() || data.asString().getValue().length() != 16
                || !data.asString().getValue().chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a resume token of the embedded database: " + token.toJson()
                    + " (expected {\"_data\": \"<16 hex digits>\"})");
        }
        return HexFormat.fromHexDigitsToLong(data.asString().getValue());
    }

    private static byte[] bytes(RawBsonDocument raw) {
        org.bson.ByteBuf buffer = raw.getByteBuffer();
        ByteBuffer nio = buffer.asNIO();
        byte[] out = new byte[nio.remaining()];
        nio.get(out);
        return out;
    }

    /**
     * A recent event as written, decoded by the first feed that reads it and then shared (decoded from its bytes, so
     * the event subscribers share is immutable); with no feed open it is never decoded.
     */
    private static final class Recent {
        private final long sequence;
        private final byte[] bytes;
        private volatile ChangeEvent event;

        Recent(long sequence, byte[] bytes) {
            this.sequence = sequence;
            this.bytes = bytes;
        }

        ChangeEvent event() {
            ChangeEvent decoded = event;
            if (decoded == null) {
                decoded = decode(sequence, bytes); // two feeds may both decode it: equal events, either is kept
                event = decoded;
            }
            return decoded;
        }
    }

    private static ChangeEvent decode(long sequence, byte[] bytes) {
        ChangeEvent event = ChangeEvent.fromBsonDocument(new RawBsonDocument(bytes));
        if (event == null) {
            throw new IllegalStateException("event " + sequence + " of the change log has an unknown operation type");
        }
        return event;
    }
}
