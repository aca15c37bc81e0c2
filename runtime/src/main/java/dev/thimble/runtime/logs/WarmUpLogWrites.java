package dev.thimble.runtime.logs;

import com.mongodb.client.MongoCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The start-time warm-up's log records, written through the store's own code (the record's BSON, the driver's
 * insert, the database's write and index maintenance) into a scratch collection that is dropped when the warm-up
 * ends (decision record 0071). Without it the first clients' records were the first the JVM saw on that path, and
 * its compilation took the CPU from their calls. The app's log collection, its ring and its subscribers never see
 * these records.
 *
 * <p>Writes are synchronous, on the warm-up's thread: the warm-up's yielding to requests covers them, and no
 * writer thread of its own runs once the warm-up stopped. A failure is logged at debug and ignored: warming is
 * best effort.
 */
final class WarmUpLogWrites {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUpLogWrites.class);

    private final MongoCollection<?> scratch;
    private final LongAdder stored = new LongAdder();
    /** The scratch store, made (with the log collection's indexes) by the first write of a warm-up. */
    private LogStore store;

    WarmUpLogWrites(MongoCollection<?> scratch) {
        this.scratch = scratch;
    }

    synchronized void store(LogRecord record) {
        try {
            if (store == null) {
                scratch.drop(); // what a warm-up cut short by a crash left
                LogStore fresh = new LogStore(scratch);
                fresh.ensureIndexes();
                store = fresh;
            }
            if (store.insert(List.of(record)) == 0) {
                stored.increment();
            }
        } catch (RuntimeException e) {
            LOG.debug("A warm-up log record was not written to {}: {}", scratch.getNamespace(), e.toString());
        }
    }

    /** Drops the scratch collection; the next warm-up (after a reload) makes it again. */
    synchronized void ended() {
        if (store == null) { return; }
        store = null;
        try {
            scratch.drop();
        } catch (RuntimeException e) {
            LOG.debug("Could not drop {} after the warm-up: {}", scratch.getNamespace(), e.toString());
        }
    }

    long stored() { return stored.sum(); }
}
