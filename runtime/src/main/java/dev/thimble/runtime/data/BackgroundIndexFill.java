package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fills a large collection's waiting field indexes from its documents on a thread of its own, a batch at a time,
 * so that the first query after an open without index snapshots (after a crash, decision 0053) does not hold the
 * collection, and every write to it, for the minutes a million documents take to read.
 *
 * <p>Each batch runs under the collection's lock (the one the library's writes hold): it reads the next
 * {@link #batchDocuments} documents in the data map's order into every waiting index and then moves each index's
 * {@linkplain FieldIndex#filledThrough boundary} to the last of them, so a write between two batches goes into the
 * index when its document lies before the boundary and is read by a later batch otherwise. When the last batch has
 * read the last document, the indexes are marked filled in the same lock; until then no query uses them, so no answer
 * is ever taken from a half-filled index. A find that names a field of an index being filled waits for the fill,
 * holding no lock ({@link ObservedH2Collection#handleQuery}): a scan of the collection instead would hold its lock,
 * and so every write and the fill itself, for as long as the fill takes; other finds, writes and counts go on.
 */
final class BackgroundIndexFill implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundIndexFill.class);

    /** Collections with at least this many documents are filled in the background; smaller ones at the first query. */
    static volatile long minimumDocuments = Long.getLong("thimble.db.backgroundFillDocuments", 50_000);
    /** Documents per batch: the collection's writes wait for one batch at most (tens of milliseconds). */
    static volatile int batchDocuments = 1_000;
    /** For tests: when set, each batch first takes a permit, so a test can hold the fill half way. */
    static volatile Semaphore gate;

    private final Object collectionLock;
    private final MVMap<Object, Document> dataMap;
    private final List<FieldIndex> indexes;
    private final LongAdder documentsRead;
    private final String namespace;
    /** Done when the fill ends, filled or not (a query waiting for it then reads what there is). */
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    BackgroundIndexFill(Object collectionLock, MVMap<Object, Document> dataMap, List<FieldIndex> indexes,
                        LongAdder documentsRead, String namespace) {
        this.collectionLock = collectionLock;
        this.dataMap = dataMap;
        this.indexes = List.copyOf(indexes);
        this.documentsRead = documentsRead;
        this.namespace = namespace;
    }

    /** Starts filling on a daemon thread. */
    void start() {
        Thread.ofPlatform().daemon().name("thimble-index-fill-" + namespace).start(this);
    }

    /** The indexes this fill is for. */
    List<FieldIndex> indexes() {
        return indexes;
    }

    /** Waits, holding no lock, until the fill has ended. */
    void awaitEnd() {
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        try {
            Object after = null;
            boolean done = false;
            while (!done) {
                Semaphore permits = gate;
                if (permits != null) {
                    permits.acquireUninterruptibly();
                }
                synchronized (collectionLock) {
                    List<FieldIndex> waiting = indexes.stream().filter(i -> i.deferred() && !i.dropped()).toList();
                    if (waiting.isEmpty() || dataMap.isClosed()) {
                        return; // dropped, or the database closed: the next open fills them again
                    }
                    after = fillBatch(waiting, after);
                    done = after == null;
                }
            }
            log.debug("Filled the indexes of {} from its documents in the background in {} ms", namespace,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            // a store closed under the fill; anything else leaves the indexes unused (queries read the documents)
            if (!dataMap.isClosed()) {
                log.warn("Could not fill the indexes of {}; its queries read the documents until the next start", namespace, e);
            }
        } finally {
            ended.countDown();
        }
    }

    /**
     * Reads the batch after {@code after} (from the first document when null) into {@code waiting}; returns the last
     * position read, or null when the collection has been read to its end and the indexes are now filled.
     */
    private Object fillBatch(List<FieldIndex> waiting, Object after) {
        Cursor<Object, Document> cursor = dataMap.cursor(after);
        Object last = after;
        int read = 0;
        while (read < batchDocuments && cursor.hasNext()) {
            Object position = cursor.next();
            if (after != null && dataMap.getKeyType().compare(position, after) <= 0) {
                continue; // the cursor starts at the last position read
            }
            Document document = cursor.getValue();
            for (FieldIndex index : waiting) {
                index.fill(document, position);
            }
            documentsRead.increment();
            last = position;
            read++;
        }
        if (!cursor.hasNext()) {
            waiting.forEach(FieldIndex::undefer);
            return null;
        }
        Object through = last;
        waiting.forEach(index -> index.filledThrough(through));
        return last;
    }
}
