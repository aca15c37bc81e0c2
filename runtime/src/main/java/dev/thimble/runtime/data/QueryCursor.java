package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;

import java.util.Iterator;

/**
 * The documents of one query, fetched a batch at a time; closing it before the end releases the server's cursor.
 * Both the driver's cursor and the embedded server's in-process one ({@link InProcessCursor}) are read this way.
 */
interface QueryCursor extends Iterator<BsonDocument>, AutoCloseable {

    @Override
    void close();

    /** How one collection's queries are read: through the driver, or in this process. */
    @FunctionalInterface
    interface Source {
        /** The documents {@code filter} matches, in {@code sort}'s order (null: the natural order). */
        QueryCursor find(Bson filter, BsonDocument sort);

        /** Through the driver's {@code find(filter).sort(sort).iterator()}. */
        static Source driver(MongoCollection<BsonDocument> collection) {
            return (filter, sort) -> {
                MongoCursor<BsonDocument> cursor = (sort == null ? collection.find(filter)
                        : collection.find(filter).sort(sort)).iterator();
                return new QueryCursor() {
                    @Override
                    public boolean hasNext() {
                        return cursor.hasNext();
                    }

                    @Override
                    public BsonDocument next() {
                        return cursor.next();
                    }

                    @Override
                    public void close() {
                        cursor.close();
                    }
                };
            };
        }
    }
}
