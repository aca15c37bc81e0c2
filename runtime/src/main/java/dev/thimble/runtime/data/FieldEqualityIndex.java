package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A non-unique index on one top-level field for the embedded database, kept in memory: value →
 * positions (the documents' {@code _id}s) of the documents holding that value, either as the field's
 * value or as an element of an array in it. mongo-java-server's H2 backend keeps unique indexes only
 * and ignores the others (an equality filter on such a field scans the whole collection); this is
 * the index the library is handed instead (see {@link ObservedH2Database#openOrCreateSecondaryIndex}).
 *
 * <p>The library maintains it through its own hooks on every insert, update and delete, and fills it
 * from the stored documents whenever the index is added to a collection: on {@code createIndex} and
 * again on every open of the data file (the library re-adds each index it has recorded; an empty
 * index is filled from a scan). Nothing of it is written to disk, so it cannot disagree with the data
 * after a crash.
 *
 * <p>Only strings and ObjectIds are indexed: for them MongoDB's equality is plain {@code equals}
 * (numbers compare across types, documents by field order, null matches a missing field; those
 * filters keep the full scan). The index only narrows the candidates: {@link ObservedH2Collection}
 * still runs the library's matcher, sort, skip, limit and projection on them, so results are the same
 * with and without it. It never answers a query through the library's own index path
 * ({@link #canHandle} is false), because that path would not keep the collection's natural order.
 */
final class FieldEqualityIndex extends Index<Object> {
    private final String field;
    private final Map<Object, Set<Object>> positionsByValue = new ConcurrentHashMap<>();

    FieldEqualityIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.field = keys.getFirst().getKey();
    }

    /** Whether an index with these keys can be kept here: one top-level field, ascending or descending. */
    static boolean supports(List<IndexKey> keys) {
        if (keys.size() != 1) {
            return false;
        }
        String key = keys.getFirst().getKey();
        return !key.isEmpty() && !key.contains(".") && !key.startsWith("$") && !key.equals("_id");
    }

    String field() {
        return field;
    }

    static boolean indexable(Object value) {
        return value instanceof String || value instanceof ObjectId;
    }

    /** The positions of the documents that may hold {@code value} in the field (exact for indexable values). */
    Set<Object> positionsOf(Object value) {
        Set<Object> positions = positionsByValue.get(value);
        return positions == null ? Set.of() : positions;
    }

    private static Collection<Object> indexedValues(Object fieldValue) {
        if (indexable(fieldValue)) {
            return List.of(fieldValue);
        }
        if (fieldValue instanceof Collection<?> elements) {
            List<Object> values = new ArrayList<>();
            for (Object element : elements) {
                if (indexable(element)) {
                    values.add(element);
                }
            }
            return values;
        }
        return List.of();
    }

    private Collection<Object> valuesOf(Document document) {
        return indexedValues(document.get(field));
    }

    /** The position H2Collection gives a document: its {@code _id}, computed the same way. */
    private static Object positionOf(Document document) {
        return Utils.getSubdocumentValue(document, "_id");
    }

    @Override
    public Object getPosition(Document document) {
        return null; // not unique: a document is never found through this index alone
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        for (Object value : valuesOf(document)) {
            positionsByValue.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(position);
        }
    }

    @Override
    public Object remove(Document document) {
        Object position = positionOf(document);
        removeEntries(document, position);
        return position;
    }

    private void removeEntries(Document document, Object position) {
        for (Object value : new HashSet<>(valuesOf(document))) {
            positionsByValue.computeIfPresent(value, (v, positions) -> {
                positions.remove(position);
                return positions.isEmpty() ? null : positions;
            });
        }
    }

    @Override
    public boolean canHandle(Document query) {
        return false;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        throw new UnsupportedOperationException("the collection asks for candidates through positionsOf");
    }

    @Override
    public long getCount() {
        return positionsByValue.size();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
        removeEntries(oldDocument, position);
        add(newDocument, position, collection);
    }

    @Override
    public void drop() {
        positionsByValue.clear();
    }
}
