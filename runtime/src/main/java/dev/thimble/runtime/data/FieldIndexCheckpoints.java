package dev.thimble.runtime.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Writes a collection's index snapshots again while the server runs, once its {@link FieldIndexJournal} holds half its
 * limit (decision 0076), so a long run that never closes cleanly keeps a snapshot that a crash can restore quickly: past
 * the limit the journal would drop the snapshots and the open after a crash would read every document to fill the
 * indexes (minutes at a million documents).
 *
 * <p>On a thread of its own, off the writers' path:
 * <ol>
 *   <li>holding the collection's lock (its writes wait): copy each index's entries (a reference per entry) and counters,
 *       and fork a second journal under a new epoch, which from then on names every write together with the current one;</li>
 *   <li>without the lock: encode the copies into chunks beside the current snapshot, committing after each index;</li>
 *   <li>holding the file lock, then the collection's: in one step no commit divides, the headers name the new chunks and
 *       epoch, the old snapshot goes, and the new journal alone names writes from then on; committed;</li>
 *   <li>the old journal's entries are removed.</li>
 * </ol>
 * A crash before step 3's commit finds the old snapshot and its journal, which named every write; one after it finds the
 * new snapshot and the new journal, which named every write since the copy. A checkpoint that cannot finish (an index
 * being filled, a journal past its limit, the server closing) is given up and changes nothing a restore reads.
 * {@code -Dthimble.db.indexCheckpoints=false} turns them off (for before/after measurements).
 */
final class FieldIndexCheckpoints {
    private static final Logger log = LoggerFactory.getLogger(FieldIndexCheckpoints.class);
    /** Read at each request, so a test can show a journal outgrowing its limit without them. */
    static volatile boolean enabled = !"false".equals(System.getProperty("thimble.db.indexCheckpoints"));

    private final FieldIndexSnapshots snapshots;
    private final ReentrantLock fileLock;
    private final Runnable commitAndSyncLocked;
    private final BooleanSupplier storeClosed;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("thimble-index-checkpoint").daemon(true).factory());
    private final Set<ObservedH2Collection> queued = ConcurrentHashMap.newKeySet();
    private final AtomicLong completed = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param fileLock            the lock every commit of the store holds
     * @param commitAndSyncLocked commits and fsyncs the store; called holding {@code fileLock}
     */
    FieldIndexCheckpoints(FieldIndexSnapshots snapshots, ReentrantLock fileLock, Runnable commitAndSyncLocked,
                          BooleanSupplier storeClosed) {
        this.snapshots = snapshots;
        this.fileLock = fileLock;
        this.commitAndSyncLocked = commitAndSyncLocked;
        this.storeClosed = storeClosed;
        snapshots.checkpointer(this::request);
    }

    /** Checkpoints {@code collection} soon, unless it is already waiting for one. */
    void request(ObservedH2Collection collection) {
        if (!enabled || closed || !queued.add(collection)) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    checkpoint(collection);
                } catch (RuntimeException e) {
                    log.warn("Index checkpoint of {}.{} failed; its journal goes on as before", collection.getDatabaseName(),
                            collection.getCollectionName(), e);
                } finally {
                    queued.remove(collection);
                }
            });
        } catch (RejectedExecutionException closing) {
            queued.remove(collection);
        }
    }

    /** Checkpoints {@code collection} on the calling thread (for measurements), whatever its journal holds. */
    void checkpointNow(ObservedH2Collection collection) {
        checkpoint(collection);
    }

    /** Checkpoints completed so far (for tests and measurements). */
    long completed() {
        return completed.get();
    }

    /** No checkpoint starts or finishes from now on (one under way is given up at its switch). */
    void close() {
        closed = true;
        thread.shutdown();
    }

    private void checkpoint(ObservedH2Collection collection) {
        long epoch = FieldIndexSnapshots.newEpoch();
        long started = System.nanoTime();
        ObservedH2Collection.Checkpoint copy = collection.beginCheckpoint(snapshots.journal(), epoch);
        if (copy == null) {
            return;
        }
        long copied = System.nanoTime();
        boolean switched = false;
        Map<FieldIndex, Integer> written = new LinkedHashMap<>();
        try {
            for (var index : copy.entries().entrySet()) {
                if (closed) {
                    return;
                }
                int chunks = snapshots.writeCheckpointEntries(copy.namespace(), index.getKey(), index.getValue(), epoch);
                if (chunks < 0) {
                    return; // a value the format does not keep: the journal goes on, to its limit
                }
                written.put(index.getKey(), chunks);
                // one commit per index (~30 MB at a million entries), not per chunk: measured once each at 1M (load
                // 12-13), single inserts waited up to 9.7 s with a commit per ~2 MB chunk, 5.2 s with one per index.
                // Likely why: a chunk is one large value in a leaf page, and a commit rewrites each changed leaf whole
                commitDurably();
            }
            fileLock.lock();
            try {
                if (closed || storeClosed.getAsBoolean()) {
                    return;
                }
                switched = collection.finishCheckpoint(copy, written, snapshots, epoch);
                if (switched) {
                    commitAndSyncLocked.run();
                }
            } finally {
                fileLock.unlock();
            }
        } finally {
            if (!switched) {
                snapshots.journal().abandon(copy.current(), copy.forked());
                snapshots.forgetCheckpoint(copy.namespace(), written.keySet(), epoch);
            }
        }
        if (!switched) {
            return; // the current journal still keeps the current snapshot valid: its entries stay
        }
        snapshots.journal().removeEntries(copy.current());
        completed.incrementAndGet();
        log.info("Index checkpoint of {}: {} indexes, their writes held {} ms for the copy, {} ms in all", copy.namespace(),
                written.size(), (copied - started) / 1_000_000, (System.nanoTime() - started) / 1_000_000);
    }

    private void commitDurably() {
        fileLock.lock();
        try {
            if (!storeClosed.getAsBoolean()) {
                commitAndSyncLocked.run();
            }
        } finally {
            fileLock.unlock();
        }
    }
}
