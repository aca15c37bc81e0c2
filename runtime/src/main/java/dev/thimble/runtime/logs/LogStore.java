package dev.thimble.runtime.logs;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import org.bson.BSONException;
import org.bson.BsonDocument;
import org.bson.codecs.configuration.CodecConfigurationException;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import static dev.thimble.runtime.logs.LogFields.*;

/** The log collection: batched inserts, the query, and retention. Thread-safe (the driver is). */
final class LogStore {
    private static final Logger LOG = LoggerFactory.getLogger(LogStore.class);
    private static final int DUPLICATE_KEY = 11000;
    private static final Bson NEWEST_FIRST = Sorts.descending(STARTED, ID);

    private final MongoCollection<BsonDocument> collection;

    LogStore(MongoCollection<?> collection) {
        this.collection = collection.withDocumentClass(BsonDocument.class);
    }

    String namespace() { return collection.getNamespace().getFullName(); }

    /**
     * {@code started, _id} serves the newest-first order on a MongoDB server; the embedded database does not keep
     * it ({@code started} gives it the order and the date range of a page, decisions 0036, 0040). The others serve
     * the logs panel's filters, those of a type, status or user also newest first (0048's compound indexes on the
     * embedded database), so a filtered page reads about as many records as it shows whatever the store holds.
     * Memory on the embedded database: about 60 bytes per record per index.
     */
    void ensureIndexes() {
        collection.createIndex(Indexes.descending(STARTED, ID), new IndexOptions().name("started_-1__id_-1"));
        collection.createIndex(Indexes.descending(STARTED), new IndexOptions().name("started_-1"));
        for (String field : FILTERED_FIELDS) {
            collection.createIndex(Indexes.ascending(field), new IndexOptions().name(field + "_1"));
        }
        List<String> existing = collection.listIndexes(org.bson.Document.class).map(index -> index.getString("name")).into(new ArrayList<>());
        for (String field : FILTERED_NEWEST_FIRST) {
            collection.createIndex(Indexes.compoundIndex(Indexes.ascending(field), Indexes.descending(STARTED)),
                    new IndexOptions().name(field + "_1_started_-1"));
            if (existing.contains(field + "_1")) {
                collection.dropIndex(field + "_1"); // a store of an earlier build (0069, 0076): the compound index serves its filter too
            }
        }
    }

    /** The fields the logs panel filters by equality, with an index of their own (a request's records: a few). */
    private static final List<String> FILTERED_FIELDS = List.of(CO_ID);

    /**
     * The filters whose records are spread thin over a large store (one record in 50 to 1,000): an index on the field
     * then the start gives a page of them newest first by reading just that page (decision 0069: "errors only" read and
     * sorted its 1,000 records of a million-record store, 111–208 ms); its first key serves the plain filter as well.
     * A function's records too (decision 0076): "one function in a one-hour window" walked the window on {@code started}
     * and looked each record up in the function's index (202 ms at a million records); under this index the window is
     * one stretch of the function's records, read newest first for just the page.
     */
    private static final List<String> FILTERED_NEWEST_FIRST = List.of(TYPE, STATUS, USER_ID, FUNCTION_NAME);


    /**
     * Inserts the batch with one command. Records the database refuses one by one (a key it does
     * not accept, a record over the size limit) are dropped and counted, so one bad record cannot
     * hold back the others; records already stored (a retry after a lost acknowledgement) count
     * as stored.
     *
     * @return how many records were refused for good
     * @throws RuntimeException when the database could not be reached: retry the whole batch
     */
    int insert(List<LogRecord> batch) {
        List<BsonDocument> docs = new ArrayList<>(batch.size());
        for (LogRecord r : batch) { docs.add(r.toDocument()); }
        try {
            collection.insertMany(docs, new InsertManyOptions().ordered(false));
            return 0;
        } catch (MongoBulkWriteException e) {
            int refused = 0;
            for (BulkWriteError error : e.getWriteErrors()) {
                if (error.getCode() == DUPLICATE_KEY) { continue; }
                refused++;
                LOG.warn("The log store refused log record {}: {} (code {})",
                        batch.get(error.getIndex()).id(), error.getMessage(), error.getCode());
            }
            return refused;
        } catch (BSONException | CodecConfigurationException | IllegalArgumentException e) {
            return insertOneByOne(batch, docs);
        }
    }

    private int insertOneByOne(List<LogRecord> batch, List<BsonDocument> docs) {
        int refused = 0;
        for (int i = 0; i < docs.size(); i++) {
            try {
                collection.insertOne(docs.get(i));
            } catch (MongoWriteException e) {
                if (e.getError().getCode() == DUPLICATE_KEY) { continue; }
                refused++;
                LOG.warn("The log store refused log record {}: {}", batch.get(i).id(), e.getError().getMessage());
            } catch (BSONException | CodecConfigurationException | IllegalArgumentException e) {
                refused++;
                LOG.warn("Log record {} cannot be stored: {}", batch.get(i).id(), e.toString());
            }
        }
        return refused;
    }

    long deleteStartedBefore(Instant cutoff) {
        return collection.deleteMany(Filters.lt(STARTED, Date.from(cutoff))).getDeletedCount();
    }

    long count() { return collection.countDocuments(); }

    LogPage query(LogQuery q) {
        Bson filter = filter(q);
        List<LogRecord> found = new ArrayList<>(q.limit() + 1);
        for (BsonDocument d : collection.find(filter).sort(NEWEST_FIRST).skip(q.skip()).limit(q.limit() + 1)) {
            found.add(LogRecord.fromDocument(d));
        }
        if (found.size() <= q.limit()) { return new LogPage(found, null, 0); }
        List<LogRecord> page = found.subList(0, q.limit());
        Instant last = page.getLast().started();
        int sameAsLast = 0;
        for (int i = page.size() - 1; i >= 0 && page.get(i).started().equals(last); i--) { sameAsLast++; }
        long nextSkip = sameAsLast;
        if (sameAsLast == page.size()) {
            // The whole page shares one timestamp: the records skipped before it may share it too.
            nextSkip += collection.countDocuments(Filters.and(filter,
                    Filters.eq(STARTED, Date.from(last)), Filters.gt(ID, page.getFirst().id())));
        }
        return new LogPage(page, last, Math.toIntExact(nextSkip));
    }

    static Bson filter(LogQuery q) {
        List<Bson> and = new ArrayList<>();
        if (!q.types().isEmpty()) { and.add(Filters.in(TYPE, q.types().stream().map(Enum::name).sorted().toList())); }
        if (q.status() != null) { and.add(Filters.eq(STATUS, q.status().wire())); }
        if (q.userId() != null) { and.add(Filters.eq(USER_ID, q.userId())); }
        if (q.functionName() != null) { and.add(Filters.eq(FUNCTION_NAME, q.functionName())); }
        if (q.coId() != null) { and.add(Filters.eq(CO_ID, q.coId())); }
        if (q.startDate() != null) { and.add(Filters.gte(STARTED, Date.from(q.startDate()))); }
        if (q.endDate() != null) { and.add(Filters.lte(STARTED, Date.from(q.endDate()))); }
        if (q.text() != null) {
            String quoted = Pattern.quote(q.text());
            and.add(Filters.or(Filters.regex(ERROR, quoted, "i"), Filters.regex(MESSAGES, quoted, "i")));
        }
        return and.isEmpty() ? new BsonDocument() : Filters.and(and);
    }
}
