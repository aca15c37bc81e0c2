package dev.thimble.runtime.data;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeEventSource;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.ChangeHistoryLostException;
import dev.thimble.runtime.changes.ChangeListener;
import dev.thimble.runtime.changes.Subscription;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The change events of another Thimble's embedded server, for a node connected to it by URI: read
 * from that server's persisted event log with the {@code thimbleChangeEvents} command, so this node
 * sees the same events, resume tokens and order as the node that owns the server (the embedded
 * server's own change streams are not faithful, see STACK.md). A subscription asks for the events
 * after its position, delivers them, and when there are none waits {@link #IDLE_WAIT_MILLIS} before
 * asking again: the owner's I/O threads must not block on a waiting command, so this side polls, a
 * small command 20 times a second while idle, and events arrive within about that interval.
 */
final class RemoteChangeLog implements ChangeEventSource {
    private static final Logger log = LoggerFactory.getLogger(RemoteChangeLog.class);
    static final String COMMAND = "thimbleChangeEvents";
    static final int HISTORY_LOST = 286;
    static final long IDLE_WAIT_MILLIS = 50;
    private static final int BATCH = 256;
    private static final long RETRY_MAX_MILLIS = 2000;

    private final MongoClient client;
    private final AtomicLong numbers = new AtomicLong();

    RemoteChangeLog(MongoClient client) {
        this.client = client;
    }

    /** True when the server behind {@code client} is a Thimble embedded server that serves its event log. */
    static boolean servedBy(MongoClient client) {
        try {
            ask(client, null, 0);
            return true;
        } catch (MongoCommandException e) {
            return false; // a real MongoDB: no such command
        }
    }

    @Override
    public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
        long start;
        if (filter.resumeAfter() == null) {
            start = EmbeddedChangeLog.sequenceOf(currentPosition());
        } else {
            start = EmbeddedChangeLog.sequenceOf(filter.resumeAfter());
            try {
                ask(client, filter.resumeAfter().getString("_data").getValue(), 0);
            } catch (MongoCommandException e) {
                throw e.getErrorCode() == HISTORY_LOST ? new ChangeHistoryLostException(e.getErrorMessage())
                        : new IllegalArgumentException(e.getErrorMessage(), e);
            }
        }
        Feed feed = new Feed(filter, listener, start);
        feed.thread = Thread.ofVirtual().name("thimble-remote-change-feed-" + numbers.incrementAndGet()).start(feed);
        return feed;
    }

    @Override
    public BsonDocument currentPosition() {
        BsonDocument reply = ask(client, null, 0);
        return new BsonDocument("_data", reply.getString("last"));
    }

    private static BsonDocument ask(MongoClient client, String after, int limit) {
        BsonDocument command = new BsonDocument(COMMAND, new BsonInt32(1)).append("limit", new BsonInt32(limit));
        if (after != null) {
            command.append("after", new BsonString(after));
        }
        return client.getDatabase("admin").runCommand(command, BsonDocument.class);
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
            long backoff = IDLE_WAIT_MILLIS;
            while (open) {
                BsonDocument reply;
                try {
                    reply = ask(client, EmbeddedChangeLog.token(position).getString("_data").getValue(), BATCH);
                    backoff = IDLE_WAIT_MILLIS;
                } catch (MongoCommandException e) {
                    open = false;
                    listener.onError(e.getErrorCode() == HISTORY_LOST ? new ChangeHistoryLostException(e.getErrorMessage()) : e);
                    return;
                } catch (MongoException e) {
                    // the owning node is restarting or unreachable: keep the position and ask again
                    log.debug("Reading the remote change log failed: {}", e.getMessage());
                    LockSupport.parkNanos(backoff * 1_000_000);
                    backoff = Math.min(backoff * 2, RETRY_MAX_MILLIS);
                    continue;
                }
                var events = reply.getArray("events");
                for (BsonValue raw : events) {
                    if (!open) {
                        return;
                    }
                    BsonBinary binary = raw.asBinary();
                    RawBsonDocument stored = new RawBsonDocument(binary.getData());
                    position = EmbeddedChangeLog.sequenceOf(stored.getDocument("_id"));
                    ChangeEvent event = ChangeEvent.fromBsonDocument(stored);
                    if (event != null && filter.matches(event.ns())) {
                        try {
                            listener.onEvent(event);
                        } catch (RuntimeException e) {
                            log.warn("A change listener failed on event {}; delivery goes on", event.resumeData(), e);
                        }
                    }
                }
                if (events.isEmpty()) {
                    LockSupport.parkNanos(IDLE_WAIT_MILLIS * 1_000_000);
                }
            }
        }

        @Override
        public void close() {
            open = false;
            LockSupport.unpark(thread);
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }
}
