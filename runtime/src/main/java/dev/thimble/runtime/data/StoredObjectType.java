package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import java.nio.ByteBuffer;

/**
 * The library's map type ({@link ObjectDataType}) for the maps that hold documents and unique-index keys, writing the
 * same bytes but serialising each stored {@link Document} and {@link KeyValue} instance once (decision 0053).
 *
 * <p>H2 writes a changed page whole at a commit: a new document in a leaf of ~48 re-serialised every other document
 * of that leaf (Java serialisation, the library's format), and with writers sharing commits the last leaf of a
 * collection was rewritten at every commit. That page writing was a quarter of the CPU of 16 concurrent durable
 * inserts (issue 18). A miss writes through the library's own method (which also keeps H2's size estimate) and
 * remembers the serialised bytes it wrote; a hit writes the same tag, length and bytes.
 */
class StoredObjectType extends ObjectDataType {
    /** ObjectDataType's tag for a Java-serialised value ({@code TYPE_SERIALIZED_OBJECT}, package-private there). */
    private static final byte SERIALIZED = 19;
    private static final SerialisedForms FORMS = new SerialisedForms();
    /** {@code -Dthimble.db.serialisedForms=false}: serialise at every write, as the library does (for before/after measurements). */
    private static final boolean REMEMBER = !"false".equals(System.getProperty("thimble.db.serialisedForms"));

    @Override
    public void write(WriteBuffer buff, Object obj) {
        if (REMEMBER && obj != null && obj.getClass() == ObjectId.class) {
            byte[] id = ((ObjectId) obj).toByteArray();
            if (id.length == ObjectIdForm.ID_LENGTH && ObjectIdForm.PREFIX != null) {
                // the library's ids, as keys of the data maps and values of the unique indexes: the same bytes as
                // Java serialisation writes, without its ~1 µs of stream set-up per id
                buff.put(SERIALIZED).putVarInt(ObjectIdForm.PREFIX.length + id.length).put(ObjectIdForm.PREFIX).put(id);
                return;
            }
        }
        if (!remembered(obj)) {
            super.write(buff, obj);
            return;
        }
        byte[] known = FORMS.get(obj);
        if (known != null) {
            buff.put(SERIALIZED).putVarInt(known.length).put(known);
            return;
        }
        int start = buff.position();
        super.write(buff, obj);
        ByteBuffer written = buff.getBuffer();
        if (written.get(start) != SERIALIZED) {
            return; // not the serialised form this type expects: nothing to remember
        }
        ByteBuffer header = written.duplicate().position(start + 1);
        int length = DataUtils.readVarInt(header);
        byte[] serialised = new byte[length];
        written.get(header.position(), serialised);
        FORMS.put(obj, serialised);
    }

    /**
     * Reads as the library does; an id in its known form without Java deserialisation, and a document or index key
     * read remembers the bytes it was read from: a page read by the housekeeping's compaction or for an update is
     * written again soon, and would otherwise serialise every document of it again.
     */
    @Override
    public Object read(ByteBuffer buff) {
        int start = buff.position();
        if (!REMEMBER || buff.get(start) != SERIALIZED) {
            return super.read(buff);
        }
        ByteBuffer header = buff.duplicate().position(start + 1);
        int length = DataUtils.readVarInt(header);
        int body = header.position();
        byte[] prefix = ObjectIdForm.PREFIX;
        if (prefix != null && length == prefix.length + ObjectIdForm.ID_LENGTH
                && buff.slice(body, prefix.length).equals(ByteBuffer.wrap(prefix))) {
            byte[] id = new byte[ObjectIdForm.ID_LENGTH];
            buff.get(body + prefix.length, id);
            buff.position(body + length);
            return new ObjectId(id);
        }
        Object value = super.read(buff);
        if (remembered(value)) {
            byte[] serialised = new byte[length];
            buff.get(body, serialised);
            FORMS.put(value, serialised);
        }
        return value;
    }

    /** The Java serialisation of {@code obj}, as {@link ObjectDataType#serialize} makes it, remembered if it is stored. */
    static byte[] serialised(Object obj) {
        if (!remembered(obj)) {
            return serialize(obj);
        }
        byte[] known = FORMS.get(obj);
        if (known == null) {
            known = serialize(obj);
            FORMS.put(obj, known);
        }
        return known;
    }

    /** Documents and index keys; a document updated in place is {@linkplain #forget forgotten} before it is stored again. */
    private static boolean remembered(Object obj) {
        return REMEMBER && obj != null && (obj.getClass() == Document.class || obj.getClass() == KeyValue.class);
    }

    /**
     * The Java serialisation of an {@link ObjectId} is a fixed prefix (stream header, class descriptors, the array's
     * length) followed by its 12 bytes; the prefix is taken from a serialisation made here and used only if a second
     * id serialises to exactly that prefix and its own bytes (so a library version that serialises ids differently
     * falls back to serialising).
     */
    static final class ObjectIdForm {
        static final int ID_LENGTH = 12;
        static final byte[] PREFIX = prefix();

        private ObjectIdForm() {
        }

        private static byte[] prefix() {
            try {
                byte[] one = serialize(new ObjectId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
                byte[] prefix = java.util.Arrays.copyOf(one, one.length - ID_LENGTH);
                byte[] otherId = {(byte) 0xff, 0, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2};
                byte[] other = serialize(new ObjectId(otherId));
                byte[] expected = java.util.Arrays.copyOf(prefix, prefix.length + ID_LENGTH);
                System.arraycopy(otherId, 0, expected, prefix.length, ID_LENGTH);
                return java.util.Arrays.equals(other, expected) ? prefix : null;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /**
     * Drops what is remembered for {@code obj}: the library updates a stored document in place (then stores the same
     * instance again), so {@link ObservedH2Collection#handleUpdate} calls this before the store.
     */
    static void forget(Object obj) {
        FORMS.remove(obj);
    }

    /** For tests: how many serialisations are remembered. */
    static int remembered() {
        return FORMS.size();
    }
}
