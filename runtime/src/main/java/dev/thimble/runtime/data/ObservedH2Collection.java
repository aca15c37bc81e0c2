package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.ValueComparator;
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
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
 * <p>Queries (decisions 0036, 0040): a filter with an equality ({@code {f: "x"}}, {@code {f: {$eq: "x"}}}) or
 * {@code $in} of strings/ObjectIds, or a range ({@code $gt}/{@code $gte}/{@code $lt}/{@code $lte}), on a field
 * with a {@link FieldIndex} reads only the documents the index names, in the collection's natural order; a
 * sort by such a field (alone or then by {@code _id}) reads the documents in the index's order and stops when
 * skip + limit have matched. Either way the library's own matcher, skip, limit and projection (and sort, when
 * the index does not give the order) run on what is read, so the answer is the same as a full scan's.
 */
final class ObservedH2Collection extends H2Collection {
    private static final Logger log = LoggerFactory.getLogger(ObservedH2Collection.class);

    /** The update or findAndModify running on this thread, if any. */
    private static final ThreadLocal<WriteScope> SCOPE = new ThreadLocal<>();

    private final EmbeddedChangeLog changes;
    private final MVMap<Object, Document> dataMap;
    private final FieldIndexSnapshots snapshots;
    /** Names each write before it is made while the indexes' snapshot is kept valid after a crash (0069); else null. */
    private volatile FieldIndexJournal.Journal journal;
    private final LongAdder indexedQueries = new LongAdder();
    private final LongAdder candidatesRead = new LongAdder();
    private final LongAdder positionsCollected = new LongAdder();
    private final LongAdder documentsReadToFillIndexes = new LongAdder();
    /** Indexes handed to a {@link BackgroundIndexFill} (filled or not); under this collection's lock. */
    private final Set<FieldIndex> fillingInBackground = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** The background fills started (running or ended); under this collection's lock. */
    private final List<BackgroundIndexFill> backgroundFills = new ArrayList<>();
    private final LongAdder aggregationsReadAsFind = new LongAdder();
    /** What {@link #getIndexes} answers: replaced (never changed) under the collection's lock. */
    private volatile List<Index<Object>> indexSnapshot = List.of();

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
                         EmbeddedChangeLog changes, FieldIndexSnapshots snapshots) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.changes = changes;
        this.dataMap = dataMap;
        this.snapshots = snapshots;
    }

    /** Before a write changes the document at {@code position} ({@code before}: as it is, null for an insert). */
    private void beforeWrite(Object position, Document before) {
        FieldIndexJournal.Journal current = journal;
        if (current != null && current.active()) {
            current.beforeWrite(position, before);
        }
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int numberToReturn,
                                         int batchSize, Document fieldSelector) {
        fillDeferredIndexes();
        List<Object> byId = idCandidates(query);
        if (byId != null) {
            // an equality on _id names at most one document: nothing else narrows further
            return readCandidates(byId, query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
        }
        List<FieldIndex> indexes = isNaturalDescending(orderBy) ? List.of() : fieldIndexes();
        if (indexes.isEmpty()) {
            return super.matchDocuments(query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
        }
        long size = Math.max(1, dataMap.sizeAsLong());
        WithinPrefix withinPrefix = withinPrefix(query, orderBy, indexes);
        SortByIndex sort = withinPrefix == null ? sortByIndex(orderBy, indexes) : null;
        if (sort == null && withinPrefix == null) {
            // no index gives the order: read the candidates, however many, and let the library sort (0036)
            return readCandidates(indexedCandidates(query, indexes, Integer.MAX_VALUE - 1, null), query, orderBy, numberToSkip,
                    numberToReturn, batchSize, fieldSelector);
        }
        // With an index in the sort's order, three ways, by the number k of candidates the filter's other
        // indexed conditions leave (wanted = skip + limit documents):
        //   k small: read the k documents (scattered over the file: a page each) and sort them;
        //   k larger: walk the sort's index, read only the positions in the candidate set, stop after wanted;
        //   k a large part of the collection (or no candidates): walk, read, let the matcher filter.
        // Walking costs an in-memory step per entry (wanted * size / k of them), reading a scattered
        // document far more (a page decoded), hence a small first threshold.
        long wanted = numberToReturn > 0 ? (long) numberToSkip + numberToReturn : size;
        long readAtMost = Math.max(wanted, (long) Math.sqrt((double) wanted * size / 64));
        // A walk filters by a set of the other conditions' candidates, or, for a plain equality on another
        // single-field index, by probing that index per walked entry (~20 steps each): the set costs a step per
        // candidate, the probes ~20 per walked entry, about wanted * size / k of them; beyond k^2 > 20 * wanted *
        // size probing is cheaper (0048: a function's records in a log window had 100,000 candidates to collect).
        List<Probe> probes = sort == null ? List.of() : probes(query, indexes, sort.index);
        long walkWithSetAtMost = probes.isEmpty() ? Math.max(readAtMost, size / 4)
                : Math.max(readAtMost, Math.min(size / 4, (long) Math.sqrt(20.0 * wanted * size)));
        // A range on the sort's own field is not collected: the walk keeps to it and reads its documents in order, as
        // many as reading them would, or fewer (0069: the log store's second page collected up to a quarter of a
        // million positions of everything older than the first page before walking).
        // With a walk within a compound index's prefix to fall back on, only a list that would be read is worth
        // collecting (0076: a function's window collected 98,000 of the function's records before walking 100).
        long collectAtMost = withinPrefix != null ? readAtMost : walkWithSetAtMost;
        List<Object> candidates = indexedCandidates(query, indexes, (int) Math.min(Integer.MAX_VALUE - 1, collectAtMost),
                sort == null ? null : sort.index);
        if (candidates != null && candidates.size() <= readAtMost && !walkWithinPrefixReadsLess(withinPrefix, candidates, query, wanted)) {
            return readCandidates(candidates, query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
        }
        if (withinPrefix != null) {
            return walkWithinPrefix(withinPrefix, query, numberToSkip, numberToReturn, batchSize, fieldSelector);
        }
        Range range = Range.of(query, sort.index.field()); // the set above came from the other conditions
        Set<Object> members = candidates == null || candidates.size() > walkWithSetAtMost ? null : new HashSet<>(candidates);
        if (range != null && !sort.index.rangeServable(range.low, range.high)) {
            range = null;
        }
        Iterator<Object> order = range == null
                ? sort.index.inOrder(sort.ascending, sort.thenById, null, false, null, false)
                : sort.index.inOrder(sort.ascending, sort.thenById, range.low, range.lowInclusive, range.high, range.highInclusive);
        indexedQueries.increment();
        Stream<Object> positions = StreamSupport.stream(Spliterators.spliteratorUnknownSize(order, Spliterator.ORDERED), false);
        if (members != null) {
            positions = positions.filter(members::contains);
        } else {
            for (Probe probe : probes) {
                positions = positions.filter(position -> probe.index.holds(probe.value, position));
            }
        }
        Stream<Document> inOrder = positions.map(dataMap::get).filter(Objects::nonNull).peek(d -> candidatesRead.increment());
        // already in the sort's order: the library must not sort (it would read everything)
        return matchDocumentsFromStream(inOrder, query, null, numberToSkip, numberToReturn, batchSize, fieldSelector);
    }

    /**
     * The documents an aggregation pipeline starts from: when the pipeline's head is a {@code $match} and/or a
     * {@code $sort} ({@link AggregationSource}), the find they amount to, which the field indexes can serve;
     * otherwise (or if that find is refused) every document, as the library reads them.
     */
    @Override
    public Stream<Document> queryAllAsStream() {
        AggregationSource source = AggregationSource.take(getDatabaseName(), getCollectionName());
        if (source != null) {
            try {
                List<Document> found = matchDocuments(source.filter(), source.sort(), 0, source.wanted(), 0, null).collectDocuments();
                aggregationsReadAsFind.increment();
                return found.stream();
            } catch (RuntimeException refused) {
                log.debug("Aggregation source read as a find failed, reading everything: {}", refused.toString());
            }
        }
        return super.queryAllAsStream();
    }

    /** Reads {@code candidates} in the collection's natural order and runs the library's query on them; a scan when null. */
    private QueryResult readCandidates(List<Object> candidates, Document query, Document orderBy, int numberToSkip,
                                       int numberToReturn, int batchSize, Document fieldSelector) {
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
     * A new {@link FieldIndex} is filled when the collection is next queried, together with every other one
     * waiting, in one read of the collection: opening a data file re-adds each recorded index, and the library
     * would read the whole collection twice per index right then (a uniqueness pass these indexes do not
     * need, then the fill). Until then the index ignores writes (the fill reads them) and serves no query.
     */
    @Override
    public synchronized void addIndex(Index<Object> index) {
        // an empty collection has nothing to fill: the index takes the writes from now on (seeding a new collection
        // after createIndex then keeps it up to date instead of leaving a million documents to the first query)
        if (index instanceof FieldIndex fieldIndex && fieldIndex.isEmpty() && !dataMap.isEmpty()
                && getIndexes().stream().noneMatch(existing -> existing.getName().equals(index.getName()))) {
            fieldIndex.defer();
        }
        if (index instanceof FieldIndex fieldIndex) {
            // the library changes an updated document in place right after telling the indexes: journal it first
            fieldIndex.beforeUpdate(this::beforeWrite);
        }
        super.addIndex(index);
        indexSnapshot = List.copyOf(super.getIndexes());
        if (journal == null) {
            journal = snapshots.journal().of(dataMap.getId()); // restored from a snapshot just now (0069)
            if (journal != null) {
                journal.whenHalfFull(() -> snapshots.checkpointWanted(this)); // 0076
            }
        }
    }

    /**
     * Under the collection's lock, as {@link #addIndex}: the library's writes iterate its index list holding that
     * lock, so they never see it change half way.
     */
    @Override
    public synchronized void dropIndex(String indexName) {
        // its snapshot goes with it: the journal is kept by the updates the indexes are told of (0069)
        snapshots.forget(getDatabaseName() + "." + getCollectionName(), indexName);
        super.dropIndex(indexName);
        indexSnapshot = List.copyOf(super.getIndexes());
    }

    /**
     * The indexes as of the last {@link #addIndex}/{@link #dropIndex}: an immutable copy, so a reader that does not
     * hold the collection's lock (counts, aggregations, listIndexes) never iterates a list being changed.
     */
    @Override
    public List<Index<Object>> getIndexes() {
        return indexSnapshot;
    }

    /**
     * The library's choice of a unique index that can answer the query (an {@code _id} or unique-key lookup), else
     * {@link #matchDocuments}; the library's own version iterates its live index list, also from {@code count},
     * which holds no lock, so it read the list while {@code createIndex} changed it.
     */
    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int numberToReturn,
                                         int batchSize, Document fieldSelector) {
        for (Index<Object> index : getIndexes()) {
            if (index.canHandle(query)) {
                return matchDocuments(query, index.getPositions(query), orderBy, numberToSkip, numberToReturn, batchSize,
                        fieldSelector);
            }
        }
        return matchDocuments(query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
    }

    /** Under the collection's lock: the library's version iterates its live index list. */
    @Override
    public synchronized Document getStats() {
        return super.getStats();
    }

    /** Under the collection's lock: the library's version iterates its live index list. */
    @Override
    public synchronized Document validate() {
        return super.validate();
    }

    /**
     * A find, as the library runs it (holding the collection's lock for the whole read), except that one naming a field
     * of an index being filled in the background first waits for that fill without the lock (0053): the index then
     * answers it, where a scan would have held every write, and the fill, for as long.
     */
    @Override
    public QueryResult handleQuery(de.bwaldvogel.mongo.backend.QueryParameters parameters) {
        fillDeferredIndexes(); // starts a background fill, for a large collection, before waiting for it
        List<BackgroundIndexFill> fills;
        synchronized (this) {
            fills = backgroundFills.isEmpty() ? List.of() : List.copyOf(backgroundFills);
        }
        // never wait holding the collection's lock (a write of the library that queries inside it): the fill needs it
        if (!fills.isEmpty() && !Thread.holdsLock(this)) {
            Set<String> named = namedFields(parameters.getQuerySelector(), new HashSet<>());
            for (BackgroundIndexFill fill : fills) {
                // an index serves no query that leaves out its first key (a compound one too: 0048), so only those wait
                boolean needed = fill.indexes().stream().anyMatch(index -> index.deferred()
                        && named.stream().anyMatch(f -> index.field().equals(f) || index.field().startsWith(f + ".")));
                if (needed) {
                    fill.awaitEnd();
                }
            }
        }
        return super.handleQuery(parameters);
    }

    /** The field names a query selector (filter, sort, operators' operands) mentions; more rather than fewer. */
    private static Set<String> namedFields(Object selector, Set<String> into) {
        if (selector instanceof Document document) {
            for (var entry : document.entrySet()) {
                if (!entry.getKey().startsWith("$")) {
                    into.add(entry.getKey());
                }
                namedFields(entry.getValue(), into);
            }
        } else if (selector instanceof Collection<?> values) {
            values.forEach(value -> namedFields(value, into));
        }
        return into;
    }

    /**
     * Fills the indexes added since the last query, in one read of the collection, holding its lock (writes wait); in a
     * collection of {@link BackgroundIndexFill#minimumDocuments} or more, starts filling them in the background
     * instead: finds that need them wait for the fill ({@link #handleQuery}), other queries read the documents (0053).
     */
    private void fillDeferredIndexes() {
        List<FieldIndex> waiting = getIndexes().stream().filter(i -> i instanceof FieldIndex f && f.deferred())
                .map(FieldIndex.class::cast).toList();
        if (waiting.isEmpty()) {
            return;
        }
        synchronized (this) { // the lock every write of the library holds
            List<FieldIndex> still = waiting.stream().filter(index -> index.deferred() && !fillingInBackground.contains(index))
                    .toList();
            if (still.isEmpty()) {
                return;
            }
            if (dataMap.sizeAsLong() >= BackgroundIndexFill.minimumDocuments) {
                fillingInBackground.addAll(still);
                BackgroundIndexFill fill = new BackgroundIndexFill(this, dataMap, still, documentsReadToFillIndexes,
                        getDatabaseName() + "." + getCollectionName());
                backgroundFills.add(fill);
                fill.start();
                return;
            }
            streamAllDocumentsWithPosition().forEach(d -> {
                documentsReadToFillIndexes.increment();
                still.forEach(index -> index.fill(d.getDocument(), d.getPosition()));
            });
            // only now: a reader without the lock (count, aggregate) must not use a half-filled index
            still.forEach(FieldIndex::undefer);
        }
    }

    /** The filled field indexes (one created since the last fill is not: it would answer as if the collection were empty). */
    /**
     * Writes the snapshots of this collection's filled field indexes, then {@code commit}s, then their headers (which
     * record the data as that commit stored it), all holding the collection's lock, so no write falls between.
     */
    void saveIndexSnapshots(FieldIndexSnapshots snapshots, Runnable commit) {
        if (dataMap.isClosed()) {
            return; // a dropped collection
        }
        synchronized (this) {
            String namespace = getDatabaseName() + "." + getCollectionName();
            java.util.Map<FieldIndex, Integer> written = new java.util.LinkedHashMap<>();
            for (FieldIndex index : fieldIndexes()) {
                if (!index.dropped()) {
                    int chunks = snapshots.writeEntries(namespace, index);
                    if (chunks >= 0) {
                        written.put(index, chunks);
                    }
                }
            }
            if (written.isEmpty()) {
                return;
            }
            commit.run();
            written.forEach((index, chunks) -> snapshots.writeHeader(namespace, index, chunks, dataMap));
        }
    }

    /** A checkpoint under way (decision 0076): the copies of the indexes, the journal they replace and the one they start. */
    record Checkpoint(String namespace, FieldIndexJournal.Journal current, FieldIndexJournal.Journal forked,
                      java.util.Map<FieldIndex, FieldIndex.Entries> entries) {}

    /**
     * Step 1 of a {@link FieldIndexCheckpoints checkpoint}, holding the collection's lock: a copy of every field index and
     * a journal forked under {@code epoch}, which names every write from now on; null when there is nothing to checkpoint
     * (no journal, an index being filled).
     */
    synchronized Checkpoint beginCheckpoint(FieldIndexJournal journals, long epoch) {
        FieldIndexJournal.Journal current = journal;
        if (current == null || !current.active() || dataMap.isClosed()) {
            return null;
        }
        java.util.Map<FieldIndex, FieldIndex.Entries> copies = new java.util.LinkedHashMap<>();
        for (Index<Object> index : getIndexes()) {
            if (index instanceof FieldIndex fieldIndex) {
                if (fieldIndex.deferred()) {
                    return null; // being filled: the next request, once filled
                }
                if (!fieldIndex.dropped()) {
                    copies.put(fieldIndex, fieldIndex.freeze());
                }
            }
        }
        if (copies.isEmpty()) {
            return null;
        }
        return new Checkpoint(getDatabaseName() + "." + getCollectionName(), current, journals.fork(current, epoch), copies);
    }

    /**
     * Step 3, holding the file lock and then the collection's: the checkpoint's snapshots replace the current ones and
     * its journal replaces the current journal, unless either journal stopped or an index changed meanwhile.
     */
    synchronized boolean finishCheckpoint(Checkpoint checkpoint, java.util.Map<FieldIndex, Integer> written,
                                          FieldIndexSnapshots snapshots, long epoch) {
        if (journal != checkpoint.current() || !checkpoint.current().active() || !checkpoint.forked().active()
                || dataMap.isClosed() || !written.keySet().equals(checkpoint.entries().keySet())
                || written.keySet().stream().anyMatch(FieldIndex::dropped)) {
            return false;
        }
        java.util.Map<FieldIndex, long[]> counters = new java.util.LinkedHashMap<>();
        checkpoint.entries().forEach((index, entries) -> counters.put(index, entries.counters()));
        snapshots.switchToCheckpoint(checkpoint.namespace(), written, counters, dataMap, epoch);
        snapshots.journal().switchTo(checkpoint.current(), checkpoint.forked());
        journal = checkpoint.forked();
        return true;
    }

    private List<FieldIndex> fieldIndexes() {
        List<FieldIndex> found = new ArrayList<>();
        for (Index<Object> index : getIndexes()) {
            if (index instanceof FieldIndex fieldIndex && !fieldIndex.deferred()) {
                found.add(fieldIndex);
            }
        }
        return found;
    }

    /**
     * A sort by a compound index's second key under an equality on its first ({@code find({a: x}).sort({b: ±1})},
     * also with {@code _id} after {@code b} in the same direction, and a range on {@code b}), decision 0048: the
     * documents with {@code a == x} can be read in the order of {@code b} until skip + limit have matched.
     */
    private record WithinPrefix(FieldIndex index, Object first, boolean ascending, boolean thenById, Range range) {}

    /** The compound index that gives {@code orderBy} under an equality of {@code query}, or null. */
    private static WithinPrefix withinPrefix(Document query, Document orderBy, List<FieldIndex> indexes) {
        SortShape shape = SortShape.of(orderBy);
        if (shape == null) {
            return null;
        }
        List<String> keys = shape.keys();
        int direction = shape.direction();
        boolean thenById = shape.thenById();
        for (FieldIndex index : indexes) {
            if (!index.compound() || !keys.getFirst().equals(index.secondField()) || !index.secondOrderable()) {
                continue;
            }
            Object first = singleEquality(query, index.field());
            if (first == null) {
                continue;
            }
            Range range = Range.of(query, index.secondField());
            if (range != null && !index.secondRangeServable(range.low, range.high)) {
                range = null; // the matcher applies it
            }
            return new WithinPrefix(index, first, direction > 0, thenById, range);
        }
        return null;
    }

    /**
     * Whether walking {@code plan} beats reading {@code candidates} and sorting them: the walk reads the prefix's
     * documents in order and stops after {@code wanted} matches, so when no other index narrows below the prefix it
     * reads at most as many, and only the page when the prefix is the whole filter (0069: the log store's "errors
     * only" read and sorted its 1,000 errors of a million records, 111–208 ms, for a page of 100).
     */
    private static boolean walkWithinPrefixReadsLess(WithinPrefix plan, List<Object> candidates, Document query, long wanted) {
        if (plan == null || candidates.size() <= wanted) {
            return false;
        }
        List<Object> prefix = candidates(plan.index, query, candidates.size(), true);
        return prefix != null && prefix.size() <= candidates.size();
    }

    /** Reads the documents of {@code plan} in its order; the library matches, skips and limits, without sorting. */
    private QueryResult walkWithinPrefix(WithinPrefix plan, Document query, int numberToSkip, int numberToReturn, int batchSize,
                                         Document fieldSelector) {
        Range range = plan.range;
        Iterator<Object> order = range == null
                ? plan.index.inOrderWithin(plan.first, plan.ascending, plan.thenById, null, false, null, false)
                : plan.index.inOrderWithin(plan.first, plan.ascending, plan.thenById, range.low, range.lowInclusive, range.high,
                range.highInclusive);
        indexedQueries.increment();
        Stream<Document> inOrder = StreamSupport.stream(Spliterators.spliteratorUnknownSize(order, Spliterator.ORDERED), false)
                .map(dataMap::get).filter(Objects::nonNull).peek(d -> candidatesRead.increment());
        return matchDocumentsFromStream(inOrder, query, null, numberToSkip, numberToReturn, batchSize, fieldSelector);
    }

    /** A plain equality on a single-field index, checked per walked position by looking the entry up. */
    private record Probe(FieldIndex index, Object value) {}

    /** The probes of {@code query}'s plain equalities on single-field indexes other than {@code walked}. */
    private static List<Probe> probes(Document query, List<FieldIndex> indexes, FieldIndex walked) {
        List<Probe> probes = new ArrayList<>();
        for (FieldIndex index : indexes) {
            if (index != walked && !index.compound()) {
                Object value = singleEquality(query, index.field());
                if (value != null) {
                    probes.add(new Probe(index, value));
                }
            }
        }
        return probes;
    }

    /** The one {@link FieldIndex#indexable} value {@code query} requires {@code field} to equal (top-level or in a top-level $and), or null. */
    private static Object singleEquality(Document query, String field) {
        if (query.containsKey(field)) {
            List<Object> values = equalityValues(query.get(field));
            if (values != null && values.size() == 1) {
                return values.getFirst();
            }
        }
        if (query.get("$and") instanceof Collection<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document conditions) {
                    Object value = singleEquality(conditions, field);
                    if (value != null) {
                        return value;
                    }
                }
            }
        }
        return null;
    }

    /** An index that gives the order of {@code orderBy}: {f: ±1} or {f: ±1, _id: same}, with f {@link FieldIndex#orderable}. */
    private record SortByIndex(FieldIndex index, boolean ascending, boolean thenById) {}

    private static SortByIndex sortByIndex(Document orderBy, List<FieldIndex> indexes) {
        SortShape shape = SortShape.of(orderBy);
        if (shape == null) {
            return null;
        }
        List<String> keys = shape.keys();
        int direction = shape.direction();
        boolean thenById = shape.thenById();
        for (FieldIndex index : indexes) {
            // a compound index orders ties of its first key by its second, not by _id
            if (index.field().equals(keys.getFirst()) && index.orderable() && !(thenById && index.compound())) {
                return new SortByIndex(index, direction > 0, thenById);
            }
        }
        return null;
    }

    /** A sort an index can give: {@code {f: ±1}} or {@code {f: ±1, _id: same}}; null for any other shape. */
    private record SortShape(List<String> keys, int direction, boolean thenById) {
        static SortShape of(Document orderBy) {
            if (orderBy == null || orderBy.isEmpty() || orderBy.size() > 2) {
                return null;
            }
            List<String> keys = new ArrayList<>(orderBy.keySet());
            Integer direction = ObservedH2Collection.direction(orderBy.get(keys.getFirst()));
            if (direction == null) {
                return null;
            }
            boolean thenById = keys.size() == 2;
            if (thenById && (!keys.get(1).equals("_id") || !direction.equals(ObservedH2Collection.direction(orderBy.get("_id"))))) {
                return null;
            }
            return new SortShape(keys, direction, thenById);
        }
    }

    private static Integer direction(Object value) {
        if (value instanceof Number n && (n.doubleValue() == 1 || n.doubleValue() == -1)) {
            return n.doubleValue() > 0 ? 1 : -1;
        }
        return null;
    }

    /**
     * The positions of every document that can match {@code query}, from the smallest candidate set of the
     * indexed fields it filters by equality, {@code $in} or a range; null when no index narrows it to at most
     * {@code cap} documents.
     */
    /**
     * The document an equality on {@code _id} names, also inside a top-level {@code $and} (the form a rule's
     * filter joined to the client's query takes: {@code {$and: [{_id: x}, {owner_id: u}]}}), through the
     * library's unique {@code _id} index; null when the query has no such equality. The library itself only
     * looks at a top-level {@code _id}, so the joined form would otherwise read every candidate the owner's
     * index names (all of the user's documents) or the whole collection.
     */
    private List<Object> idCandidates(Document query) {
        Object id = idEquality(query);
        if (id == null) {
            return null;
        }
        Document byId = new Document("_id", id);
        for (Index<Object> index : getIndexes()) {
            if (!(index instanceof FieldIndex) && index.canHandle(byId)) {
                List<Object> positions = new ArrayList<>(1);
                index.getPositions(byId).forEach(positions::add);
                return positions;
            }
        }
        return null;
    }

    /** The value a query requires {@code _id} to equal (plain, or {@code {$eq: v}}), at the top or in a top-level $and. */
    private static Object idEquality(Document query) {
        Object condition = query.get("_id");
        if (plainId(condition)) {
            return condition;
        }
        if (condition instanceof Document operators && operators.size() == 1 && plainId(operators.get("$eq"))) {
            return operators.get("$eq");
        }
        if (query.get("$and") instanceof Collection<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document conditions) {
                    Object id = idEquality(conditions);
                    if (id != null) {
                        return id;
                    }
                }
            }
        }
        return null;
    }

    /** An _id value whose equality is plain (no regex, array or sub-document semantics to keep). */
    private static boolean plainId(Object value) {
        return value instanceof String || value instanceof Number || value instanceof de.bwaldvogel.mongo.bson.ObjectId
                || value instanceof java.util.UUID;
    }

    private List<Object> indexedCandidates(Document query, List<FieldIndex> indexes, int cap, FieldIndex noRangeOn) {
        List<Object> best = null;
        for (FieldIndex index : indexes) {
            List<Object> found = candidates(index, query, cap, index != noRangeOn);
            positionsCollected.add(found == null ? 0 : found.size());
            best = smaller(best, found, cap);
        }
        return best;
    }

    /**
     * The candidates {@code index} names for {@code query}: its equality / {@code $in} conditions on the index's
     * field (also inside a top-level $and), and the range all its range conditions on the field leave.
     */
    private static List<Object> candidates(FieldIndex index, Document query, int cap, boolean ranges) {
        List<Object> best = equalityCandidates(index, query, cap);
        Range range = ranges ? Range.of(query, index.field()) : null;
        if (range != null && index.rangeServable(range.low, range.high)) {
            best = smaller(best, index.positionsBetween(range.low, range.lowInclusive, range.high, range.highInclusive, cap), cap);
        }
        if (index.compound()) {
            // an equality on the first key and a range on the second: one stretch of the compound index (0048)
            Object first = singleEquality(query, index.field());
            Range second = first == null ? null : Range.of(query, index.secondField());
            if (second != null && index.secondRangeServable(second.low, second.high)) {
                best = smaller(best, index.positionsWithin(first, second.low, second.lowInclusive, second.high,
                        second.highInclusive, cap), cap);
            }
        }
        return best;
    }

    private static List<Object> equalityCandidates(FieldIndex index, Document query, int cap) {
        List<Object> best = null;
        List<Object> values = query.containsKey(index.field()) ? equalityValues(query.get(index.field())) : null;
        if (values != null) {
            Set<Object> positions = new LinkedHashSet<>();
            for (Object value : values) {
                positions.addAll(index.positionsOf(value, cap));
                if (positions.size() > cap) {
                    break;
                }
            }
            best = new ArrayList<>(positions);
        }
        if (query.get("$and") instanceof Collection<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document conditions) {
                    best = smaller(best, equalityCandidates(index, conditions, cap), cap);
                }
            }
        }
        return best;
    }

    /** The smaller of two candidate lists; a list over {@code cap} narrows nothing worth reading. */
    private static List<Object> smaller(List<Object> a, List<Object> b, int cap) {
        if (a != null && a.size() > cap) {
            a = null;
        }
        if (b != null && b.size() > cap) {
            b = null;
        }
        return a == null || (b != null && b.size() < a.size()) ? b : a;
    }

    /** The values a field's condition requires it (or an element of it) to equal, if all are indexable. */
    private static List<Object> equalityValues(Object condition) {
        if (FieldIndex.indexable(condition)) {
            return List.of(condition);
        }
        if (condition instanceof Document operators && operators.size() == 1) {
            Object operand = operators.get("$eq");
            if (operand != null) {
                return FieldIndex.indexable(operand) ? List.of(operand) : null;
            }
            if (operators.get("$in") instanceof Collection<?> list
                    && list.stream().allMatch(FieldIndex::indexable)) {
                return List.copyOf(list);
            }
        }
        return null;
    }

    /** A range condition on one field: {@code $gt}/{@code $gte} and/or {@code $lt}/{@code $lte}; null bound: open. */
    private record Range(Object low, boolean lowInclusive, Object high, boolean highInclusive) {
        private static final Set<String> OPERATORS = Set.of("$gt", "$gte", "$lt", "$lte");

        /** The range of a condition made of range operators only, or null. */
        static Range ofCondition(Document operators) {
            if (operators.size() == 1 && operators.containsKey("$eq")) {
                return dateEquality(operators.get("$eq"));
            }
            if (operators.isEmpty() || !OPERATORS.containsAll(operators.keySet())
                    || (operators.containsKey("$gt") && operators.containsKey("$gte"))
                    || (operators.containsKey("$lt") && operators.containsKey("$lte"))) {
                return null;
            }
            Object low = operators.containsKey("$gt") ? operators.get("$gt") : operators.get("$gte");
            Object high = operators.containsKey("$lt") ? operators.get("$lt") : operators.get("$lte");
            if ((operators.containsKey("$gt") || operators.containsKey("$gte")) && low == null
                    || (operators.containsKey("$lt") || operators.containsKey("$lte")) && high == null) {
                return null;
            }
            return new Range(low, operators.containsKey("$gte"), high, operators.containsKey("$lte"));
        }

        /**
         * The range {@code query} requires of {@code field}: its top-level condition or, for a top-level
         * {@code $and}, the tightest of its clauses' one-sided bounds (each clause's range must hold).
         */
        static Range of(Document query, String field) {
            Object condition = query.get(field);
            Range range = condition instanceof Document operators ? ofCondition(operators) : dateEquality(condition);
            if (query.get("$and") instanceof Collection<?> clauses) {
                for (Object clause : clauses) {
                    if (clause instanceof Document conditions) {
                        range = intersect(range, of(conditions, field));
                    }
                }
            }
            return range;
        }

        /**
         * An equality on a date as the range [date, date]: the indexes name equality candidates for strings and ids
         * only, and the log store counts the records of one timestamp (a page's ties) with such an equality, which
         * read every record of a million-record store (190 s) instead of the few with that date. Served only where
         * the range is ({@link FieldIndex#rangeServable}: no arrays in the field); the matcher still checks each.
         */
        private static Range dateEquality(Object value) {
            return value instanceof java.util.Date || value instanceof java.time.Instant ? new Range(value, true, value, true) : null;
        }

        private static Range intersect(Range a, Range b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            Object low = a.low;
            boolean lowInclusive = a.lowInclusive;
            if (b.low != null) {
                if (low == null) {
                    low = b.low;
                    lowInclusive = b.lowInclusive;
                } else {
                    if (FieldIndex.typeClass(low) != FieldIndex.typeClass(b.low)) {
                        return null; // bounds of two types: no narrowing (the matcher decides)
                    }
                    int c = ValueComparator.asc().compare(b.low, low);
                    if (c > 0 || (c == 0 && !b.lowInclusive)) {
                        low = b.low;
                        lowInclusive = b.lowInclusive;
                    }
                }
            }
            Object high = a.high;
            boolean highInclusive = a.highInclusive;
            if (b.high != null) {
                if (high == null) {
                    high = b.high;
                    highInclusive = b.highInclusive;
                } else {
                    if (FieldIndex.typeClass(high) != FieldIndex.typeClass(b.high)) {
                        return null;
                    }
                    int c = ValueComparator.asc().compare(b.high, high);
                    if (c < 0 || (c == 0 && !b.highInclusive)) {
                        high = b.high;
                        highInclusive = b.highInclusive;
                    }
                }
            }
            return new Range(low, lowInclusive, high, highInclusive);
        }
    }

    /** Aggregations whose source was read as a find (for tests). */
    long aggregationsReadAsFind() {
        return aggregationsReadAsFind.sum();
    }

    /** Queries answered from an index so far, and the documents they read (for tests and measurements). */
    long indexedQueries() {
        return indexedQueries.sum();
    }

    long indexCandidatesRead() {
        return candidatesRead.sum();
    }

    /** Positions the planner collected from the indexes as candidate lists (read or not), for tests. */
    long positionsCollected() {
        return positionsCollected.sum();
    }

    /** Field indexes not filled yet (waiting for a query, or being filled in the background). */
    long indexesWaitingToFill() {
        return getIndexes().stream().filter(i -> i instanceof FieldIndex f && f.deferred()).count();
    }

    /** Documents read to fill indexes (one read of the collection fills every index waiting). */
    long documentsReadToFillIndexes() {
        return documentsReadToFillIndexes.sum();
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

    /**
     * The library's findAndModify, whose answer is detached from the stored document before the collection's lock is
     * released. The library updates the stored document in place and, for {@code new: true} and upserts, answers
     * with that very instance; the reply was encoded after the lock was released, when the next caller's update could
     * already have changed it: two concurrent {@code findOneAndUpdate} with {@code $inc} answered the same counter
     * value (and a reply could see another caller's update half applied). Same lock as the library's own (no new lock
     * order); the group commit still runs after the command has left the collection.
     */
    @Override
    public Document findAndModify(Document query) {
        synchronized (this) {
            Document result = observed()
                    ? inScope(query.get("update") instanceof Document update && isReplacement(update), () -> super.findAndModify(query))
                    : super.findAndModify(query);
            if (result.get("value") instanceof Document value) {
                result.put("value", value.cloneDeeply());
            }
            return result;
        }
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
        if (journal != null) {
            beforeWrite(de.bwaldvogel.mongo.backend.Utils.getSubdocumentValue(document, "_id"), null);
        }
        Object position = super.addDocumentInternal(document);
        if (observed()) {
            record(() -> changes.inserted(getDatabaseName(), getCollectionName(), snapshot(document)));
        }
        return position;
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        // The library applied the update to the stored instance in place: its remembered serialisation is stale (0053).
        StoredObjectType.forget(newDocument);
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
        boolean journaled = journal != null && journal.active();
        Document stored = observed() || journaled ? getDocument(position) : null;
        if (journaled) {
            beforeWrite(position, stored);
        }
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
