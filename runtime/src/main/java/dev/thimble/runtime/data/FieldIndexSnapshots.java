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
 * is filled from the documents as before. A snapshot is removed as soon as it is read, so only the state of a clean
 * close can ever be used: the removal is committed together with the first write after the open.
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

    FieldIndexSnapshots(MVStore store) {
        this.map = store.openMap(MAP_NAME);
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
        byte[] header = ENABLED ? map.remove(key) : null;
        if (header == null) {
            return false;
        }
        List<byte[]> chunks = new ArrayList<>();
        for (int n = 0; ; n++) {
            byte[] chunk = map.remove(key + "/" + n);
            if (chunk == null) {
                break;
            }
            chunks.add(chunk);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(header))) {
            int format = in.readInt();
            if (format != (index.compound() ? COMPOUND : SINGLE) || !in.readUTF().equals(keys(index)) || in.readLong() != data.sizeAsLong()
                    || in.readLong() != rootPosition(data) || in.readInt() != chunks.size()) {
                log.debug("Index {} of {}: its snapshot does not match the data; filled from the documents", index.getName(), namespace);
                return false;
            }
            long[] counters = new long[in.readInt()];
            for (int i = 0; i < counters.length; i++) {
                counters[i] = in.readLong();
            }
            if (format == SINGLE) {
                // the counts by type class, then the documents with arrays; the second key's counters stay 0
                long[] all = new long[2 * counters.length + 2];
                System.arraycopy(counters, 0, all, 0, counters.length);
                all[counters.length] = in.readLong();
                counters = all;
            }
            FieldIndex.Restorer restorer = index.restorer();
            for (byte[] chunk : chunks) {
                try (DataInputStream entries = new DataInputStream(new ByteArrayInputStream(chunk))) {
                    int size = entries.readInt();
                    for (int i = 0; i < size; i++) {
                        Object value = read(entries);
                        Object second = format == COMPOUND ? read(entries) : null;
                        Object position = read(entries);
                        Object shared = positions.putIfAbsent(position, position);
                        restorer.add(value, second, shared != null ? shared : position);
                    }
                }
            }
            restorer.finish(counters);
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("Index {} of {}: unreadable snapshot ({}); filled from the documents", index.getName(), namespace, e.toString());
            index.restorer().finish(null); // drop whatever was read
            return false;
        }
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
        if (!ENABLED) {
            return -1;
        }
        String key = namespace + "/" + index.getName();
        List<byte[]> chunks = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        int[] inChunk = {0};
        boolean[] ok = {true};
        try {
            index.forEachEntry((value, second, position) -> {
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(index.compound() ? COMPOUND : SINGLE);
            out.writeUTF(keys(index));
            out.writeLong(data.sizeAsLong());
            out.writeLong(rootPosition(data));
            out.writeInt(chunks);
            long[] counters = index.counters();
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
        map.put(namespace + "/" + index.getName(), bytes.toByteArray());
    }

    /** Removes every snapshot (before writing the current ones: dropped indexes and collections leave none). */
    void clear() {
        map.clear();
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
