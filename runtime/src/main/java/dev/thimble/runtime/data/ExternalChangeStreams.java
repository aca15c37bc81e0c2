package dev.thimble.runtime.data;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeEventSource;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.ChangeListener;
import dev.thimble.runtime.changes.Namespace;
import dev.thimble.runtime.changes.Subscription;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Change events of a real deployment, from the driver's change streams: {@code fullDocument:
 * updateLookup} for post-images of updates, {@code fullDocumentBeforeChange: whenAvailable} for
 * pre-images where the collection records them (MongoDB 6.0+; older servers refuse the option and
 * are asked again without it). Each subscription's cursor runs on its own virtual thread, waiting on
 * the server (awaitData, up to one second per round so a close is noticed) rather than polling.
 * Events of internal databases and other operation types are filtered out on the server.
 */
final class ExternalChangeStreams implements ChangeEventSource {
    private static final Logger log = LoggerFactory.getLogger(ExternalChangeStreams.class);
    private static final long MAX_AWAIT_MILLIS = 1000;

    private final MongoClient client;
    private final AtomicLong numbers = new AtomicLong();
    private volatile BsonDocument lastSeen;

    ExternalChangeStreams(MongoClient client) {
        this.client = client;
    }

    @Override
    public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
        MongoCursor<BsonDocument> cursor;
        try {
            cursor = open(filter, true);
        } catch (MongoCommandException e) {
            if (e.getErrorCode() != 40415 && !String.valueOf(e.getErrorMessage()).contains("fullDocumentBeforeChange")) {
                throw e;
            }
            cursor = open(filter, false); // before MongoDB 6.0: no pre-images
        }
        Stream stream = new Stream(cursor, listener);
        Thread.ofVirtual().name("thimble-change-stream-" + numbers.incrementAndGet()).start(stream);
        return stream;
    }

    @Override
    public BsonDocument currentPosition() {
        return lastSeen;
    }

    static List<BsonDocument> pipeline() {
        BsonArray types = new BsonArray(List.of(new BsonString("insert"), new BsonString("update"),
                new BsonString("replace"), new BsonString("delete")));
        BsonArray notInternal = new BsonArray(List.of(
                new BsonDocument("ns.db", new BsonDocument("$not", new BsonRegularExpression("^__thimble_"))),
                new BsonDocument("ns.db", new BsonDocument("$nin", new BsonArray(List.of(
                        new BsonString("admin"), new BsonString("local"), new BsonString("config"))))),
                new BsonDocument("ns.coll", new BsonDocument("$not", new BsonRegularExpression("^system\\.")))));
        return List.of(new BsonDocument("$match", new BsonDocument("operationType", new BsonDocument("$in", types))
                .append("$and", notInternal)));
    }

    private MongoCursor<BsonDocument> open(ChangeFilter filter, boolean preImages) {
        ChangeStreamIterable<BsonDocument> stream;
        if (filter.collection() != null) {
            stream = client.getDatabase(filter.database()).getCollection(filter.collection(), BsonDocument.class)
                    .watch(pipeline(), BsonDocument.class);
        } else if (filter.database() != null) {
            stream = client.getDatabase(filter.database()).watch(pipeline(), BsonDocument.class);
        } else {
            stream = client.watch(pipeline(), BsonDocument.class);
        }
        stream = stream.fullDocument(FullDocument.UPDATE_LOOKUP).maxAwaitTime(MAX_AWAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (preImages) {
            stream = stream.fullDocumentBeforeChange(FullDocumentBeforeChange.WHEN_AVAILABLE);
        }
        if (filter.resumeAfter() != null) {
            stream = stream.resumeAfter(filter.resumeAfter());
        }
        // The raw events: the same shape the embedded log stores, read by one converter.
        return stream.withDocumentClass(BsonDocument.class).cursor();
    }

    private final class Stream implements Subscription, Runnable {
        private final MongoCursor<BsonDocument> cursor;
        private final ChangeListener listener;
        private volatile boolean open = true;

        Stream(MongoCursor<BsonDocument> cursor, ChangeListener listener) {
            this.cursor = cursor;
            this.listener = listener;
        }

        @Override
        public void run() {
            try {
                while (open) {
                    BsonDocument raw = cursor.tryNext();
                    if (raw == null || !open) {
                        continue;
                    }
                    ChangeEvent event = ChangeEvent.fromBsonDocument(raw);
                    if (event == null || Namespace.isInternal(event.ns().db(), event.ns().coll())) {
                        continue;
                    }
                    lastSeen = event.id();
                    try {
                        listener.onEvent(event);
                    } catch (RuntimeException e) {
                        log.warn("A change listener failed on event {}; delivery goes on", event.resumeData(), e);
                    }
                }
            } catch (MongoException | IllegalArgumentException e) {
                if (open) {
                    open = false;
                    log.warn("A change stream ended: {}", e.getMessage());
                    listener.onError(e);
                }
            } finally {
                open = false;
                try {
                    cursor.close();
                } catch (RuntimeException ignored) {
                    // closing a broken cursor
                }
            }
        }

        @Override
        public void close() {
            open = false; // the loop sees it within MAX_AWAIT_MILLIS and closes the cursor on its own thread
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }
}
