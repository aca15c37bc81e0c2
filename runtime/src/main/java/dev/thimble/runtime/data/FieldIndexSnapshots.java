package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The {@link FieldIndex}es of a data file, written next to the data when the database closes cleanly and read back
 * at the next open, so the first query after an open does not read the whole collection to fill them (decision
 * 0048: 420 s for a million documents, whose Java-serialised documents dominate the read).
 *
 * <p>A snapshot is used only while it provably describes the data it sits next to: it records the collection's
 * document count and the file position of its data map's root page as of the commit that wrote it. Any later
 * change to the collection (by this server after the snapshot, by a crash between, by an older Thimble that knows
 * nothing of snapshots) writes a new root page elsewhere, so the recorded position no longer matches and the index
 * is filled from the documents as before.
 *
 * <p>After the open the snapshot stays, kept valid by the {@link FieldIndexJournal} (decision 0069): each write names
 * its document there first, with the document as the snapshot saw it, so an open after a crash restores the snapshot
 * and corrects it for the journaled documents only; the count and root position are checked when the journal is
 * empty (nothing written by this build since: a change behind its back shows there). A snapshot of a build before
 * 0069 (no journal) is removed as soon as it is read, so only the state of a clean close is used from it.
 *
 * <p>Stored in one map, {@value #MAP_NAME}, of byte arrays (no Java serialisation): per index a header under
 * {@code <db>.<collection>/<index>} and its entries in chunks under {@code <db>.<collection>/<index>/<n>}.
 */
final class FieldIndexSnapshots {
    private static final Logger log = LoggerFactory.getLogger(FieldIndexSnapshots.class);

    static final String MAP_NAME = "thimble.fieldIndexes";
    /** {@code -Dthimble.db.indexSnapshots=false}: neither written nor read (every open fills from the documents; for before/after measurements). */
    static final boolean ENABLED = !"false".equals(System.getProperty("thimble.db.indexSnapshots"));
    /** Entries as (value, position): a single-field index. */
    private static final int SINGLE = 1;
    /** Entries as (value, second value, position): a compound index. */
    private static final int COMPOUND = 2;
    /** As {@link #SINGLE}, with the data map's id and the snapshot's epoch: kept after a crash by the {@link FieldIndexJournal} (0069). */
    private static final int SINGLE_JOURNALED = 3;
    /** As {@link #COMPOUND}, journaled. */
    private static final int COMPOUND_JOURNALED = 4;
    /**
     * As {@link #SINGLE_JOURNALED}, written by a checkpoint while the server runs (decision 0076): its chunks sit under
     * {@code <index>/<epoch>/<n>}, next to the snapshot they replace until the switch. A build before 0076 does not
     * know the format and fills from the documents.
     */
    private static final int SINGLE_CHECKPOINT = 5;
    /** As {@link #COMPOUND_JOURNALED}, written by a checkpoint. */
    private static final int COMPOUND_CHECKPOINT = 6;
    private static final int ENTRIES_PER_CHUNK = 65_536;

    private static final byte NONE = 0;
    private static final byte UNORDERED = 9;
    private static final byte STRING = 1;
    private static final byte OBJECT_ID = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte DOUBLE = 5;
    private static final byte INSTANT = 6;
    private static final byte DATE = 7;
    private static final byte UUID_VALUE = 8;

    private final MVMap<String, byte[]> map;
    private final FieldIndexJournal journal;
    /** Names the snapshots written by one clean close: the journal's entries after their open belong to it. */
    private volatile long epoch = newEpoch();
    /**
     * While a database opens: per data map, the documents written since its snapshot, read once for all its
     * indexes ({@link #opened} drops them).
     */
    private final java.util.Map<String, java.util.Map<Object, de.bwaldvogel.mongo.bson.Document>> replays =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Who checkpoints a collection whose journal is half full ({@link FieldIndexCheckpoints}); null: nobody. */
    private volatile java.util.function.Consumer<ObservedH2Collection> checkpointer;

    void checkpointer(java.util.function.Consumer<ObservedH2Collection> checkpointer) {
        this.checkpointer = checkpointer;
    }

    /** {@code collection}'s journal is half full: its snapshots should be written again (0076). */
    void checkpointWanted(ObservedH2Collection collection) {
        java.util.function.Consumer<ObservedH2Collection> current = checkpointer;
        if (current != null) {
            current.accept(collection);
        }
    }

    /** Removes the chunks of a checkpoint that was given up (no header names them). */
    void forgetCheckpoint(String namespace, java.util.Collection<FieldIndex> indexes, long checkpointEpoch) {
        for (FieldIndex index : indexes) {
            String base = chunkBase(namespace + "/" + index.getName(), checkpointEpoch);
            for (int n = 0; map.remove(base + "/" + n) != null; n++) {
                // chunk by chunk
            }
        }
    }

    /** Entries read back from snapshots so far (for tests). */
    private final java.util.concurrent.atomic.LongAdder entriesRestored = new java.util.concurrent.atomic.LongAdder();

    long entriesRestored() {
        return entriesRestored.sum();
    }

    FieldIndexSnapshots(MVStore store) {
        this.map = store.openMap(MAP_NAME);
        this.journal = new FieldIndexJournal(store);
    }

    /** The journal that keeps these snapshots valid after a crash. */
    FieldIndexJournal journal() {
        return journal;
    }

    static long newEpoch() {
        long epoch = new java.security.SecureRandom().nextLong();
        return epoch == 0 ? 1 : epoch;
    }

    /** A database has opened its collections: what was read of the journal for their restores is no longer needed. */
    void opened() {
        replays.clear();
    }

    /** What a snapshot is checked against: the index's keys, and the data map as of the last commit. */
    private static String keys(FieldIndex index) {
        StringBuilder out = new StringBuilder();
        for (IndexKey key : index.getKeys()) {
            out.append(key.getKey()).append(key.isAscending() ? ":1;" : ":-1;");
        }
        return out.toString();
    }

    /**
     * Fills {@code index} from its snapshot if there is one that matches {@code data} as it is now; removes the
     * snapshot either way (it could not be trusted after the next write). Returns whether it was filled.
     * {@code positions}: one instance per position, shared with the collection's other restored indexes.
     */
    boolean restore(String namespace, FieldIndex index, MVMap<Object, ?> data, java.util.Map<Object, Object> positions) {
        String key = namespace + "/" + index.getName();
        byte[] header = ENABLED ? map.get(key) : null;
        if (header == null) {
            return false;
        }
        boolean journaled;
        java.util.Map<Object, de.bwaldvogel.mongo.bson.Document> written = java.util.Map.of();
        int mapId = 0;
        long snapshotEpoch = 0;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(header))) {
            int format = in.readInt();
            boolean checkpoint = format == SINGLE_CHECKPOINT || format == COMPOUND_CHECKPOINT;
            journaled = checkpoint || format == SINGLE_JOURNALED || format == COMPOUND_JOURNALED;
            boolean compound = format == COMPOUND || format == COMPOUND_JOURNALED || format == COMPOUND_CHECKPOINT;
            if (compound != index.compound() || !(journaled || format == SINGLE || format == COMPOUND)
                    || !in.readUTF().equals(keys(index))) {
                return reject(namespace, index, "does not match the index");
            }
            long size = in.readLong();
            long root = in.readLong();
            int chunkCount = in.readInt();
            if (journaled) {
                mapId = in.readInt();
                snapshotEpoch = in.readLong();
            }
            List<byte[]> chunks = new ArrayList<>();
            String chunkKeys = checkpoint ? chunkBase(key, snapshotEpoch) : key;
            for (int n = 0; ; n++) {
                byte[] chunk = map.get(chunkKeys + "/" + n);
                if (chunk == null) {
                    break;
                }
                chunks.add(chunk);
            }
            if (chunkCount != chunks.size()) {
                return reject(namespace, index, "has lost entries");
            }
            if (journaled) {
                int id = mapId;
                long epochOfMap = snapshotEpoch;
                written = !FieldIndexJournal.ENABLED || mapId != data.getId() ? null
                        : replays.computeIfAbsent(mapId + "/" + epochOfMap, k -> {
                            java.util.Map<Object, de.bwaldvogel.mongo.bson.Document> read = journal.written(id, epochOfMap);
                            return read == null ? java.util.Map.of(NOT_READABLE, NOT_READABLE_DOCUMENT) : read;
                        });
                if (written == null || written.containsKey(NOT_READABLE) || written.size() > FieldIndexJournal.limit(size)) {
                    return reject(namespace, index, "is not kept by the journal");
                }
            } else {
                // a snapshot of a build before 0069: valid only until the first write (removed now)
                forget(namespace, index.getName());
            }
            // No write since the snapshot (by this build: each one is journaled): the data must be as it was then.
            if (written.isEmpty() && (size != data.sizeAsLong() || root != rootPosition(data))) {
                return reject(namespace, index, "does not match the data");
            }
            long[] counters = new long[in.readInt()];
            for (int i = 0; i < counters.length; i++) {
                counters[i] = in.readLong();
            }
            if (!compound) {
                // the counts by type class, then the documents with arrays; the second key's counters stay 0
                long[] all = new long[2 * counters.length + 2];
                System.arraycopy(counters, 0, all, 0, counters.length);
                all[counters.length] = in.readLong();
                counters = all;
            }
            FieldIndex.Restorer restorer = index.restorer();
            for (byte[] chunk : chunks) {
                try (DataInputStream entries = new DataInputStream(new ByteArrayInputStream(chunk))) {
                    int entryCount = entries.readInt();
                    for (int i = 0; i < entryCount; i++) {
                        Object value = read(entries);
                        Object second = compound ? read(entries) : null;
                        Object position = read(entries);
                        Object shared = positions.putIfAbsent(position, position);
                        restorer.add(value, second, shared != null ? shared : position);
                        entriesRestored.increment();
                    }
                }
            }
            restorer.finish(counters);
        } catch (IOException | RuntimeException e) {
            log.warn("Index {} of {}: unreadable snapshot ({}); filled from the documents", index.getName(), namespace, e.toString());
            index.restorer().finish(null); // drop whatever was read
            forget(namespace, index.getName());
            return false;
        }
        if (journaled) {
            // the documents written since the snapshot: out with what the snapshot saw, in with what is there now
            for (var change : written.entrySet()) {
                Object position = change.getKey();
                Object shared = positions.putIfAbsent(position, position);
                position = shared != null ? shared : position;
                if (change.getValue() != null) {
                    index.unfill(change.getValue(), position);
                }
                Object now = data.get(position);
                if (now instanceof de.bwaldvogel.mongo.bson.Document document) {
                    index.fill(document, position);
                }
            }
            journal.start(mapId, snapshotEpoch, written.size(), FieldIndexJournal.limit(data.sizeAsLong()),
                    () -> forgetAll(namespace));
        }
        return true;
    }

    /** A journal that could not be read: no position of it is known. */
    private static final Object NOT_READABLE = new Object();
    private static final de.bwaldvogel.mongo.bson.Document NOT_READABLE_DOCUMENT = new de.bwaldvogel.mongo.bson.Document();

    private boolean reject(String namespace, FieldIndex index, String why) {
        log.debug("Index {} of {}: its snapshot {}; filled from the documents", index.getName(), namespace, why);
        forget(namespace, index.getName());
        return false;
    }

    /** Removes the snapshot of one index (it no longer describes the data, or the index was dropped). */
    void forget(String namespace, String indexName) {
        String key = namespace + "/" + indexName;
        List<String> chunks = chunkKeys(key);
        journal.atomically(() -> {
            map.remove(key);
            chunks.forEach(map::remove);
        });
    }

    /** The keys of an index's entry chunks: {@code <key>/<n>} (a clean close) and {@code <key>/<epoch>/<n>} (checkpoints). */
    private List<String> chunkKeys(String key) {
        List<String> keys = new ArrayList<>();
        String prefix = key + "/";
        org.h2.mvstore.Cursor<String, byte[]> cursor = map.cursor(prefix);
        while (cursor.hasNext()) {
            String found = cursor.next();
            if (!found.startsWith(prefix)) {
                break;
            }
            if (found.substring(prefix.length()).matches("([0-9a-f]+/)?[0-9]+")) {
                keys.add(found);
            }
        }
        return keys;
    }

    /** Where a checkpoint of epoch {@code epoch} keeps an index's chunks (the index's key then the epoch). */
    private static String chunkBase(String key, long epoch) {
        return key + "/" + Long.toHexString(epoch);
    }

    /** Removes the snapshots of every index of a collection (its journal had to stop). */
    void forgetAll(String namespace) {
        String prefix = namespace + "/";
        List<String> keys = new ArrayList<>();
        org.h2.mvstore.Cursor<String, byte[]> cursor = map.cursor(prefix);
        while (cursor.hasNext()) {
            String key = cursor.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            keys.add(key);
        }
        journal.atomically(() -> keys.forEach(map::remove));
    }

    /** Whether the index can be written: every entry's value and position is of a type this format keeps. */
    private static boolean writable(Object value) {
        return switch (value) {
            case String s -> true;
            case ObjectId id -> true;
            case Integer i -> true;
            case Long l -> true;
            case Double d -> true;
            case Instant i -> true;
            case Date d -> true;
            case UUID u -> true;
            case null, default -> false;
        };
    }

    /**
     * Writes the entries of {@code index} (filled, not dropped) into the map, not yet its header: the header
     * records the data map's root position, known only after the commit that follows ({@link #writeHeader}).
     * Call holding the collection's lock, so no write changes the collection between this and that commit.
     * Returns the number of chunks written, or -1 (nothing written) when an entry holds a type the format does not keep.
     */
    int writeEntries(String namespace, FieldIndex index) {
        return writeEntries(index, index.live(), namespace + "/" + index.getName());
    }

    /**
     * Writes a checkpoint's copy of an index's entries ({@link FieldIndex#freeze}) beside its current snapshot, under
     * the checkpoint's epoch; nothing refers to them until {@link #switchToCheckpoint}. Needs no lock. Returns the
     * number of chunks, or -1 as {@link #writeEntries(String, FieldIndex)}.
     */
    int writeCheckpointEntries(String namespace, FieldIndex index, FieldIndex.Entries entries, long epoch) {
        return writeEntries(index, entries, chunkBase(namespace + "/" + index.getName(), epoch));
    }

    private int writeEntries(FieldIndex index, FieldIndex.Entries entries, String key) {
        if (!ENABLED) {
            return -1;
        }
        List<byte[]> chunks = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        int[] inChunk = {0};
        boolean[] ok = {true};
        try {
            entries.forEach((value, second, position) -> {
                if (!ok[0] || !writable(value) || !writable(position)
                        || !(second == null || second == FieldIndex.unordered() || writable(second))) {
                    ok[0] = false;
                    return;
                }
                try {
                    write(out, value);
                    if (index.compound()) {
                        write(out, second);
                    }
                    write(out, position);
                    if (++inChunk[0] == ENTRIES_PER_CHUNK) {
                        chunks.add(chunk(bytes, inChunk[0]));
                        bytes.reset();
                        inChunk[0] = 0;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!ok[0]) {
                return -1;
            }
            if (inChunk[0] > 0) {
                chunks.add(chunk(bytes, inChunk[0]));
            }
        } catch (UncheckedIOException e) {
            return -1;
        }
        for (int n = 0; n < chunks.size(); n++) {
            map.put(key + "/" + n, chunks.get(n));
        }
        return chunks.size();
    }

    /** The header of an index whose {@code chunks} entry chunks {@link #writeEntries} wrote, after the commit that stored them. */
    void writeHeader(String namespace, FieldIndex index, int chunks, MVMap<Object, ?> data) {
        boolean journaled = FieldIndexJournal.ENABLED;
        int format = index.compound() ? (journaled ? COMPOUND_JOURNALED : COMPOUND) : (journaled ? SINGLE_JOURNALED : SINGLE);
        map.put(namespace + "/" + index.getName(), header(format, index, index.counters(), chunks, data.sizeAsLong(),
                rootPosition(data), journaled, data.getId(), epoch));
    }

    /**
     * Replaces every snapshot of a collection by a checkpoint's (decision 0076), in one step no commit divides: the
     * headers of {@code written} (index to its chunk count) now name the checkpoint's chunks and epoch, and the older
     * snapshots' headers and chunks go. Call holding the collection's lock, once the checkpoint's journal names every
     * write since its copy: the data's size and root are checked at an open only if that journal is still empty.
     */
    void switchToCheckpoint(String namespace, java.util.Map<FieldIndex, Integer> written,
                            java.util.Map<FieldIndex, long[]> counters, MVMap<Object, ?> data, long checkpointEpoch) {
        String prefix = namespace + "/";
        List<String> older = new ArrayList<>();
        org.h2.mvstore.Cursor<String, byte[]> cursor = map.cursor(prefix);
        while (cursor.hasNext()) {
            String key = cursor.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            boolean ours = written.keySet().stream().anyMatch(index ->
                    key.startsWith(chunkBase(prefix + index.getName(), checkpointEpoch) + "/"));
            if (!ours) {
                older.add(key);
            }
        }
        long size = data.sizeAsLong();
        long root = rootPosition(data);
        journal.atomically(() -> {
            older.forEach(map::remove);
            written.forEach((index, chunks) -> map.put(prefix + index.getName(), header(
                    index.compound() ? COMPOUND_CHECKPOINT : SINGLE_CHECKPOINT, index, counters.get(index), chunks, size, root,
                    true, data.getId(), checkpointEpoch)));
        });
    }

    private static byte[] header(int format, FieldIndex index, long[] counters, int chunks, long size, long root,
                                 boolean journaled, int mapId, long epoch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(format);
            out.writeUTF(keys(index));
            out.writeLong(size);
            out.writeLong(root);
            out.writeInt(chunks);
            if (journaled) {
                out.writeInt(mapId);
                out.writeLong(epoch);
            }
            if (index.compound()) {
                out.writeInt(counters.length);
                for (long counter : counters) {
                    out.writeLong(counter);
                }
            } else {
                int classes = (counters.length - 2) / 2; // the counts by type class, then the documents with arrays
                out.writeInt(classes);
                for (int i = 0; i <= classes; i++) {
                    out.writeLong(counters[i]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Removes every snapshot (before writing the current ones: dropped indexes and collections leave none). */
    void clear() {
        journal.clear();
        map.clear();
        epoch = newEpoch();
    }

    /** Where the data map's root page is in the file as of the last commit; 0 if it has unsaved changes. */
    private static long rootPosition(MVMap<Object, ?> data) {
        return data.getRootPage().getPos();
    }

    private static byte[] chunk(ByteArrayOutputStream bytes, int entries) {
        byte[] body = bytes.toByteArray();
        byte[] chunk = new byte[4 + body.length];
        chunk[0] = (byte) (entries >>> 24);
        chunk[1] = (byte) (entries >>> 16);
        chunk[2] = (byte) (entries >>> 8);
        chunk[3] = (byte) entries;
        System.arraycopy(body, 0, chunk, 4, body.length);
        return chunk;
    }

    /** A document position in this format's bytes, or null when the format does not keep its type. */
    static byte[] encode(Object position) {
        if (!writable(position)) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(24);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The position {@link #encode} wrote, or null when the bytes are not one. */
    static Object decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            Object position = read(in);
            return in.available() == 0 ? position : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void write(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NONE);
            return;
        }
        if (value == FieldIndex.unordered()) {
            out.writeByte(UNORDERED);
            return;
        }
        switch (value) {
            case String s -> {
                byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeByte(STRING);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
            case ObjectId id -> {
                out.writeByte(OBJECT_ID);
                out.write(id.toByteArray());
            }
            case Integer i -> {
                out.writeByte(INT);
                out.writeInt(i);
            }
            case Long l -> {
                out.writeByte(LONG);
                out.writeLong(l);
            }
            case Double d -> {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            }
            case Instant i -> {
                out.writeByte(INSTANT);
                out.writeLong(i.getEpochSecond());
                out.writeInt(i.getNano());
            }
            case Date d -> {
                out.writeByte(DATE);
                out.writeLong(d.getTime());
            }
            case UUID u -> {
                out.writeByte(UUID_VALUE);
                out.writeLong(u.getMostSignificantBits());
                out.writeLong(u.getLeastSignificantBits());
            }
            default -> throw new IllegalArgumentException("not kept in a snapshot: " + value.getClass());
        }
    }

    private static Object read(DataInputStream in) throws IOException {
        byte type = in.readByte();
        return switch (type) {
            case NONE -> null;
            case UNORDERED -> FieldIndex.unordered();
            case STRING -> {
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                yield new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
            }
            case OBJECT_ID -> {
                byte[] id = new byte[12];
                in.readFully(id);
                yield new ObjectId(id);
            }
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
            case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            case DATE -> new Date(in.readLong());
            case UUID_VALUE -> new UUID(in.readLong(), in.readLong());
            default -> throw new IOException("unknown value type " + type + " in an index snapshot");
        };
    }
}
