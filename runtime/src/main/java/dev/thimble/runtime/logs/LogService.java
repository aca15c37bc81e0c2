package dev.thimble.runtime.logs;

import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The logs of one app: takes records from the request path, keeps the recent ones in memory,
 * publishes them live, writes them to a MongoDB collection in batches, answers queries, and
 * deletes what is older than the retention age.
 *
 * <p><b>Threads.</b> {@link #append} only writes into a lock-free ring; it does no I/O, takes no
 * lock and never throws. One writer thread per service reads the ring and inserts a batch when
 * {@code batchSize} records are waiting or every {@code maxBatchDelay}, whichever comes first;
 * each subscriber has a virtual thread of its own that reads the same ring at its own pace. The
 * ring is the only buffer: when the database is down, or a subscriber is slow, the oldest records
 * a reader has not reached yet are overwritten and counted as dropped (writer) or overflowed
 * (subscriber); nothing ever waits for a reader.
 *
 * <p><b>Consistency.</b> {@link #query} first waits (up to {@code flushTimeout}) until everything
 * appended before the call is in the database, then asks the database; so a record appended
 * before a query is in its result.
 *
 * <p><b>Memory.</b> The ring holds up to {@code capacity} records, but only {@code ringBytes} of their
 * heavy parts (arguments, decision, rule metrics, result) once they are stored: beyond that the writer
 * swaps the oldest stored records for copies without them (issue 18: 10,000 records of a {@code count}'s
 * rule decisions, ~35 kB each, did not fit serve's heap). A record not yet stored is never lightened, so
 * the budget never costs the store a record. Subscribers get released records back whole from the
 * store; {@link #recent} returns them light.
 */
public final class LogService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogService.class);
    private static final long STALL_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long OVERLOAD_WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** The default of {@link Builder#ringBytes}; {@code -Dthimble.logs.ringBytes} changes it. */
    static final long DEFAULT_RING_BYTES = 4L << 20;

    private final Clock clock;
    /** Elapsed time for the retention schedule and the outage and overload reports (tests move it). */
    private final Ticker ticker;
    private final LogRing ring;
    private final LogStore store;
    private final StoredLogRecords storedRecords;
    /** The warm-up's records' scratch collection, or null when the builder named none. */
    private final WarmUpLogWrites warmUpWrites;
    private final long ringBytes;
    private final int batchSize;
    private final long wakeWriterEvery;
    private final long maxBatchDelayNanos;
    private final int subscriberBatchSize;
    private final long subscriberIntervalNanos;
    private final Duration retention;
    private final long retentionIntervalNanos;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    private final Duration flushTimeout;
    private final Duration closeTimeout;

    private final Thread writer;
    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<FlushWaiter> flushWaiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong subscriberNumbers = new AtomicLong();
    private volatile Redactor redactor = Redactor.NONE;
    private volatile boolean closed;
    private volatile boolean writerDone;

    /** Every record before this sequence is stored, refused or dropped. Written by the writer only. */
    private volatile long cursor;

    private final LongAdder rejected = new LongAdder();
    private final LongAdder persisted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder insertCommands = new LongAdder();
    private final LongAdder overflowed = new LongAdder();
    private final LongAdder subscriberFailures = new LongAdder();
    private final LongAdder retentionRuns = new LongAdder();
    private final LongAdder deletedByRetention = new LongAdder();
    private volatile boolean storeReachable = true;

    // writer-thread state
    private boolean outage;
    private long outageStartedNanos;
    private long droppedAtOutageStart;
    private long lastOverloadWarnNanos;
    /** Stored records the ring still holds whole, oldest first, with their heavy parts' bytes. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** The sum of {@code held}'s bytes. Written by the writer only. */
    private volatile long heldBytes;

    private LogService(Builder b) {
        this.clock = b.clock;
        this.ticker = b.ticker;
        this.lastOverloadWarnNanos = ticker.nanos() - OVERLOAD_WARN_INTERVAL_NANOS;
        this.ring = new LogRing(b.capacity);
        this.store = new LogStore(b.collection);
        this.storedRecords = new StoredLogRecords(b.collection);
        this.warmUpWrites = b.warmUpCollection == null ? null : new WarmUpLogWrites(b.warmUpCollection);
        this.ringBytes = b.ringBytes;
        this.batchSize = b.batchSize;
        this.wakeWriterEvery = Math.max(1, Math.min(b.batchSize, b.capacity / 2));
        this.maxBatchDelayNanos = b.maxBatchDelay.toNanos();
        this.subscriberBatchSize = b.subscriberBatchSize;
        this.subscriberIntervalNanos = b.subscriberInterval.toNanos();
        this.retention = b.retention;
        this.retentionIntervalNanos = b.retentionInterval.toNanos();
        this.minBackoffNanos = b.minRetryBackoff.toNanos();
        this.maxBackoffNanos = b.maxRetryBackoff.toNanos();
        this.flushTimeout = b.flushTimeout;
        this.closeTimeout = b.closeTimeout;
        this.writer = Thread.ofPlatform().daemon().name("thimble-logs-writer[" + store.namespace() + "]")
                .unstarted(this::runWriter);
    }

    /** Configures a service that stores into {@code collection}, e.g. {@code __thimble_<app>.log_records}. */
    public static Builder builder(MongoCollection<?> collection) {
        return new Builder(collection);
    }

    // ------------------------------------------------------------------ request path

    /**
     * Takes one finished record: masks known secret values, puts it into the ring, and returns.
     * O(1), no I/O, no lock; never throws. After {@link #close()} records are ignored.
     */
    public void append(LogRecord record) {
        if (record == null || closed) {
            rejected.increment();
            return;
        }
        try {
            LogRecord safe = redactor.apply(record);
            long seq = ring.append(safe);
            if (seq % wakeWriterEvery == wakeWriterEvery - 1) { LockSupport.unpark(writer); }
        } catch (RuntimeException e) {
            // A record we could not redact must not be stored or shown; the request goes on.
            rejected.increment();
            LOG.debug("Log record {} dropped: {}", record.id(), e.toString());
        }
    }

    /**
     * The secret values to mask in every record appended from now on (the app's secrets; replaced
     * whenever they change). Records are never stored or published unmasked.
     */
    public void setSecretValues(Collection<String> secretValues) {
        this.redactor = Redactor.of(secretValues);
    }

    // ------------------------------------------------------------------ the start-time warm-up

    /**
     * Writes a warm-up's record through the store's code into the scratch collection (decision record 0071), on the
     * caller's thread; masked like any record. Never into the log collection, the ring or a subscriber's feed; a
     * failure is ignored. Does nothing without a scratch collection, after {@link #close()}, or when
     * {@code -Dthimble.logs.warmUpWrites=false}.
     */
    public void storeWarmUpRecord(LogRecord record) {
        if (warmUpWrites == null || closed || record == null || !Boolean.parseBoolean(System.getProperty("thimble.logs.warmUpWrites", "true"))) {
            return;
        }
        LogRecord safe;
        try {
            safe = redactor.apply(record);
        } catch (RuntimeException e) {
            return;
        }
        warmUpWrites.store(safe);
    }

    /** The warm-up ended: drops the scratch collection its records went to. */
    public void warmUpEnded() {
        if (warmUpWrites != null) { warmUpWrites.ended(); }
    }

    /** Warm-up records written to the scratch collection since the service started. */
    public long warmUpRecordsStored() {
        return warmUpWrites == null ? 0 : warmUpWrites.stored();
    }

    // ------------------------------------------------------------------ live feed

    /** {@link #subscribe(Consumer, int)} without records from before the call. */
    public LogSubscription subscribe(Consumer<List<LogRecord>> listener) {
        return subscribe(listener, 0);
    }

    /**
     * Delivers records in append order, in batches of at most {@code subscriberBatchSize}, at most
     * {@code subscriberInterval} after they were appended, on a thread of this subscription's own.
     * The first batches replay up to {@code replayRecent} records appended before the call, with no
     * gap or duplicate between them and the live ones (the live panel's initial fill). A listener
     * that is slow loses the oldest records it has not reached ({@link LogSubscription#overflowed});
     * one that throws is logged and goes on getting batches. Neither affects other subscribers.
     */
    public LogSubscription subscribe(Consumer<List<LogRecord>> listener, int replayRecent) {
        Objects.requireNonNull(listener, "listener");
        if (replayRecent < 0) { throw new IllegalArgumentException("replayRecent must not be negative"); }
        if (closed) { throw new IllegalStateException("the log service is closed"); }
        long head = ring.head();
        Subscriber s = new Subscriber(listener, Math.max(0, head - Math.min(replayRecent, ring.capacity())));
        subscribers.add(s);
        s.thread = Thread.ofVirtual().name("thimble-logs-subscriber-" + subscriberNumbers.incrementAndGet()).unstarted(s);
        s.thread.start();
        return s;
    }

    /**
     * The newest {@code n} records still in memory, oldest first; no database access. Records beyond the
     * ring's byte budget come without their arguments, decision, rule metrics and result (their stored
     * form, {@link #query}, has them); the rest of a record (times, status, error, messages) is always here.
     */
    public List<LogRecord> recent(int n) {
        if (n < 0) { throw new IllegalArgumentException("n must not be negative"); }
        return ring.recent(n);
    }

    // ------------------------------------------------------------------ query and retention

    /**
     * The stored records that match, newest first, with the pagination hints. Waits first until
     * what was appended before the call is stored (up to {@code flushTimeout}).
     *
     * @throws com.mongodb.MongoException when the database cannot be queried
     */
    public LogPage query(LogQuery query) {
        Objects.requireNonNull(query, "query");
        flush(flushTimeout);
        return store.query(query);
    }

    /**
     * Waits until every record appended before the call is stored (or dropped).
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        long target = ring.head();
        if (cursor >= target) { return true; }
        FlushWaiter w = new FlushWaiter(target, new CompletableFuture<>());
        flushWaiters.add(w);
        LockSupport.unpark(writer);
        if (writerDone) { flushWaiters.remove(w); return cursor >= target; }
        try {
            w.done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            flushWaiters.remove(w);
        } catch (InterruptedException e) {
            flushWaiters.remove(w);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return cursor >= target;
    }

    /**
     * Deletes the stored records that started longer ago than the retention age, by the
     * service's clock. The writer does this every {@code retentionInterval}; the embedded
     * database ignores TTL indexes, so the service does it itself.
     *
     * @return how many records were deleted
     */
    public long deleteExpired() {
        long n = store.deleteStartedBefore(clock.instant().minus(retention));
        retentionRuns.increment();
        deletedByRetention.add(n);
        return n;
    }

    /** Counters since the service started. */
    public Stats stats() {
        long head = ring.head();
        return new Stats(head, persisted.sum(), dropped.sum(), rejected.sum(), refused.sum(), insertCommands.sum(),
                head - cursor, overflowed.sum(), subscriberFailures.sum(), retentionRuns.sum(),
                deletedByRetention.sum(), storeReachable);
    }

    /**
     * @param appended           records taken into the ring
     * @param persisted          records stored
     * @param dropped            records lost before they could be stored (ring overwritten: database
     *                           down or slower than the appends, or still unstored at close)
     * @param rejected           records not taken: appended after close, or failing redaction
     * @param refused            records the database refused one by one (e.g. too large)
     * @param insertCommands     insert commands sent that succeeded
     * @param pending            records appended but not yet stored
     * @param subscriberOverflow records subscribers lost by being slow, over all subscribers
     */
    public record Stats(long appended, long persisted, long dropped, long rejected, long refused, long insertCommands,
                        long pending, long subscriberOverflow, long subscriberFailures, long retentionRuns,
                        long deletedByRetention, boolean storeReachable) {}

    /**
     * Stores what is left (trying for up to {@code closeTimeout}), then stops the writer and the
     * subscribers. Idempotent.
     */
    @Override
    public void close() {
        if (closed) { return; }
        closed = true;
        warmUpEnded();
        LockSupport.unpark(writer);
        try {
            writer.join(closeTimeout.plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Subscriber s : subscribers) { s.close(); }
    }

    private LogService start() {
        writer.start();
        return this;
    }

    // ------------------------------------------------------------------ writer thread

    private void runWriter() {
        long backoff = minBackoffNanos;
        boolean indexed = false;
        long nextRetention = ticker.nanos();
        long closeDeadline = Long.MAX_VALUE;
        try {
            while (true) {
                boolean closing = closed; // read before draining: all appended before close() is drained
                if (closing && closeDeadline == Long.MAX_VALUE) { closeDeadline = System.nanoTime() + closeTimeout.toNanos(); }
                // Indexes before the first records: creating one while a reader queries the collection races in the
                // embedded database's library (a ConcurrentModificationException answered as "Unknown error"), and a
                // reader may query as soon as a flush says the records are stored.
                if (!indexed) { indexed = ensureIndexes(); }
                boolean ok = drain();
                if (ok) {
                    backoff = minBackoffNanos;
                    recovered();
                }
                completeFlushWaiters(false);
                boolean behind = cursor < ring.head();
                if (closing && (!behind || System.nanoTime() - closeDeadline >= 0)) { break; }
                if (ok && retentionIntervalNanos > 0 && ticker.nanos() - nextRetention >= 0) {
                    runRetention();
                    nextRetention = ticker.nanos() + retentionIntervalNanos;
                }
                // Look at the state rather than trusting unpark alone: a driver call on this thread
                // may have consumed the permit of an unpark meant for the park below.
                if (!ok) {
                    LockSupport.parkNanos(backoff);
                    backoff = Math.min(backoff * 2, maxBackoffNanos);
                } else if (closed != closing || ring.head() - cursor >= batchSize) {
                    continue;
                } else if ((behind && closing) || !flushWaiters.isEmpty()) {
                    // an appender is mid-append (a matter of nanoseconds), or a flush came in after the check above
                    LockSupport.parkNanos(STALL_PARK_NANOS);
                } else {
                    LockSupport.parkNanos(maxBatchDelayNanos);
                }
            }
            long left = ring.head() - cursor;
            if (left > 0) {
                dropped.add(left);
                cursor += left;
                LOG.warn("Closed the logs of {} with {} log records not stored: the database did not take them within {}",
                        store.namespace(), left, closeTimeout);
            }
        } catch (Throwable t) {
            LOG.error("The log writer for {} stopped; log records are no longer stored", store.namespace(), t);
            throw t;
        } finally {
            writerDone = true;
            completeFlushWaiters(true);
        }
    }

    /**
     * Inserts what is waiting, in batches of at most {@code batchSize}; stops after a partial
     * batch, so that a steady trickle is batched by time rather than written one by one.
     *
     * @return false when the database failed (the records stay in the ring for a retry)
     */
    private boolean drain() {
        while (true) {
            LogRing.Read read = ring.read(cursor, batchSize);
            if (read.lost() > 0) { drop(read.lost()); }
            cursor = read.first();
            List<LogRecord> batch = read.records();
            if (batch.isEmpty()) { return true; }
            int refusedNow;
            try {
                refusedNow = store.insert(batch);
                insertCommands.increment();
                refused.add(refusedNow);
                persisted.add(batch.size() - refusedNow);
            } catch (RuntimeException e) {
                failed(e);
                return false;
            }
            // Records the store refused stay whole (until the ring laps them): their heavy parts are nowhere else.
            // Before the cursor moves: a flush that returns sees the ring within its budget.
            if (refusedNow == 0) { hold(read.first(), batch); }
            cursor = read.next();
            completeFlushWaiters(false);
            if (batch.size() < batchSize) { return true; }
        }
    }

    /**
     * Counts the heavy parts of a stored batch, then releases the oldest stored records until the whole ones
     * are within {@code ringBytes}. What appenders have overwritten in the meantime is no longer held.
     */
    private void hold(long first, List<LogRecord> batch) {
        long bytes = heldBytes;
        for (int i = 0; i < batch.size(); i++) {
            long b = batch.get(i).heavyBytes();
            if (b > 0) {
                held.add(new Held(first + i, b));
                bytes += b;
            }
        }
        long oldestInRing = ring.head() - ring.capacity();
        while (!held.isEmpty() && (bytes > ringBytes || held.peekFirst().seq < oldestInRing)) {
            Held h = held.pollFirst();
            ring.release(h.seq);
            bytes -= h.bytes;
        }
        heldBytes = bytes;
    }

    /** The bytes of heavy parts the ring holds in stored records (not counting those waiting to be stored). */
    long heldBytes() { return heldBytes; }

    private record Held(long seq, long bytes) {}

    private boolean ensureIndexes() {
        try {
            store.ensureIndexes();
            return true;
        } catch (RuntimeException e) {
            LOG.debug("Could not create the log index on {} yet: {}", store.namespace(), e.toString());
            return false;
        }
    }

    private void runRetention() {
        try {
            long n = deleteExpired();
            if (n > 0) { LOG.debug("Deleted {} log records older than {} from {}", n, retention, store.namespace()); }
        } catch (RuntimeException e) {
            LOG.debug("Log retention on {} failed; will try again: {}", store.namespace(), e.toString());
        }
    }

    private void drop(long n) {
        dropped.add(n);
        if (outage) { return; } // reported once when the outage ends
        long now = ticker.nanos();
        if (now - lastOverloadWarnNanos >= OVERLOAD_WARN_INTERVAL_NANOS) {
            lastOverloadWarnNanos = now;
            LOG.warn("Log records arrive faster than {} stores them; {} dropped so far (memory bound {})",
                    store.namespace(), dropped.sum(), ring.capacity());
        }
    }

    private void failed(RuntimeException e) {
        storeReachable = false;
        if (outage) {
            LOG.debug("Still cannot store log records in {}: {}", store.namespace(), e.toString());
            return;
        }
        outage = true;
        outageStartedNanos = ticker.nanos();
        droppedAtOutageStart = dropped.sum();
        LOG.warn("Cannot store log records in {} ({}); keeping up to {} in memory and retrying",
                store.namespace(), e.toString(), ring.capacity());
    }

    private void recovered() {
        storeReachable = true;
        if (!outage) { return; }
        outage = false;
        long lost = dropped.sum() - droppedAtOutageStart;
        long ms = TimeUnit.NANOSECONDS.toMillis(ticker.nanos() - outageStartedNanos);
        if (lost > 0) {
            LOG.warn("Storing log records in {} again after {} ms; {} records were dropped during the outage "
                    + "(more than the {} kept in memory)", store.namespace(), ms, lost, ring.capacity());
        } else {
            LOG.info("Storing log records in {} again after {} ms; none were lost", store.namespace(), ms);
        }
    }

    private void completeFlushWaiters(boolean all) {
        if (flushWaiters.isEmpty()) { return; }
        long done = cursor;
        flushWaiters.removeIf(w -> {
            if (all || w.target <= done) {
                w.done.complete(null);
                return true;
            }
            return false;
        });
    }

    private record FlushWaiter(long target, CompletableFuture<Void> done) {}

    // ------------------------------------------------------------------ subscribers

    private final class Subscriber implements LogSubscription, Runnable {
        private final Consumer<List<LogRecord>> listener;
        private final AtomicLong overflow = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private volatile long next;
        private volatile boolean stopped;
        private volatile Thread thread;

        Subscriber(Consumer<List<LogRecord>> listener, long from) {
            this.listener = listener;
            this.next = from;
        }

        @Override
        public void run() {
            while (!stopped) {
                LogRing.Read read = ring.read(next, subscriberBatchSize);
                next = read.next();
                if (read.lost() > 0) {
                    overflow.addAndGet(read.lost());
                    overflowed.add(read.lost());
                }
                if (!read.records().isEmpty()) {
                    deliver(Collections.unmodifiableList(whole(read)));
                    if (read.records().size() == subscriberBatchSize) { continue; }
                }
                LockSupport.parkNanos(subscriberIntervalNanos);
            }
        }

        /** The batch with the records the ring released read back from the store; as the ring has them if it cannot. */
        private List<LogRecord> whole(LogRing.Read read) {
            try {
                return storedRecords.whole(read.records(), read.released());
            } catch (RuntimeException e) {
                LOG.debug("Could not read released log records back from {}; delivering them without their heavy parts: {}",
                        store.namespace(), e.toString());
                return read.records();
            }
        }

        private void deliver(List<LogRecord> batch) {
            try {
                listener.accept(batch);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                subscriberFailures.increment();
                if (failures.getAndIncrement() == 0) {
                    LOG.warn("A log subscriber ({}) threw; it keeps getting records", listener, t);
                } else {
                    LOG.debug("A log subscriber ({}) threw again: {}", listener, t.toString());
                }
            }
        }

        @Override
        public long overflowed() {
            // Count what the ring has already overwritten while this subscriber is still busy.
            return overflow.get() + Math.max(0, ring.head() - ring.capacity() - next);
        }

        @Override
        public long failures() { return failures.get(); }

        @Override
        public void close() {
            stopped = true;
            subscribers.remove(this);
            if (thread != null) { LockSupport.unpark(thread); }
        }
    }

    // ------------------------------------------------------------------ configuration

    /** Settings with the defaults named on each method; {@link #start()} starts the writer. */
    public static final class Builder {
        private final MongoCollection<?> collection;
        private MongoCollection<?> warmUpCollection;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.SYSTEM;
        private int capacity = 10_000;
        private long ringBytes = Long.getLong("thimble.logs.ringBytes", DEFAULT_RING_BYTES);
        private int batchSize = 500;
        private Duration maxBatchDelay = Duration.ofMillis(200);
        private int subscriberBatchSize = 500;
        private Duration subscriberInterval = Duration.ofMillis(100);
        private Duration retention = Duration.ofDays(10);
        private Duration retentionInterval = Duration.ofHours(1);
        private Duration minRetryBackoff = Duration.ofMillis(100);
        private Duration maxRetryBackoff = Duration.ofSeconds(5);
        private Duration flushTimeout = Duration.ofSeconds(5);
        private Duration closeTimeout = Duration.ofSeconds(5);

        private Builder(MongoCollection<?> collection) {
            this.collection = Objects.requireNonNull(collection, "collection");
        }

        /**
         * The elapsed time the retention schedule and the outage and overload reports are measured in;
         * the system's by default. (How long the writer parks, and how long close waits, stay real time:
         * they bound real waits.)
         */
        public Builder ticker(Ticker ticker) { this.ticker = Objects.requireNonNull(ticker); return this; }

        /**
         * The scratch collection the start-time warm-up's records are written to and that is dropped when it ends
         * (decision record 0071); none by default (the warm-up's records are then dropped unwritten).
         */
        public Builder warmUpCollection(MongoCollection<?> scratch) { this.warmUpCollection = Objects.requireNonNull(scratch); return this; }

        /** The clock that decides what is older than the retention age; system UTC by default. */
        public Builder clock(Clock clock) { this.clock = Objects.requireNonNull(clock); return this; }

        /**
         * How many records are kept in memory (default 10,000): the recent ones for the live
         * panel, and the most that can wait for the database, e.g. during an outage.
         */
        public Builder capacity(int records) { this.capacity = positive(records, "capacity"); return this; }

        /**
         * How many bytes of stored records' heavy parts (arguments, decision, rule metrics, result) the ring keeps
         * (default 4 MB, {@code -Dthimble.logs.ringBytes}); older stored records keep the rest. 0 keeps none.
         */
        public Builder ringBytes(long bytes) {
            if (bytes < 0) { throw new IllegalArgumentException("ringBytes must not be negative, was " + bytes); }
            this.ringBytes = bytes;
            return this;
        }

        /** Records per insert command (default 500). */
        public Builder batchSize(int records) { this.batchSize = positive(records, "batchSize"); return this; }

        /** The longest a record waits for a batch to fill before it is written anyway (default 200 ms). */
        public Builder maxBatchDelay(Duration d) { this.maxBatchDelay = positive(d, "maxBatchDelay"); return this; }

        /** Records per live batch (default 500). */
        public Builder subscriberBatchSize(int records) {
            this.subscriberBatchSize = positive(records, "subscriberBatchSize");
            return this;
        }

        /** The longest a record waits before it is delivered to subscribers (default 100 ms). */
        public Builder subscriberInterval(Duration d) { this.subscriberInterval = positive(d, "subscriberInterval"); return this; }

        /** Records that started longer ago are deleted (default 10 days, the hosted UI's). */
        public Builder retention(Duration d) { this.retention = positive(d, "retention"); return this; }

        /** How often the retention runs (default 1 hour; the first run is at start). */
        public Builder retentionInterval(Duration d) { this.retentionInterval = positive(d, "retentionInterval"); return this; }

        /** The wait before retrying a failed insert, doubling from {@code min} up to {@code max} (100 ms, 5 s). */
        public Builder retryBackoff(Duration min, Duration max) {
            this.minRetryBackoff = positive(min, "min backoff");
            this.maxRetryBackoff = positive(max, "max backoff");
            if (max.compareTo(min) < 0) { throw new IllegalArgumentException("max backoff is shorter than min"); }
            return this;
        }

        /** How long {@link LogService#query} waits for earlier records to be stored (default 5 s). */
        public Builder flushTimeout(Duration d) { this.flushTimeout = positive(d, "flushTimeout"); return this; }

        /** How long {@link LogService#close} keeps trying to store what is left (default 5 s). */
        public Builder closeTimeout(Duration d) { this.closeTimeout = positive(d, "closeTimeout"); return this; }

        /** Starts the service's writer thread; it creates the collection's index in the background. */
        public LogService start() {
            return new LogService(this).start();
        }

        private static int positive(int v, String name) {
            if (v < 1) { throw new IllegalArgumentException(name + " must be at least 1, was " + v); }
            return v;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
            }
            return d;
        }
    }
}
