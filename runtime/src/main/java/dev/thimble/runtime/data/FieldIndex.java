package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A non-unique index on one field (top-level or a dotted path) for the embedded database, kept in memory as one ordered
 * set of (value, position) entries — the position is the document's {@code _id}, the key of the
 * collection's data map — for every value the field holds, as its value or as an element of an array in it.
 * mongo-java-server's H2 backend keeps unique indexes only and ignores the others (every filter on such a
 * field scans the collection); this is the index the library is handed instead (see
 * {@link ObservedH2Database#openOrCreateSecondaryIndex}).
 *
 * <p>The library maintains it through its own hooks on every insert, update and delete. It is filled from the
 * stored documents when it is added to a non-empty collection ({@code createIndex}, or an open of the data file)
 * unless {@link FieldIndexSnapshots} holds a copy written at the last clean close that still matches the data
 * (decision 0048); it is never written while the server runs, so a crash leaves nothing to disagree with the data.
 *
 * <p>A compound index ({@code {a: 1, b: -1}}, decision 0048) is one too: its entries are (value of a, value of b,
 * position), so within one value of {@code a} they are in the order of {@code b} ({@link #inOrderWithin},
 * {@link #positionsWithin}); everything said here of "the field" is said of {@code a}. Keys after the second are
 * not kept.
 *
 * <p>What it answers (decisions 0036 and 0040), always only narrowing or ordering the documents that
 * {@link ObservedH2Collection} then hands to the library's own matcher:
 * <ul>
 *   <li>equality / {@code $in} on strings and ObjectIds ({@link #positionsOf}): for them MongoDB's equality
 *       is the comparator's;</li>
 *   <li>ranges ({@code $gt}, {@code $gte}, {@code $lt}, {@code $lte}) on strings, ObjectIds, dates and numbers
 *       ({@link #positionsBetween}), while no document holds an array in the field (an array matches a
 *       two-sided range when different elements satisfy each side);</li>
 *   <li>the order of a sort by the field, or by the field and then {@code _id} in the same direction
 *       ({@link #inOrder}), while every document holds one value of one type class there (missing, null,
 *       arrays and mixed types sort by rules this index does not reproduce).</li>
 * </ul>
 * Entries are ordered by the library's own {@link ValueComparator}, then by {@code _id} with it, then by the
 * data map's key order, so an order read here is the order the library's sort gives.
 */
final class FieldIndex extends Index<Object> {
    /** Type classes of the values ordered here; numbers compare across their Java types. */
    enum TypeClass { NUMBER, STRING, OBJECT_ID, DATE }

    private static final Object LOWEST = new Object();
    private static final Object HIGHEST = new Object();
    private static final ValueComparator ASC = ValueComparator.asc();

    private final String field;
    /** The field's path, split at its dots ({@code a.b} is {@code [a, b]}). */
    private final String[] path;
    /** A compound index's second key and its path (decision 0048), or null: the order within equal first values. */
    private final String secondField;
    private final String[] secondPath;
    /** Documents by the type class of their second value, the last slot every other (compound indexes only). */
    private final AtomicLongArray secondByClass = new AtomicLongArray(TypeClass.values().length + 1);
    private final LongAdder secondWithArrays = new LongAdder();
    private final Comparator<Object> naturalOrder;
    /**
     * The entries (as keys; the values are unused): a map rather than a set so that a restore can build it from
     * sorted entries without a comparison per level ({@link Restorer}). Replaced only by a restore, before the
     * index is published; {@link #entries} is its key view.
     */
    private ConcurrentSkipListMap<Entry, Boolean> entryMap;
    private NavigableSet<Entry> entries;
    private final LongAdder entryCount = new LongAdder();
    /** Documents by the type class of their (single, scalar) value; the last slot counts every other document. */
    private final AtomicLongArray documentsByClass = new AtomicLongArray(TypeClass.values().length + 1);
    private final LongAdder documentsWithArrays = new LongAdder();
    /**
     * Equal string values held once. Each document decodes its own copy of a value, and the index would keep
     * one per entry: for a field with few distinct values (a log record's type, status, user or function)
     * that copy is most of an entry's memory. Capped, so a field of unique values (a request id) does not
     * keep a second table of them.
     */
    private final ConcurrentHashMap<String, String> sharedStrings = new ConcurrentHashMap<>();
    private static final int MAX_SHARED_STRINGS = 4_096;
    /**
     * Told of an update before the library changes the stored document in place (the one moment before it: the
     * library calls the indexes' {@link #updateInPlace} first); the collection's {@link FieldIndexJournal} (0069).
     */
    private volatile BeforeUpdate beforeUpdate;

    /** What {@link #updateInPlace} tells first: the position and the document as it was. */
    interface BeforeUpdate {
        void before(Object position, Document oldDocument);
    }

    /** Added to its collection but not filled yet: the hooks do nothing, queries do not use it. */
    private volatile boolean deferred;
    /** Dropped from its collection (a query that took it before may still read it). */
    private volatile boolean dropped;
    /**
     * While deferred and filled in the background (decision 0053): the last position, in the data map's order, whose
     * documents are in the index; writes at or before it are taken, later ones are left to the fill. Null: none yet.
     * Read and written under the collection's lock, as the writes' hooks run.
     */
    private Object filledThrough;

    /**
     * One value of a document ({@code second}: for a compound index, the document's value of the second key, or
     * {@link #UNORDERED}; null for a single-field index).
     */
    private record Entry(Object value, Object second, Object position) {
        Entry(Object value, Object position) {
            this(value, position == LOWEST || position == HIGHEST ? position : null, position);
        }
    }

    /** A compound index's second value when it is not one scalar of a type class (missing, null, an array, another type). */
    private static final Object UNORDERED = new Object() {
        @Override
        public String toString() {
            return "UNORDERED";
        }
    };

    /**
     * @param naturalOrder the data map's key order: the order a scan reads documents in
     */
    FieldIndex(String name, List<IndexKey> keys, boolean sparse, Comparator<Object> naturalOrder) {
        super(name, keys, sparse);
        this.field = keys.getFirst().getKey();
        this.path = field.split("\\.");
        this.secondField = keys.size() > 1 ? keys.get(1).getKey() : null;
        this.secondPath = secondField == null ? null : secondField.split("\\.");
        this.naturalOrder = naturalOrder;
        this.entryMap = new ConcurrentSkipListMap<>(this::compareEntries);
        this.entries = entryMap.keySet();
    }

    /**
     * Whether an index with these keys can be kept here: one field (a name or a dotted path of names), ascending or
     * descending; or a compound index whose first two keys are such fields (decision 0048: it then also orders by the
     * second key; further keys are not kept, the matcher checks them). A compound index whose second key is
     * {@code _id} is not: a single-field index already orders ties by {@code _id}, and the log store declares one
     * next to its single-field index on the same field (kept twice, its memory would double).
     */
    static boolean supports(List<IndexKey> keys) {
        if (keys.isEmpty() || !plainPath(keys.getFirst().getKey())) {
            return false;
        }
        return keys.size() == 1 || plainPath(keys.get(1).getKey());
    }

    private static boolean plainPath(String key) {
        if (key.isEmpty() || key.equals("_id") || key.startsWith("_id.")) {
            return false;
        }
        // a dotted path: each part a plain name (a number would address an array element, `$` an operator)
        for (String part : key.split("\\.", -1)) {
            if (part.isEmpty() || part.startsWith("$") || part.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }

    String field() {
        return field;
    }

    /** The second key of a compound index, or null. */
    String secondField() {
        return secondField;
    }

    boolean compound() {
        return secondField != null;
    }

    private int compareEntries(Entry a, Entry b) {
        int byValue = compareValues(a.value, b.value);
        if (byValue != 0) {
            return byValue;
        }
        int bySecond = compareSeconds(a.second, b.second);
        if (bySecond != 0) {
            return bySecond;
        }
        if (a.position == b.position) {
            return 0;
        }
        if (a.position == LOWEST || b.position == HIGHEST) {
            return -1;
        }
        if (a.position == HIGHEST || b.position == LOWEST) {
            return 1;
        }
        int byId = ASC.compare(a.position, b.position);
        return byId != 0 ? byId : naturalOrder.compare(a.position, b.position);
    }

    private static int compareValues(Object a, Object b) {
        return ASC.compare(a, b);
    }

    /** Bounds first and last, then unordered second values, then by the library's comparator. */
    private static int compareSeconds(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        if (a == LOWEST || b == HIGHEST) {
            return -1;
        }
        if (a == HIGHEST || b == LOWEST) {
            return 1;
        }
        if (a == UNORDERED || a == null) {
            return -1;
        }
        if (b == UNORDERED || b == null) {
            return 1;
        }
        return ASC.compare(a, b);
    }

    /** The type class of a value this index keeps, or null. */
    static TypeClass typeClass(Object value) {
        return switch (value) {
            case String s -> TypeClass.STRING;
            case ObjectId id -> TypeClass.OBJECT_ID;
            case Instant i -> TypeClass.DATE;
            case Date d -> TypeClass.DATE;
            case Integer i -> TypeClass.NUMBER;
            case Long l -> TypeClass.NUMBER;
            case Double d -> d.isNaN() ? null : TypeClass.NUMBER;
            case null, default -> null;
        };
    }

    /** Equality on these values is plain {@code equals}, so the index names exactly the documents holding them. */
    static boolean indexable(Object value) {
        return value instanceof String || value instanceof ObjectId;
    }

    // ------------------------------------------------------------------ answers

    /**
     * The positions of the documents holding {@code value} (an {@link #indexable} value) in the field, at most
     * {@code cap} + 1 of them (more means "too many to be worth it").
     */
    List<Object> positionsOf(Object value, int cap) {
        return positions(entries.subSet(new Entry(value, LOWEST), true, new Entry(value, HIGHEST), true).iterator(), cap);
    }

    /**
     * The positions of the documents with a value in the range (null bound: open, within the other bound's
     * type class), at most {@code cap} + 1 of them (more means "too many to be worth it"). Only when
     * {@link #rangeServable}.
     */
    List<Object> positionsBetween(Object low, boolean lowInclusive, Object high, boolean highInclusive, int cap) {
        return positions(between(low, lowInclusive, high, highInclusive, true), cap);
    }

    /**
     * Whether the document at {@code position} holds {@code value} (an {@link #indexable} value) in the field, as
     * its value or an array element: one lookup, for a single-field index. Every document matching an equality on
     * the value does.
     */
    boolean holds(Object value, Object position) {
        return entryMap.containsKey(new Entry(value, null, position));
    }

    /** Whether a range with these bounds (null: open, not both) can be answered here. */
    boolean rangeServable(Object low, Object high) {
        if (low == null && high == null) {
            return false;
        }
        TypeClass lowClass = low == null ? null : typeClass(low);
        TypeClass highClass = high == null ? null : typeClass(high);
        if ((low != null && lowClass == null) || (high != null && highClass == null)) {
            return false;
        }
        if (lowClass != null && highClass != null && lowClass != highClass) {
            return false;
        }
        return documentsWithArrays.sum() == 0;
    }

    /** The entries in the range, in one direction, of the bounds' type class only (MongoDB compares within one type). */
    private Iterator<Entry> between(Object low, boolean lowInclusive, Object high, boolean highInclusive, boolean ascending) {
        TypeClass typeClass = typeClass(low != null ? low : high);
        Entry from = low == null ? null : new Entry(low, lowInclusive ? LOWEST : HIGHEST);
        Entry to = high == null ? null : new Entry(high, highInclusive ? HIGHEST : LOWEST);
        NavigableSet<Entry> view;
        if (from != null && to != null) {
            if (compareEntries(from, to) > 0) {
                return java.util.Collections.emptyIterator();
            }
            view = entries.subSet(from, true, to, true);
        } else if (from != null) {
            view = entries.tailSet(from, true);
        } else {
            view = entries.headSet(to, true);
        }
        Iterator<Entry> raw = ascending ? view.iterator() : view.descendingIterator();
        // values of one type class are contiguous in the comparator's order: skip to them, stop after them
        return filtered(raw, e -> typeClass(e.value) == typeClass, true);
    }

    /**
     * The entries of {@code raw} that {@code keep} accepts. With {@code oneRun}, the accepted entries are known to
     * be contiguous, so the walk stops at the first entry rejected after an accepted one.
     */
    private static Iterator<Entry> filtered(Iterator<Entry> raw, java.util.function.Predicate<Entry> keep, boolean oneRun) {
        return new Iterator<>() {
            private Entry next;
            private boolean seen;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (next == null && !done && raw.hasNext()) {
                    Entry e = raw.next();
                    if (keep.test(e)) {
                        next = e;
                        seen = true;
                    } else if (seen && oneRun) {
                        done = true;
                    }
                }
                return next != null;
            }

            @Override
            public Entry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Entry e = next;
                next = null;
                return e;
            }
        };
    }

    private List<Object> positions(Iterator<Entry> range, int cap) {
        // a document has more than one entry only through an array's elements
        java.util.Collection<Object> positions = documentsWithArrays.sum() == 0 ? new ArrayList<>() : new LinkedHashSet<>();
        while (range.hasNext()) {
            positions.add(range.next().position);
            if (positions.size() > cap) {
                break;
            }
        }
        return positions instanceof List<Object> list ? list : new ArrayList<>(positions);
    }

    /**
     * Whether a sort by this field can be read from the index: every document holds one value of one type
     * class in it.
     */
    boolean orderable() {
        int classes = 0;
        for (int i = 0; i < TypeClass.values().length; i++) {
            if (documentsByClass.get(i) > 0) {
                classes++;
            }
        }
        return documentsByClass.get(TypeClass.values().length) == 0 && classes <= 1;
    }

    /**
     * Positions in the order of a sort by the field ({@code ascending} or not), narrowed to a range when
     * {@code low}/{@code high} are given (bounds as for {@link #positionsBetween}). With {@code thenById} the
     * order continues by {@code _id} in the same direction; otherwise documents with equal values come in the
     * collection's natural order, as the library's stable sort leaves them. Lazy: read only as far as needed.
     * Only when {@link #orderable()}.
     */
    Iterator<Object> inOrder(boolean ascending, boolean thenById, Object low, boolean lowInclusive, Object high,
                             boolean highInclusive) {
        Iterator<Entry> it = low == null && high == null
                ? (ascending ? entries.iterator() : entries.descendingIterator())
                : between(low, lowInclusive, high, highInclusive, ascending);
        if (thenById) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Object next() {
                    return it.next().position;
                }
            };
        }
        return new TiesInNaturalOrder(it, false);
    }

    // ------------------------------------------------------------------ compound: within one first value

    /** Whether a sort by the second key can be read within one first value: every document holds one scalar of one type class there. */
    boolean secondOrderable() {
        if (!compound()) {
            return false;
        }
        int classes = 0;
        for (int i = 0; i < TypeClass.values().length; i++) {
            if (secondByClass.get(i) > 0) {
                classes++;
            }
        }
        return secondByClass.get(TypeClass.values().length) == 0 && classes <= 1;
    }

    /** Whether a range on the second key with these bounds (null: open, not both) can be answered within one first value. */
    boolean secondRangeServable(Object low, Object high) {
        if (!compound() || (low == null && high == null)) {
            return false;
        }
        TypeClass lowClass = low == null ? null : typeClass(low);
        TypeClass highClass = high == null ? null : typeClass(high);
        if ((low != null && lowClass == null) || (high != null && highClass == null)) {
            return false;
        }
        if (lowClass != null && highClass != null && lowClass != highClass) {
            return false;
        }
        return secondWithArrays.sum() == 0;
    }

    /**
     * The entries whose first value is {@code first} (an {@link #indexable} value) and, given bounds (only when
     * {@link #secondRangeServable}), whose second value lies in the range, in the second key's order.
     */
    private Iterator<Entry> within(Object first, Object low, boolean lowInclusive, Object high, boolean highInclusive,
                                   boolean ascending) {
        Entry from = new Entry(first, low == null ? LOWEST : low, lowInclusive || low == null ? LOWEST : HIGHEST);
        Entry to = new Entry(first, high == null ? HIGHEST : high, highInclusive || high == null ? HIGHEST : LOWEST);
        if (compareEntries(from, to) > 0) {
            return java.util.Collections.emptyIterator();
        }
        NavigableSet<Entry> view = entries.subSet(from, true, to, true);
        Iterator<Entry> raw = ascending ? view.iterator() : view.descendingIterator();
        if (low == null && high == null) {
            return raw;
        }
        TypeClass typeClass = typeClass(low != null ? low : high);
        return filtered(raw, e -> e.second != UNORDERED && typeClass(e.second) == typeClass, false);
    }

    /** The positions of the documents with {@code first} in the first key and the second in the range, at most {@code cap} + 1. */
    List<Object> positionsWithin(Object first, Object low, boolean lowInclusive, Object high, boolean highInclusive, int cap) {
        return positions(within(first, low, lowInclusive, high, highInclusive, true), cap);
    }

    /**
     * Positions of the documents with {@code first} in the first key, in the order of a sort by the second key
     * (narrowed to a range when bounds are given, as for {@link #positionsWithin}); ties by {@code _id} in the same
     * direction with {@code thenById}, else in the collection's natural order. Only when {@link #secondOrderable()}.
     */
    Iterator<Object> inOrderWithin(Object first, boolean ascending, boolean thenById, Object low, boolean lowInclusive,
                                   Object high, boolean highInclusive) {
        Iterator<Entry> it = within(first, low, lowInclusive, high, highInclusive, ascending);
        if (thenById) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Object next() {
                    return it.next().position;
                }
            };
        }
        return new TiesInNaturalOrder(it, true);
    }

    /** Reads the entries group by group of equal values and hands out each group in natural order. */
    private final class TiesInNaturalOrder implements Iterator<Object> {
        private final Iterator<Entry> entries;
        private final boolean bySecond;
        private final List<Object> group = new ArrayList<>();
        private int next;
        private Entry pending;

        /** @param bySecond ties are equal second values (a walk within one first value of a compound index) */
        TiesInNaturalOrder(Iterator<Entry> entries, boolean bySecond) {
            this.entries = entries;
            this.bySecond = bySecond;
        }

        @Override
        public boolean hasNext() {
            if (next < group.size()) {
                return true;
            }
            group.clear();
            next = 0;
            Entry first = pending != null ? pending : entries.hasNext() ? entries.next() : null;
            pending = null;
            if (first == null) {
                return false;
            }
            group.add(first.position);
            while (entries.hasNext()) {
                Entry e = entries.next();
                if (bySecond ? compareSeconds(e.second, first.second) != 0 : compareValues(e.value, first.value) != 0) {
                    pending = e;
                    break;
                }
                group.add(e.position);
            }
            group.sort(naturalOrder);
            return true;
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return group.get(next++);
        }
    }

    // ------------------------------------------------------------------ maintenance (the library's hooks)

    /** From now on the index waits to be filled ({@link #undefer}) and ignores writes, which the fill will read. */
    void defer() {
        deferred = true;
    }

    boolean deferred() {
        return deferred;
    }

    /** Whom {@link #updateInPlace} tells of an update first (the collection, once added to it). */
    void beforeUpdate(BeforeUpdate hook) {
        this.beforeUpdate = hook;
    }

    /** Takes writes and answers queries again; the caller has filled it from the documents, holding the collection's lock. */
    void undefer() {
        deferred = false;
        filledThrough = null;
    }

    /**
     * A background fill, holding the collection's lock, has filled the documents up to {@code position} (data map
     * order): from now on the writes there are the index's to take, those after it still the fill's to read.
     */
    void filledThrough(Object position) {
        filledThrough = position;
    }

    /** Whether a write of the document at {@code position} goes into the index now (always, unless deferred). */
    private boolean takesWriteAt(Object position) {
        if (!deferred) {
            return true;
        }
        Object through = filledThrough;
        return through != null && naturalOrder.compare(position, through) <= 0;
    }

    /**
     * The field's value in {@code document}. For a dotted path: the value at its end through sub-documents; when
     * an array lies on the way, a list of every value reached through its elements (a superset of what a query
     * on the path can match there, so equality candidates stay complete; a list also counts as an array in the
     * field, so ranges and sorts are not served from the index while one exists).
     */
    private Object fieldValue(Document document) {
        return path.length == 1 ? document.get(field) : valueAt(path, document, 0);
    }

    /** A compound index's second value of a document: the scalar, or {@link #UNORDERED}; null for a single-field index. */
    private Object secondValue(Document document) {
        if (secondPath == null) {
            return null;
        }
        Object value = secondPath.length == 1 ? document.get(secondField) : valueAt(secondPath, document, 0);
        return value instanceof Collection<?> || typeClass(value) == null ? UNORDERED : value;
    }

    private static Object valueAt(String[] path, Object current, int from) {
        for (int i = from; i < path.length; i++) {
            if (current instanceof Document document) {
                current = document.get(path[i]);
            } else if (current instanceof Collection<?> elements) {
                List<Object> reached = new ArrayList<>();
                for (Object element : elements) {
                    Object value = element instanceof Document ? valueAt(path, element, i) : null;
                    if (value instanceof Collection<?> values) {
                        reached.addAll(values);
                    } else if (value != null) {
                        reached.add(value);
                    }
                }
                return reached;
            } else {
                return null;
            }
        }
        return current;
    }

    private List<Object> valuesOf(Document document) {
        Object value = fieldValue(document);
        if (value instanceof Collection<?> elements) {
            List<Object> values = new ArrayList<>();
            for (Object element : elements) {
                if (typeClass(element) != null) {
                    values.add(element);
                }
            }
            return values;
        }
        return typeClass(value) != null ? List.of(value) : List.of();
    }

    private void count(Document document, int delta) {
        Object value = fieldValue(document);
        if (value instanceof Collection<?>) {
            documentsWithArrays.add(delta);
        }
        TypeClass typeClass = value instanceof Collection<?> ? null : typeClass(value);
        documentsByClass.addAndGet(typeClass == null ? TypeClass.values().length : typeClass.ordinal(), delta);
        if (secondPath != null) {
            Object second = secondPath.length == 1 ? document.get(secondField) : valueAt(secondPath, document, 0);
            if (second instanceof Collection<?>) {
                secondWithArrays.add(delta);
            }
            TypeClass secondClass = second instanceof Collection<?> ? null : typeClass(second);
            secondByClass.addAndGet(secondClass == null ? TypeClass.values().length : secondClass.ordinal(), delta);
        }
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
        if (takesWriteAt(position)) {
            fill(document, position);
        }
    }

    /** Adds a document's entries, also while deferred (the collection fills a waiting index holding its lock). */
    void fill(Document document, Object position) {
        Object second = shared(secondValue(document));
        for (Object value : valuesOf(document)) {
            if (entryMap.put(new Entry(shared(value), second, position), Boolean.TRUE) == null) {
                entryCount.increment();
            }
        }
        count(document, 1);
    }

    /** The index's own copy of an equal string value, if it has one (or room for this one). */
    private Object shared(Object value) {
        if (!(value instanceof String string)) {
            return value;
        }
        String known = sharedStrings.get(string);
        if (known != null) {
            return known;
        }
        if (sharedStrings.size() >= MAX_SHARED_STRINGS) {
            return string;
        }
        known = sharedStrings.putIfAbsent(string, string);
        return known != null ? known : string;
    }

    @Override
    public Object remove(Document document) {
        Object position = positionOf(document);
        if (takesWriteAt(position)) {
            removeEntries(document, position);
        }
        return position;
    }

    /** Removes a document's entries (a journaled document's version in a restored snapshot, decision 0069). */
    void unfill(Document document, Object position) {
        removeEntries(document, position);
    }

    private void removeEntries(Document document, Object position) {
        Object second = secondValue(document);
        for (Object value : valuesOf(document)) {
            if (entryMap.remove(new Entry(value, second, position)) != null) {
                entryCount.decrement();
            }
        }
        count(document, -1);
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
        return entryCount.sum();
    }

    /** Whether no document has been added (documents without a value in the field count too). */
    @Override
    public boolean isEmpty() {
        if (deferred) {
            return false; // so the library does not fill it: the collection does, for all its indexes at once
        }
        for (int i = 0; i < documentsByClass.length(); i++) {
            if (documentsByClass.get(i) != 0) {
                return false;
            }
        }
        return true;
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
        BeforeUpdate hook = beforeUpdate;
        if (hook != null) {
            hook.before(position, oldDocument);
        }
        if (!takesWriteAt(position)) {
            return;
        }
        removeEntries(oldDocument, position);
        fill(newDocument, position);
    }

    /**
     * Nothing to clear: the collection no longer lists the index, and a query that took it from the list just before
     * must still find it whole (cleared, it would answer as if the collection were empty); the garbage collector
     * frees it when that query ends. Marked, so no snapshot of it is written.
     */
    @Override
    public void drop() {
        dropped = true;
    }

    boolean dropped() {
        return dropped;
    }

    // ------------------------------------------------------------------ snapshots (FieldIndexSnapshots)

    /** Every entry, in the index's order: value, second value (null, {@link #unordered()} or a scalar), position. */
    void forEachEntry(EntryVisitor visitor) {
        for (Entry entry : entries) {
            visitor.visit(entry.value, entry.second, entry.position);
        }
    }

    interface EntryVisitor {
        void visit(Object value, Object second, Object position);
    }

    /** Entries to write as a snapshot: the live index ({@link #forEachEntry}) or a {@link #freeze frozen} copy of it. */
    interface Entries {
        void forEach(EntryVisitor visitor);

        /** The document counts that go with the entries. */
        long[] counters();
    }

    /**
     * The entries and counters as they are now, kept while the index goes on changing (decision 0076: a checkpoint copies
     * them holding the collection's lock, a moment per index, then encodes them without it). The entries are immutable,
     * so the copy is one reference per entry.
     */
    Entries freeze() {
        Entry[] copy = entries.toArray(new Entry[0]);
        long[] counters = counters();
        return new Entries() {
            @Override
            public void forEach(EntryVisitor visitor) {
                for (Entry entry : copy) {
                    visitor.visit(entry.value, entry.second, entry.position);
                }
            }

            @Override
            public long[] counters() {
                return counters;
            }
        };
    }

    /** The live index as {@link Entries} (a clean close writes it holding the collection's lock). */
    Entries live() {
        return new Entries() {
            @Override
            public void forEach(EntryVisitor visitor) {
                forEachEntry(visitor);
            }

            @Override
            public long[] counters() {
                return FieldIndex.this.counters();
            }
        };
    }

    /** The marker of a compound index's second value that is not one scalar of a type class. */
    static Object unordered() {
        return UNORDERED;
    }

    /** The document counts kept next to the entries (for {@link #orderable}, ranges and their compound twins). */
    long[] counters() {
        int classes = documentsByClass.length();
        long[] counters = new long[2 * classes + 2];
        for (int i = 0; i < classes; i++) {
            counters[i] = documentsByClass.get(i);
            counters[classes + 1 + i] = secondByClass.get(i);
        }
        counters[classes] = documentsWithArrays.sum();
        counters[2 * classes + 1] = secondWithArrays.sum();
        return counters;
    }

    /** Fills an empty, not yet added index from a snapshot's entries. */
    Restorer restorer() {
        return new Restorer();
    }

    /**
     * Takes a snapshot's entries in the index's order and builds the index from them in one pass (the skip list's
     * sorted build: no search per entry). An entry out of order (a snapshot written by a build that ordered
     * differently) fails the restore.
     */
    final class Restorer {
        private final List<Entry> sorted = new ArrayList<>();

        private Restorer() {
        }

        void add(Object value, Object second, Object position) {
            Entry entry = new Entry(shared(value), shared(second), position);
            if (!sorted.isEmpty() && compareEntries(sorted.getLast(), entry) >= 0) {
                throw new IllegalStateException("snapshot entries out of order at " + sorted.size());
            }
            sorted.add(entry);
        }

        /** Sets the {@link #counters()} that go with the entries; with null, empties the index again (a failed read). */
        void finish(long[] counters) {
            int classes = documentsByClass.length();
            if (counters == null || counters.length != 2 * classes + 2) {
                sorted.clear();
                entryMap.clear();
                sharedStrings.clear();
                entryCount.reset();
                for (int i = 0; i < classes; i++) {
                    documentsByClass.set(i, 0);
                    secondByClass.set(i, 0);
                }
                documentsWithArrays.reset();
                secondWithArrays.reset();
                if (counters != null) {
                    throw new IllegalArgumentException("a snapshot of " + counters.length + " counters, not " + (2 * classes + 2));
                }
                return;
            }
            entryMap = new ConcurrentSkipListMap<>(new SortedEntries(sorted));
            entries = entryMap.keySet();
            entryCount.add(sorted.size());
            sorted.clear();
            for (int i = 0; i < classes; i++) {
                documentsByClass.set(i, counters[i]);
                secondByClass.set(i, counters[classes + 1 + i]);
            }
            documentsWithArrays.add(counters[classes]);
            secondWithArrays.add(counters[2 * classes + 1]);
        }
    }

    /** Entries already in the index's order, seen as the sorted map the skip list's sorted build reads. */
    private final class SortedEntries extends java.util.AbstractMap<FieldIndex.Entry, Boolean> implements java.util.SortedMap<FieldIndex.Entry, Boolean> {
        private final List<FieldIndex.Entry> sorted;

        SortedEntries(List<FieldIndex.Entry> sorted) {
            this.sorted = sorted;
        }

        @Override
        public Comparator<? super FieldIndex.Entry> comparator() {
            return FieldIndex.this::compareEntries;
        }

        @Override
        public Set<Map.Entry<FieldIndex.Entry, Boolean>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<FieldIndex.Entry, Boolean>> iterator() {
                    Iterator<FieldIndex.Entry> it = sorted.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Map.Entry<FieldIndex.Entry, Boolean> next() {
                            return new java.util.AbstractMap.SimpleImmutableEntry<>(it.next(), Boolean.TRUE);
                        }
                    };
                }

                @Override
                public int size() {
                    return sorted.size();
                }
            };
        }

        @Override
        public java.util.SortedMap<FieldIndex.Entry, Boolean> subMap(FieldIndex.Entry fromKey, FieldIndex.Entry toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedMap<FieldIndex.Entry, Boolean> headMap(FieldIndex.Entry toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedMap<FieldIndex.Entry, Boolean> tailMap(FieldIndex.Entry fromKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FieldIndex.Entry firstKey() {
            return sorted.getFirst();
        }

        @Override
        public FieldIndex.Entry lastKey() {
            return sorted.getLast();
        }
    }
}
