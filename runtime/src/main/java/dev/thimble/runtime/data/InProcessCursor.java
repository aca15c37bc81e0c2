package dev.thimble.runtime.data;

import com.mongodb.MongoClientSettings;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A query run by the embedded server's command entry in this process ({@link EmbeddedCommands}): the {@code find}
 * command a driver sends for {@code find(filter).sort(sort).iterator()}, then {@code getMore} while the server keeps
 * a cursor, and {@code killCursors} when closed before the end, as the driver does.
 */
final class InProcessCursor implements QueryCursor {
    /** The driver's codecs: a filter becomes the document the driver would have sent. */
    private static final CodecRegistry REGISTRY = MongoClientSettings.getDefaultCodecRegistry();

    private final EmbeddedCommands commands;
    private final String database;
    private final String collection;
    private Iterator<BsonValue> batch;
    private long cursorId;

    /**
     * A find's options as the driver sends them: a skip and a limit only when not 0; {@code singleBatch} for
     * {@code first()} (limit 1).
     */
    record Options(BsonDocument projection, BsonDocument sort, int skip, int limit, boolean singleBatch) {
        static Options sorted(BsonDocument sort) {
            return new Options(null, sort, 0, 0, false);
        }
    }

    /** Whether this cursor still holds its place among the in-process queries at once ({@link EmbeddedCommands#enter()}). */
    private boolean entered = true;

    /** A query of a caller that took a place with {@link EmbeddedCommands#enter()}; the cursor gives it back when done. */
    InProcessCursor(EmbeddedCommands commands, String database, String collection, BsonDocument filter, Options options) {
        this.commands = commands;
        this.database = database;
        this.collection = collection;
        try {
            start(filter, options);
        } catch (RuntimeException e) {
            leave();
            throw e;
        }
    }

    private void start(BsonDocument filter, Options options) {
        BsonDocument find = new BsonDocument("find", new BsonString(collection)).append("filter", filter);
        if (options.sort() != null) {
            find.append("sort", options.sort());
        }
        if (options.projection() != null) {
            find.append("projection", options.projection());
        }
        if (options.skip() != 0) {
            find.append("skip", new BsonInt32(options.skip()));
        }
        if (options.limit() != 0) {
            find.append("limit", new BsonInt32(options.limit()));
        }
        if (options.singleBatch()) {
            find.append("singleBatch", BsonBoolean.TRUE);
        }
        take(commands.run(database, find), "firstBatch");
    }

    private void leave() {
        if (entered) {
            entered = false;
            commands.leave();
        }
    }

    /** A source reading {@code database.collection} in this process. */
    static QueryCursor.Source of(EmbeddedCommands commands, String database, String collection) {
        return (filter, sort) -> new InProcessCursor(commands, database, collection,
                filter.toBsonDocument(BsonDocument.class, REGISTRY), Options.sorted(sort));
    }

    private void take(BsonDocument reply, String batchName) {
        BsonDocument cursor = reply.getDocument("cursor");
        cursorId = cursor.getNumber("id").longValue();
        batch = cursor.getArray(batchName, new BsonArray()).iterator();
    }

    @Override
    public boolean hasNext() {
        while (!batch.hasNext()) {
            if (cursorId == 0) {
                return false;
            }
            take(commands.run(database, new BsonDocument("getMore", new BsonInt64(cursorId))
                    .append("collection", new BsonString(collection))), "nextBatch");
        }
        return true;
    }

    @Override
    public BsonDocument next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return batch.next().asDocument();
    }

    @Override
    public void close() {
        try {
            if (cursorId != 0) {
                long id = cursorId;
                cursorId = 0;
                commands.run(database, new BsonDocument("killCursors", new BsonString(collection))
                        .append("cursors", new BsonArray(java.util.List.of(new BsonInt64(id)))));
            }
        } finally {
            leave();
        }
    }
}
