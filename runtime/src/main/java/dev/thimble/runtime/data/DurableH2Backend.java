package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The library's H2 backend with two changes, both made in {@link #handleCommand}, the one method
 * every client command passes through (OP_MSG via {@code handleMessage}, legacy OP_QUERY directly):
 * commands the server cannot honour are judged by {@link EmbeddedLimits} before they run, and every
 * command that may have changed data is committed to the file and fsynced before its reply is
 * returned, so a write the client saw acknowledged survives a killed process and a power cut.
 *
 * <p>The store is opened with its background writer off, so every write to the file is one of
 * ours and is followed by an fsync. That makes a retention time of 0 safe (the space of an
 * unused chunk is reused only after the version that stopped using it is on disk), which keeps the
 * file from growing by a chunk per write for 45 s (the default). A housekeeping thread rewrites
 * sparse chunks twice a second, under the same lock, also followed by an fsync; while writers are
 * committing it waits for a sparser file and rewrites less per round, so it does not stall them.
 *
 * <p>Change events: its databases are {@link ObservedH2Database}s, whose collections record every
 * write into the {@link EmbeddedChangeLog} in the same store; after a write command's commit the
 * events recorded before it are published to subscribers.
 */
final class DurableH2Backend extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(DurableH2Backend.class);

    /** Commands that never change data; any other command is committed after it runs. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of(
            "find", "getmore", "count", "distinct", "listcollections", "listindexes", "listdatabases",
            "ismaster", "hello", "buildinfo", "ping", "serverstatus", "whatsmyuri", "killcursors", "endsessions",
            "dbstats", "collstats", "getlasterror", "connectionstatus", "hostinfo", "getcmdlineopts",
            "getfreemonitoringstatus", "getlog", "getparameter", "validate");

    /**
     * Drivers use sessions (and so can send transactions, which are then refused with a clear
     * error) only when the server announces a session timeout; the library announces none.
     */
    private static final int LOGICAL_SESSION_TIMEOUT_MINUTES = 30;

    private static final int COMMAND_NOT_SUPPORTED = 115;

    /** Housekeeping rewrites chunks while less than this share of their space is live data. */
    private static final int TARGET_FILL_RATE = 80;
    private static final int HOUSEKEEPING_WRITE_LIMIT = 8 << 20;
    private static final long HOUSEKEEPING_PERIOD_MILLIS = 500;
    /**
     * While writers commit (one did within {@link #WRITERS_ACTIVE_NANOS}), housekeeping holds the file lock
     * only when the live share has fallen below this, and then rewrites at most
     * {@link #BUSY_HOUSEKEEPING_WRITE_LIMIT}: a full round held every writer for ~0.3 s under load and took
     * a quarter of the lock's time at 16 concurrent writers (issue 18). Idle, it catches up to the target.
     */
    static final int BUSY_FILL_RATE = 50;
    private static final int BUSY_HOUSEKEEPING_WRITE_LIMIT = 1 << 20;
    private static final long WRITERS_ACTIVE_NANOS = 200_000_000L;
    /**
     * An idle round that raised the live share by less than this made no progress: rewriting a chunk's live pages
     * dirties their parents, which move too, so each data shape has a share it cannot be rewritten past (many small
     * commits: ~60 %, below the target), and rounds past it only churn. Issue 18: an idle server's housekeeping
     * rewrote 8 MB every round at that plateau, half a core, for as long as it ran.
     */
    static final int PROGRESS_POINTS = 2;
    /** Idle rounds resume once writes have lowered the live share this far below the plateau they stopped at. */
    static final int PLATEAU_MARGIN = 10;

    private final MVStore store;
    private final EmbeddedLimits limits;
    /**
     * Held across commit + fsync, so no store write starts before the previous one is on disk. A lock
     * that parks its waiters: with a monitor, up to 32 writers spun for it on two cores (issue 18: ~a
     * fifth of the CPU samples of 16 concurrent inserts was that spinning).
     */
    private final ReentrantLock fileLock = new ReentrantLock();
    /** All changes made while the store was at this version or older are on disk; written under fileLock. */
    private volatile long durableVersion = -1;
    /** Guards {@link #leading}; writers waiting for a round led by another writer park on {@link #roundDone}. */
    private final ReentrantLock rounds = new ReentrantLock();
    private final Condition roundDone = rounds.newCondition();
    /** A writer is committing for the others (the leader of this round); guarded by {@link #rounds}. */
    private boolean leading;
    /** Commits + fsyncs done for writers (not housekeeping): fewer than the writes when writers share them. */
    private final java.util.concurrent.atomic.AtomicLong writerCommits = new java.util.concurrent.atomic.AtomicLong();
    private final ScheduledExecutorService housekeeping;
    /** {@link System#nanoTime()} of the last writer's commit; guarded by fileLock. */
    private long lastWriterCommit = System.nanoTime() - WRITERS_ACTIVE_NANOS;
    /** The live share at which idle rewriting last stopped making progress, or -1; read and written under fileLock. */
    private int plateau = -1;
    /** Housekeeping rounds that looked at the store (for tests: a round may rewrite nothing). */
    private final java.util.concurrent.atomic.AtomicLong housekeepingRounds = new java.util.concurrent.atomic.AtomicLong();
    /** Housekeeping rounds that rewrote chunks (for tests and measurements). */
    private final java.util.concurrent.atomic.AtomicLong compactions = new java.util.concurrent.atomic.AtomicLong();
    private final EmbeddedChangeLog changes;
    private final FieldIndexSnapshots snapshots;
    /** Writes a collection's index snapshots again when its journal is half full (0076). */
    private final FieldIndexCheckpoints checkpoints;
    /** Every database opened (its collections' field indexes are written to snapshots at close). */
    private final List<ObservedH2Database> databases;
    /**
     * How long a close may spend writing index snapshots before it leaves the remaining collections without one
     * (their next open fills from the documents): a snapshot only saves time, so it must never hold a shutdown for
     * minutes (one probe at 1M log records took ~400 s). {@code -Dthimble.db.indexSnapshotMillis}.
     */
    private volatile long snapshotBudgetMillis = Long.getLong("thimble.db.indexSnapshotMillis", 30_000);

    /**
     * @param store opened with {@code autoCommitDisabled()}; this backend owns and closes it
     */
    DurableH2Backend(MVStore store, EmbeddedLimits limits) {
        // Before super(): its constructor opens the existing databases through openOrCreateDatabase.
        this.changes = new EmbeddedChangeLog(store, Clock.systemUTC());
        this.snapshots = new FieldIndexSnapshots(store);
        this.databases = new java.util.concurrent.CopyOnWriteArrayList<>();
        super(store, Clock.systemDefaultZone());
        this.store = store;
        this.limits = limits;
        store.setRetentionTime(0);
        this.checkpoints = new FieldIndexCheckpoints(snapshots, fileLock, this::commitAndSyncLocked, store::isClosed);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("thimble-embedded-db-housekeeping").daemon(true).factory());
        housekeeping.scheduleWithFixedDelay(this::keepHouse, HOUSEKEEPING_PERIOD_MILLIS, HOUSEKEEPING_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** The change events of this server's databases. */
    EmbeddedChangeLog changes() {
        return changes;
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        ObservedH2Database database = new ObservedH2Database(databaseName, getMvStore(), getCursorRegistry(), changes, snapshots);
        databases.add(database);
        return database;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (command.equalsIgnoreCase(RemoteChangeLog.COMMAND)) {
            return changeEventsReply(query);
        }
        EmbeddedLimits.Verdict verdict = limits.judge(databaseName, command, query);
        switch (verdict.action()) {
            case REFUSE -> {
                return refusal(verdict.message());
            }
            case ACKNOWLEDGE -> {
                return new Document("ok", 1.0);
            }
            case EXECUTE -> {
                // run below
            }
        }
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("aggregate") && !writesOutput(query)) {
            return AggregationSource.offering(AggregationSource.of(databaseName, query),
                    () -> super.handleCommand(channel, databaseName, command, query));
        }
        if (name.equals("drop") && query.get(command) instanceof String collection
                && resolveDatabase(databaseName).resolveCollection(collection, false) == null) {
            // MongoDB (7.0 on) answers ok to dropping a collection that does not exist; the library answers "ns not
            // found" and logs it as an error with its stack trace, on the console of every serve whose app (or whose own
            // warm-up, WarmUpLogWrites) drops a collection that is not there
            return new Document("ok", 1.0);
        }
        if (READ_ONLY_COMMANDS.contains(name)) {
            Document response = super.handleCommand(channel, databaseName, command, query);
            if (name.equals("ismaster")) {
                response.put("logicalSessionTimeoutMinutes", LOGICAL_SESSION_TIMEOUT_MINUTES);
            }
            return response;
        }
        if (ScratchSpace.DATABASE.equals(databaseName)) {
            // per-call scratch copies need no fsync: nothing in them outlives the call, and a crash
            // leaves them to ScratchSpace.dropStale; the next durable commit writes them out anyway
            return super.handleCommand(channel, databaseName, command, query);
        }
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            // Also after a failed command: part of a batch may have been written before the error.
            long recorded = changes.lastRecorded(); // this commit covers every event recorded so far
            commitDurably();
            changes.publish(recorded);
        }
    }

    /**
     * Makes everything this thread wrote so far durable. Writers that queue on the lock share
     * commits: a commit started after a write finished contains it, so a writer whose changes a
     * commit + fsync already covered returns without another (group commit).
     */
    private void commitDurably() {
        long written = store.getCurrentVersion(); // our changes belong to this version or an older one
        if (durableVersion >= written) {
            return;
        }
        rounds.lock();
        try {
            // One writer leads a round at a time; the others park until it ends, then either find
            // their write covered (it started after they wrote) or one of them leads the next round.
            while (leading && durableVersion < written) {
                roundDone.awaitUninterruptibly();
            }
            if (durableVersion >= written) {
                return;
            }
            leading = true;
        } finally {
            rounds.unlock();
        }
        try {
            fileLock.lock();
            try {
                if (durableVersion < written) { // housekeeping may have committed it meanwhile
                    writerCommits.incrementAndGet();
                    commitAndSyncLocked();
                    lastWriterCommit = System.nanoTime();
                }
            } finally {
                fileLock.unlock();
            }
        } finally {
            rounds.lock();
            try {
                leading = false;
                roundDone.signalAll();
            } finally {
                rounds.unlock();
            }
        }
    }

    private void commitAndSyncLocked() {
        long version = store.getCurrentVersion();
        snapshots.journal().commit(store::commit); // never half across a journal entry (0069)
        store.sync();
        if (store.getCurrentVersion() > version) {
            // The commit stored everything written while the store was at {@code version}.
            durableVersion = version;
        }
    }

    /** How many commits + fsyncs writers have done so far. */
    long writerCommits() {
        return writerCommits.get();
    }

    /** The share of the chunks' space that holds live data, in percent. */
    int chunksFillRate() {
        fileLock.lock();
        try {
            return store.isClosed() ? 100 : store.getFileStore().getChunksFillRate();
        } finally {
            fileLock.unlock();
        }
    }

    /** Housekeeping rounds so far that rewrote chunks. */
    long compactions() {
        return compactions.get();
    }

    /** Housekeeping rounds so far, whether or not they rewrote anything. */
    long housekeepingRounds() {
        return housekeepingRounds.get();
    }

    /** Rewrites sparse chunks so that freed space is reused rather than the file growing. */
    private void keepHouse() {
        try {
            fileLock.lock();
            try {
                // The share of live data in the chunks, not of chunks in the file: with retention 0
                // dead chunks are freed at once, while a chunk keeping one live page stays whole.
                if (store.isClosed()) {
                    return;
                }
                housekeepingRounds.incrementAndGet();
                int fillRate = store.getFileStore().getChunksFillRate();
                boolean writersActive = System.nanoTime() - lastWriterCommit < WRITERS_ACTIVE_NANOS;
                if (fillRate >= (writersActive ? BUSY_FILL_RATE : TARGET_FILL_RATE)) {
                    return;
                }
                if (!writersActive && plateau >= 0 && fillRate > plateau - PLATEAU_MARGIN) {
                    return; // rewriting stopped helping at this share; wait until writes have lowered it
                }
                snapshots.journal().commit(() -> store.compact(TARGET_FILL_RATE,
                        writersActive ? BUSY_HOUSEKEEPING_WRITE_LIMIT : HOUSEKEEPING_WRITE_LIMIT));
                compactions.incrementAndGet();
                commitAndSyncLocked();
                if (!writersActive) { // while writers commit, the share moves with their writes: no measure of the round
                    int after = store.getFileStore().getChunksFillRate();
                    plateau = after - fillRate < PROGRESS_POINTS ? after : -1;
                }
            } finally {
                fileLock.unlock();
            }
        } catch (RuntimeException e) {
            log.warn("Embedded database housekeeping failed; the data file may grow until the next start", e);
        }
    }

    /** Index checkpoints completed so far (0076). */
    long indexCheckpoints() {
        return checkpoints.completed();
    }

    /** Checkpoints a collection's index snapshots on the calling thread (for measurements). */
    void checkpointIndexes(ObservedH2Collection collection) {
        checkpoints.checkpointNow(collection);
    }

    /** Entries read back from index snapshots so far. */
    long indexEntriesRestored() {
        return snapshots.entriesRestored();
    }

    /** For tests: how long the close may spend writing index snapshots ({@link #snapshotBudgetMillis}). */
    void snapshotBudgetMillis(long millis) {
        this.snapshotBudgetMillis = millis;
    }

    @Override
    public void close() {
        // Never interrupt: an interrupt during file I/O closes the store's FileChannel
        // (ClosedByInterruptException). A running round finishes; the lock below waits for it.
        housekeeping.shutdown();
        checkpoints.close();
        changes.close();
        fileLock.lock();
        try {
            saveIndexSnapshots();
            // Closes the store without compaction: H2 2.3.232's chunk moving on close trips its own
            // assertion after many small commits (RandomAccessStore.moveChunkInside).
            super.close();
        } finally {
            fileLock.unlock();
        }
    }

    /**
     * Writes every filled field index next to its data (decision 0048), so the next open need not read the
     * collections to fill them; holding the file lock, one collection at a time under its own lock. A failure
     * leaves no usable snapshot (the next open fills from the documents), never a wrong one.
     */
    private void saveIndexSnapshots() {
        if (store.isClosed()) {
            return;
        }
        try {
            snapshots.clear();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(snapshotBudgetMillis);
            for (ObservedH2Database database : databases) {
                for (ObservedH2Collection collection : database.openedCollections()) {
                    if (System.nanoTime() - deadline >= 0) {
                        log.info("Index snapshots: out of time ({} ms) at {}.{}; the collections left are filled from their"
                                        + " documents at the next start", snapshotBudgetMillis, collection.getDatabaseName(),
                                collection.getCollectionName());
                        return;
                    }
                    collection.saveIndexSnapshots(snapshots, () -> snapshots.journal().commit(store::commit));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not save the embedded database's indexes; the next start fills them from the documents", e);
            try {
                snapshots.clear();
            } catch (RuntimeException ignored) {
                // the store is unusable; close() reports it
            }
        }
    }

    /**
     * {@code {thimbleChangeEvents: 1, after: "<16 hex digits>"?, limit: n}}: the published events after
     * {@code after} as BSON binaries, and the newest published position; how a node connected by URI
     * reads this server's event log ({@link RemoteChangeLog}).
     */
    private Document changeEventsReply(Document query) {
        try {
            long last = changes.publishedSequence();
            Object after = query.get("after");
            long from = after instanceof String hex ? EmbeddedChangeLog.sequenceOf(
                    new org.bson.BsonDocument("_data", new org.bson.BsonString(hex))) : last;
            int limit = query.get("limit") instanceof Number n ? n.intValue() : 0;
            List<de.bwaldvogel.mongo.bson.BinData> events = new java.util.ArrayList<>();
            for (byte[] raw : changes.rawAfter(from, Math.min(limit, 1024))) {
                events.add(new de.bwaldvogel.mongo.bson.BinData(raw));
            }
            return new Document("events", events).append("last", EmbeddedChangeLog.token(last).getString("_data").getValue())
                    .append("ok", 1.0);
        } catch (dev.thimble.runtime.changes.ChangeHistoryLostException e) {
            return new Document("errmsg", e.getMessage()).append("code", RemoteChangeLog.HISTORY_LOST)
                    .append("codeName", "ChangeStreamHistoryLost").append("ok", 0.0);
        } catch (IllegalArgumentException e) {
            return new Document("errmsg", e.getMessage()).append("code", 2).append("codeName", "BadValue").append("ok", 0.0);
        }
    }

    /** An error reply in the server's own shape, without the library's ERROR log and stack trace. */
    private static Document refusal(String message) {
        return new Document("$err", message)
                .append("errmsg", message)
                .append("code", COMMAND_NOT_SUPPORTED)
                .append("codeName", "CommandNotSupported")
                .append("ok", 0.0);
    }

    private static boolean writesOutput(Document query) {
        if (!(query.get("pipeline") instanceof List<?> pipeline)) {
            return false;
        }
        return pipeline.stream().anyMatch(stage -> stage instanceof Map<?, ?> map
                && (map.containsKey("$out") || map.containsKey("$merge")));
    }
}
