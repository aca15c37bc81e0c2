package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The library's H2 database whose collections report their writes to the change log
 * ({@link ObservedH2Collection}). The maps are opened under the same names as the library's
 * ({@code databases.<db>.<coll>}, {@code meta.<db>.<coll>}), so existing data files open unchanged.
 *
 * <p>Non-unique indexes on one field (top-level or dotted), which the library would ignore, are kept as
 * {@link FieldIndex}es, so equality and range filters and sorts on them read only the documents they need.
 */
final class ObservedH2Database extends H2Database {
    /** {@code -Dthimble.db.fieldIndexes=false}: the library's placeholders, every query scans (the before of 0036/0040, for benchmarks). */
    private static final boolean FIELD_INDEXES = !"false".equals(System.getProperty("thimble.db.fieldIndexes"));

    private final MVStore store;
    private final EmbeddedChangeLog changes;
    private final FieldIndexSnapshots snapshots;
    /** Every collection opened, by name (the latest, if one was dropped and created again). */
    private final Map<String, ObservedH2Collection> collections;
    /**
     * While the data file's indexes are opened (in the constructor): per collection, one instance of each document
     * position restored from a snapshot, shared by all its indexes as the positions of a fill or a write are (each
     * index decoding its own copy cost ~48 bytes per ObjectId, per index, per document). Dropped afterwards.
     */
    private Map<String, Map<Object, Object>> restoredPositions;

    ObservedH2Database(String name, MVStore store, CursorRegistry cursors, EmbeddedChangeLog changes, FieldIndexSnapshots snapshots) {
        // Set before super(): its constructor already opens the system collections through our override.
        this.store = store;
        this.changes = changes;
        this.snapshots = snapshots;
        this.collections = new ConcurrentHashMap<>();
        this.restoredPositions = new java.util.HashMap<>();
        super(name, store, cursors);
        restoredPositions = null;
        snapshots.opened();
    }

    /** The collections opened so far (dropped ones too: their indexes say so). */
    Collection<ObservedH2Collection> openedCollections() {
        return collections.values();
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        String fullName = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> data = openDataMap(fullName);
        MVMap<String, Object> meta = store.openMap("meta." + fullName);
        ObservedH2Collection collection = new ObservedH2Collection(this, collectionName, options, data, meta, cursorRegistry, changes, snapshots);
        collections.put(collectionName, collection);
        return collection;
    }

    /**
     * A collection's documents, under the library's map name, with {@link StoredObjectType} for the ids and documents
     * (the same bytes; each document serialised once rather than at every commit that rewrites its page; decision 0053). An open
     * map is returned as it is.
     */
    private MVMap<Object, Document> openDataMap(String namespace) {
        return store.openMap("databases." + namespace, new MVMap.Builder<Object, Document>()
                .keyType(new StoredObjectType()).valueType(new StoredObjectType()));
    }

    /**
     * The library's unique index (the {@code _id} index and unique ones), its map opened first with
     * {@link IndexKeyType}, so the library's own open finds it open and uses it (an open map is returned as it is).
     */
    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        // the library's name for an index map (H2Database.mapNameForIndex, private)
        String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
        store.openMap(mapName, new MVMap.Builder<Object, Object>().keyType(new IndexKeyType())
                .valueType(new StoredObjectType()));
        return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                       boolean sparse) {
        if (FIELD_INDEXES && FieldIndex.supports(keys)) {
            // the data map's key order is the order a scan reads documents in (ties of a sort keep it)
            String namespace = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> data = openDataMap(namespace);
            FieldIndex index = new FieldIndex(indexName, keys, sparse, data.getKeyType()::compare);
            ObservedH2Collection existing = collections.get(collectionName);
            if (existing != null && existing.getIndexes().stream().anyMatch(i -> i.getName().equals(indexName))) {
                // createIndex of an index the collection has: the library builds one, compares it and drops it. Restoring
                // it from the snapshot first took seconds per index at a million documents, holding the database's lock
                // (0076: the log store makes its indexes at every start; the first log query waited 4.5-7.6 s).
                return index;
            }
            // at an open after a clean close: the entries as they were then, if the data is still as it was (0048)
            Map<Object, Object> positions = restoredPositions == null ? new java.util.HashMap<>()
                    : restoredPositions.computeIfAbsent(namespace, n -> new java.util.HashMap<>());
            snapshots.restore(namespace, index, data, positions);
            return index;
        }
        return new Placeholder(indexName, keys);
    }

    /**
     * The library's placeholder for an index it does not keep (its {@code EmptyIndex}), except that it never asks to
     * be filled: the library reads a whole collection twice to fill an empty index when it is added, at every open
     * of the data file too, and for a placeholder both reads do nothing (0048: the log store's
     * {@code {started: -1, _id: -1}} made every open of a million records read them twice, minutes at load).
     */
    private static final class Placeholder extends EmptyIndex<Object> {
        Placeholder(String name, List<IndexKey> keys) {
            super(name, keys);
        }

        @Override
        public boolean isEmpty() {
            return false;
        }
    }
}
