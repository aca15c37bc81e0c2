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
 * {@code op_<epoch millis>_<random>}, used by one call and dropped when the call ends. Collections
 * left behind by a crash are dropped when a {@link ScratchSpace} is created, once they are older
 * than {@link #STALE_AFTER}.
 */
final class ScratchSpace {
    static final String DATABASE = "__thimble_scratch";
    static final Duration STALE_AFTER = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(ScratchSpace.class);
    private static final Pattern NAME = Pattern.compile("op_(\\d+)_[0-9a-f]+");

    private final Database database;

    ScratchSpace(Database database) {
        this.database = database;
    }

    /** One scratch collection; closing drops it. */
    final class Scratch implements AutoCloseable {
        final MongoCollection<BsonDocument> collection;

        private Scratch(MongoCollection<BsonDocument> collection) {
            this.collection = collection;
        }

        @Override
        public void close() {
            try {
                collection.drop();
            } catch (RuntimeException e) {
                log.warn("Could not drop the scratch collection {}.{} (dropped later as stale): {}",
                        DATABASE, collection.getNamespace().getCollectionName(), e.toString());
            }
        }
    }

    Scratch open() {
        String name = "op_" + System.currentTimeMillis() + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new Scratch(database.database(DATABASE).getCollection(name, BsonDocument.class));
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
