package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bson.RawBsonDocument;
import org.h2.mvstore.MVMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * An H2 collection that reports every document it stores, changes or removes to the change log,
 * from the three primitives every write of the library ends in: {@code addDocumentInternal}
 * (inserts, upserts), {@code handleUpdate} (updates, replacements, findAndModify) and
 * {@code removeDocument} (deletes, findAndModify remove). Whatever client sent the write, and
 * however it was phrased (insert, update, bulk write, findAndModify), it passes here.
 *
 * <p>Pre-images: {@code handleUpdate} receives a deep copy of the stored document taken before the
 * update was applied, and {@code removeDocument} reads the stored document before removing it.
 * Whether an update is a replacement is known only from the update document, so it is noted in a
 * thread-local scope for the duration of the update or findAndModify call.
 *
 * <p>Recording never fails a write: an error is logged and the event is lost.
 *
 * <p>Queries: a filter with an equality ({@code {f: "x"}}, {@code {f: {$eq: "x"}}}) or {@code $in}
 * of strings/ObjectIds on a field with a {@link FieldEqualityIndex} reads only the documents the index
 * names, in the collection's natural order, and the library's matcher, sort, skip, limit and
 * projection run on them as they would on a full scan.
 */
final class ObservedH2Collection extends H2Collection {
    private static final Logger log = LoggerFactory.getLogger(ObservedH2Collection.class);

    /** The update or findAndModify running on this thread, if any. */
    private static final ThreadLocal<WriteScope> SCOPE = new ThreadLocal<>();

    private final EmbeddedChangeLog changes;
    private final MVMap<Object, Document> dataMap;
    private final LongAdder indexedQueries = new LongAdder();
    private final LongAdder candidatesRead = new LongAdder();

    private static final class WriteScope {
        final ObservedH2Collection collection;
        final boolean replacement;
        final WriteScope outer;

        WriteScope(ObservedH2Collection collection, boolean replacement, WriteScope outer) {
            this.collection = collection;
            this.replacement = replacement;
            this.outer = outer;
        }
    }

    ObservedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                         MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
                         EmbeddedChangeLog changes) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.changes = changes;
        this.dataMap = dataMap;
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int numberToReturn,
                                         int batchSize, Document fieldSelector) {
        Set<Object> candidates = isNaturalDescending(orderBy) ? null : indexedCandidates(query);
        if (candidates == null) {
            return super.matchDocuments(query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
        }
        List<Object> positions = new ArrayList<>(candidates);
        // the order a full scan reads them in: the data map's key order
        positions.sort(dataMap.getKeyType()::compare);
        indexedQueries.increment();
        candidatesRead.add(positions.size());
        return matchDocumentsFromStream(positions.stream().map(dataMap::get).filter(Objects::nonNull),
                query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
    }

    /**
     * The positions of every document that can match {@code query}, from the smallest candidate set of
     * the indexed fields it filters by equality or {@code $in}; null when no index narrows it.
     */
    private Set<Object> indexedCandidates(Document query) {
        Set<Object> best = null;
        for (Index<Object> index : getIndexes()) {
            if (index instanceof FieldEqualityIndex fieldIndex) {
                best = smaller(best, candidates(fieldIndex, query));
            }
        }
        return best;
    }

    /** The candidates {@code index} names for {@code query}'s conditions on its field, also inside a top-level $and. */
    private static Set<Object> candidates(FieldEqualityIndex index, Document query) {
        Set<Object> best = null;
        List<Object> values = query.containsKey(index.field()) ? equalityValues(query.get(index.field())) : null;
        if (values != null) {
            Set<Object> positions = new HashSet<>();
            for (Object value : values) {
                positions.addAll(index.positionsOf(value));
            }
            best = positions;
        }
        if (query.get("$and") instanceof Collection<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document conditions) {
                    best = smaller(best, candidates(index, conditions));
                }
            }
        }
        return best;
    }

    private static Set<Object> smaller(Set<Object> a, Set<Object> b) {
        return a == null || (b != null && b.size() < a.size()) ? b : a;
    }

    /** The values a field's condition requires it (or an element of it) to equal, if all are indexable. */
    private static List<Object> equalityValues(Object condition) {
        if (FieldEqualityIndex.indexable(condition)) {
            return List.of(condition);
        }
        if (condition instanceof Document operators && operators.size() == 1) {
            Object operand = operators.get("$eq");
            if (operand != null) {
                return FieldEqualityIndex.indexable(operand) ? List.of(operand) : null;
            }
            if (operators.get("$in") instanceof Collection<?> list
                    && list.stream().allMatch(FieldEqualityIndex::indexable)) {
                return List.copyOf(list);
            }
        }
        return null;
    }

    /** Queries answered from an index so far, and the documents they read (for tests and measurements). */
    long indexedQueries() {
        return indexedQueries.sum();
    }

    long indexCandidatesRead() {
        return candidatesRead.sum();
    }

    private boolean observed() {
        return changes.observes(getDatabaseName(), getCollectionName());
    }

    @Override
    public Document updateDocuments(Document selector, Document update, ArrayFilters arrayFilters, boolean multi,
                                    boolean upsert, Oplog oplog) {
        if (!observed()) {
            return super.updateDocuments(selector, update, arrayFilters, multi, upsert, oplog);
        }
        return inScope(isReplacement(update), () -> super.updateDocuments(selector, update, arrayFilters, multi, upsert, oplog));
    }

    @Override
    public Document findAndModify(Document query) {
        if (!observed()) {
            return super.findAndModify(query);
        }
        return inScope(query.get("update") instanceof Document update && isReplacement(update), () -> super.findAndModify(query));
    }

    private <T> T inScope(boolean replacement, Supplier<T> write) {
        WriteScope scope = new WriteScope(this, replacement, SCOPE.get());
        SCOPE.set(scope);
        try {
            return write.get();
        } finally {
            if (scope.outer == null) {
                SCOPE.remove();
            } else {
                SCOPE.set(scope.outer);
            }
        }
    }

    private static boolean isReplacement(Document update) {
        return update.keySet().stream().noneMatch(key -> key.startsWith("$"));
    }

    @Override
    protected Object addDocumentInternal(Document document) {
        Object position = super.addDocumentInternal(document);
        if (observed()) {
            record(() -> changes.inserted(getDatabaseName(), getCollectionName(), snapshot(document)));
        }
        return position;
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument);
        if (observed()) {
            WriteScope scope = SCOPE.get();
            boolean replacement = scope != null && scope.collection == this && scope.replacement;
            record(() -> changes.updated(getDatabaseName(), getCollectionName(), snapshot(oldDocument), snapshot(newDocument),
                    replacement));
        }
    }

    @Override
    protected void removeDocument(Object position) {
        Document stored = observed() ? getDocument(position) : null;
        super.removeDocument(position);
        if (stored != null) {
            record(() -> changes.deleted(getDatabaseName(), getCollectionName(), snapshot(stored)));
        }
    }

    private void record(Runnable recording) {
        try {
            recording.run();
        } catch (RuntimeException e) {
            log.error("Could not record a change event for {}; the write stands, the event is lost", getFullName(), e);
        }
    }

    /** The document as it is now, in the driver's BSON types, immune to later mutation. */
    static RawBsonDocument snapshot(Document document) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(document, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return new RawBsonDocument(bytes);
        } finally {
            buffer.release();
        }
    }
}
