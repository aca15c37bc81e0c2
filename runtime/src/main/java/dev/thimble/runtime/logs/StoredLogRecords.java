package dev.thimble.runtime.logs;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.BsonDocument;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.logs.LogFields.ID;

/**
 * Gives the records the ring has released ({@link LogRing#release}) their heavy parts back from the log collection,
 * for the readers that need whole records (the live feed's subscribers). One query by id per batch. Thread-safe.
 */
final class StoredLogRecords {
    private final MongoCollection<BsonDocument> collection;

    StoredLogRecords(MongoCollection<?> collection) {
        this.collection = collection.withDocumentClass(BsonDocument.class);
    }

    /**
     * {@code records} with each one at a position in {@code released} replaced by its stored form. A record the store
     * no longer has (deleted by the retention) stays as it is: without its arguments, decision, rule metrics and result.
     *
     * @throws RuntimeException when the database cannot be queried
     */
    List<LogRecord> whole(List<LogRecord> records, BitSet released) {
        if (released.isEmpty()) { return records; }
        List<ObjectId> ids = new ArrayList<>(released.cardinality());
        released.stream().forEach(i -> ids.add(records.get(i).id()));
        Map<ObjectId, LogRecord> stored = HashMap.newHashMap(ids.size());
        for (BsonDocument d : collection.find(Filters.in(ID, ids))) {
            LogRecord r = LogRecord.fromDocument(d);
            stored.put(r.id(), r);
        }
        List<LogRecord> out = new ArrayList<>(records);
        released.stream().forEach(i -> out.set(i, stored.getOrDefault(out.get(i).id(), out.get(i))));
        return out;
    }
}
