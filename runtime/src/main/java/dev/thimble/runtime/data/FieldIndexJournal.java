package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps a collection's {@linkplain FieldIndexSnapshots index snapshot} valid after a crash (decision 0069): every
 * document written since the snapshot is named here, in the same data file, before the write changes it, with the
 * document as the snapshot saw it (none for an insert), once per document. An open after a kill -9 restores the
 * snapshot and corrects it for just those documents, instead of reading every document of the collection to fill the
 * indexes (decision 0053: 227 s at a million documents before a query on an indexed field was answered).
 *
 * <p>Entries sit in one map, {@value #MAP_NAME}, under {@code <data map id>/<snapshot epoch>/<position>} (the data
 * map's id follows a renamed collection, and a dropped one's successor has another); the value is the document's
 * Java serialisation as the data map stores it (so the same value types come back), or no bytes for "not there".
 *
 * <p><b>Why the entry is always in the file when the write is.</b> A commit does not take every map at one instant:
 * it takes them one after another, then serialises their pages, and the library changes a stored document in place
 * before storing it. So an entry written just before a write could miss a commit that holds the write. Every commit
 * therefore runs under {@link #commit}'s exclusive side of a lock whose shared side each new entry is written under:
 * an entry written before a commit started is in it; one written after it ended precedes a write that is not.
 *
 * <p>A journal holds at most {@code max(50,000, documents / 4)} entries; beyond that (or for a position this format
 * does not keep) the collection's snapshots are dropped and the next open after a crash fills from the documents as
 * before. A clean close writes new snapshots and empties the journal. Before that, once a journal holds half its limit,
 * its collection is checkpointed while the server runs (decision 0076, {@link FieldIndexCheckpoints}): a second journal
 * is {@linkplain #fork forked} under a new epoch, both name each write until the checkpoint's snapshots replace the old
 * ones ({@link #switchTo}), then the old one's entries are removed.
 */
final class FieldIndexJournal {
    static final String MAP_NAME = "thimble.fieldIndexJournal";
    /** {@code -Dthimble.db.indexJournal=false}: snapshots are dropped at the open as before 0069 (before/after measurements). */
    static final boolean ENABLED = !"false".equals(System.getProperty("thimble.db.indexJournal"));
    private static final byte[] ABSENT = new byte[0];

    private final MVMap<String, byte[]> map;
    private final ReentrantReadWriteLock cut = new ReentrantReadWriteLock();
    /** The collections being journaled, by data map id. */
    private final Map<Integer, Journal> journals = new ConcurrentHashMap<>();

    FieldIndexJournal(MVStore store) {
        this.map = store.openMap(MAP_NAME);
    }

    /** The fewest entries a journal may hold (for tests: a smaller one stops a journal sooner). */
    static volatile long minimumLimit = 50_000;

    /** The share of its limit a journal reaches before its collection is checkpointed (0076). */
    static final double CHECKPOINT_SHARE = 0.5;

    /**
     * The most entries a collection of {@code documents} is journaled for: past it, correcting the snapshot at an
     * open would read a good part of what filling the indexes from every document reads.
     */
    static long limit(long documents) {
        return Math.max(minimumLimit, documents / 4);
    }

    /** Runs a commit of the store (or anything that writes pages) so that no journal entry is written half across it. */
    void commit(Runnable commit) {
        holding(cut.writeLock(), commit);
    }

    /** Runs {@code change} to the snapshots so that a commit holds all of it or none (see {@link #commit}). */
    void atomically(Runnable change) {
        holding(cut.readLock(), change);
    }

    private static void holding(java.util.concurrent.locks.Lock lock, Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The documents written since snapshot {@code epoch} of data map {@code mapId}: position to the document as the
     * snapshot saw it (null: it had none there), or null when the journal cannot be read.
     */
    Map<Object, Document> written(int mapId, long epoch) {
        String prefix = prefix(mapId, epoch);
        Map<Object, Document> written = new LinkedHashMap<>();
        Cursor<String, byte[]> cursor = map.cursor(prefix);
        while (cursor.hasNext()) {
            String key = cursor.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            Object position = FieldIndexSnapshots.decode(key.substring(prefix.length()).getBytes(StandardCharsets.ISO_8859_1));
            byte[] before = cursor.getValue();
            if (position == null) {
                return null;
            }
            written.put(position, before.length == 0 ? null : (Document) ObjectDataType.deserialize(before));
        }
        return written;
    }

    /**
     * Journals the writes to data map {@code mapId} from now on, under snapshot {@code epoch}, which already names
     * {@code entries} documents; {@code drop} removes the collection's snapshots when the journal has to stop.
     */
    void start(int mapId, long epoch, long entries, long limit, Runnable drop) {
        journals.computeIfAbsent(mapId, id -> new Journal(mapId, epoch, entries, limit, drop));
    }

    /** The journal of data map {@code mapId}, or null when its writes are not journaled (it has no valid snapshot). */
    Journal of(int mapId) {
        return journals.get(mapId);
    }

    /**
     * Starts a second journal for the collection of {@code current}, under {@code epoch}, naming every write from now on
     * as well (call holding the collection's lock, as the copy of its indexes that the new epoch describes is taken).
     * The collection's snapshots still belong to {@code current} until {@link #switchTo}. Past its limit the new journal
     * just stops (the checkpoint is then given up).
     */
    Journal fork(Journal current, long epoch) {
        Journal next = new Journal(current.mapId, epoch, 0, current.limit, () -> { });
        current.successor = next;
        return next;
    }

    /**
     * The checkpoint's snapshots have replaced the ones of {@code from}: from now on {@code to} alone names the writes,
     * and overflowing it drops the collection's snapshots. Call holding the collection's lock.
     */
    void switchTo(Journal from, Journal to) {
        to.drop = from.drop;
        to.whenHalfFull = from.whenHalfFull;
        from.active = false;
        from.successor = null;
        journals.put(to.mapId, to);
    }

    /** Gives a checkpoint up: {@code forked} stops, {@code current} goes on alone (its entries keep its snapshots valid). */
    void abandon(Journal current, Journal forked) {
        forked.active = false;
        current.successor = null;
    }

    /**
     * Removes the entries of a journal whose snapshots were replaced ({@link #switchTo}): no snapshot refers to its epoch
     * any more, so a commit may hold any part of the removal. A thousand at a time.
     */
    void removeEntries(Journal replaced) {
        while (true) {
            java.util.List<String> keys = new java.util.ArrayList<>(1_000);
            Cursor<String, byte[]> cursor = map.cursor(replaced.prefix);
            while (cursor.hasNext() && keys.size() < 1_000) {
                String key = cursor.next();
                if (!key.startsWith(replaced.prefix)) {
                    break;
                }
                keys.add(key);
            }
            if (keys.isEmpty()) {
                return;
            }
            keys.forEach(map::remove);
        }
    }

    /** Stops every journal and removes every entry: the snapshots they belonged to are being replaced (a clean close). */
    void clear() {
        journals.values().forEach(journal -> journal.active = false);
        journals.clear();
        map.clear();
    }

    private static String prefix(int mapId, long epoch) {
        return mapId + "/" + Long.toHexString(epoch) + "/";
    }

    /** One collection's journal. */
    final class Journal {
        private final int mapId;
        private final String prefix;
        private final AtomicLong entries;
        private final long limit;
        private volatile Runnable drop;
        private volatile boolean active = true;
        /** A checkpoint's journal, naming every write as well until it replaces this one ({@link #fork}). */
        private volatile Journal successor;
        /** Asked, once, when the journal passes {@link #CHECKPOINT_SHARE} of its limit (0076); null: nobody asks. */
        private volatile Runnable whenHalfFull;
        private final java.util.concurrent.atomic.AtomicBoolean checkpointAsked = new java.util.concurrent.atomic.AtomicBoolean();

        private Journal(int mapId, long epoch, long entries, long limit, Runnable drop) {
            this.mapId = mapId;
            this.prefix = prefix(mapId, epoch);
            this.entries = new AtomicLong(entries);
            this.limit = limit;
            this.drop = drop;
        }

        /** Whom to ask for a checkpoint once this journal holds half its limit (the collection, when it is opened). */
        void whenHalfFull(Runnable ask) {
            this.whenHalfFull = ask;
        }

        /** Entries written so far (for tests and the checkpoint's log line). */
        long entries() {
            return entries.get();
        }

        /**
         * Called before a write changes the document at {@code position} (holding the collection's lock), with the
         * document as it is before the write ({@code null} for an insert): names it, unless already named since the
         * snapshot (then the snapshot's version is already kept).
         */
        void beforeWrite(Object position, Document before) {
            if (!active) {
                return;
            }
            Journal next = successor;
            if (next != null) {
                next.beforeWrite(position, before);
            }
            byte[] encoded = FieldIndexSnapshots.encode(position);
            String key = encoded == null ? null : prefix + new String(encoded, StandardCharsets.ISO_8859_1);
            if (key != null && map.containsKey(key)) {
                return;
            }
            byte[] value = before == null ? ABSENT : StoredObjectType.serialised(before);
            atomically(() -> {
                if (!active) {
                    return;
                }
                if (key == null || entries.get() >= limit) {
                    // the snapshots go in the same commit as (or before) the first write left out of the journal
                    active = false;
                    journals.values().remove(this);
                    drop.run();
                    return;
                }
                map.put(key, value);
                entries.incrementAndGet();
            });
            Runnable ask = whenHalfFull;
            if (ask != null && active && entries.get() >= limit * CHECKPOINT_SHARE && checkpointAsked.compareAndSet(false, true)) {
                ask.run();
            }
        }

        boolean active() {
            return active;
        }
    }
}
