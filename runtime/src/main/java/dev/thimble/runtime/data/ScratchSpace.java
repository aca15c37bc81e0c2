package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-call scratch collections in {@value #DATABASE} on the same server as the app's data, so that
 * MongoDB itself computes what an update would make of a document (after-images, upserts) and runs
 * a user's aggregation over only the documents the rules let them read. Each collection is named
 * {@code op_<epoch millis>_<random>} and used by one call at a time. When the call ends it is emptied
 * and kept for the next call (creating and dropping a collection costs the embedded server ~100 ms,
 * emptying a small one ~1 ms); a kept collection is dropped instead once it is older than
 * {@link #REUSE_FOR}, and at most {@link #MAX_IDLE} are kept. Collections left behind by a crash are
 * dropped when a {@link ScratchSpace} is created, once they are older than {@link #STALE_AFTER}: never
 * one another node still uses, since no node uses one longer than {@link #REUSE_FOR}.
 */
final class ScratchSpace {
    static final String DATABASE = "__thimble_scratch";
    static final Duration STALE_AFTER = Duration.ofHours(1);
    static final Duration REUSE_FOR = Duration.ofMinutes(20);
    static final int MAX_IDLE = 8;

    private static final Logger log = LoggerFactory.getLogger(ScratchSpace.class);
    private static final Pattern NAME = Pattern.compile("op_(\\d+)_[0-9a-f]+");

    private final Database database;
    private final java.util.concurrent.ConcurrentLinkedDeque<Scratch> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();

    ScratchSpace(Database database) {
        this.database = database;
    }

    /** One scratch collection, empty when handed out; closing empties it for the next call (or drops it). */
    final class Scratch implements AutoCloseable {
        final MongoCollection<BsonDocument> collection;
        private final long created;

        private Scratch(MongoCollection<BsonDocument> collection, long created) {
            this.collection = collection;
            this.created = created;
        }

        @Override
        public void close() {
            boolean keep = System.currentTimeMillis() - created < REUSE_FOR.toMillis() && idle.size() < MAX_IDLE;
            if (keep) {
                try {
                    collection.deleteMany(new BsonDocument());
                    idle.push(this);
                    return;
                } catch (RuntimeException e) {
                    log.debug("Could not empty the scratch collection {}; dropping it", collection.getNamespace(), e);
                }
            }
            try {
                collection.drop();
            } catch (RuntimeException e) {
                log.warn("Could not drop the scratch collection {}.{} (dropped later as stale): {}",
                        DATABASE, collection.getNamespace().getCollectionName(), e.toString());
            }
        }
    }

    Scratch open() {
        for (Scratch kept; (kept = idle.poll()) != null; ) {
            if (System.currentTimeMillis() - kept.created < REUSE_FOR.toMillis()) {
                return kept;
            }
            try {
                kept.collection.drop();
            } catch (RuntimeException e) {
                log.debug("Could not drop an old scratch collection (dropped later as stale)", e);
            }
        }
        long now = System.currentTimeMillis();
        String name = "op_" + now + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new Scratch(database.database(DATABASE).getCollection(name, BsonDocument.class), now);
    }

    /** Drops scratch collections older than {@link #STALE_AFTER}; never fails. */
    void dropStale() {
        try {
            MongoDatabase scratch = database.database(DATABASE);
            long cutoff = System.currentTimeMillis() - STALE_AFTER.toMillis();
            List<String> stale = new ArrayList<>();
            for (String name : scratch.listCollectionNames()) {
                Matcher m = NAME.matcher(name);
                if (m.matches() && Long.parseLong(m.group(1)) < cutoff) {
                    stale.add(name);
                }
            }
            for (String name : stale) {
                scratch.getCollection(name).drop();
            }
            if (!stale.isEmpty()) {
                log.info("Dropped {} stale scratch collection(s) in {}", stale.size(), DATABASE);
            }
        } catch (RuntimeException e) {
            log.debug("Could not look for stale scratch collections: {}", e.toString());
        }
    }
}
