package dev.thimble.runtime.sync.realmc;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.bson.types.ObjectId;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Converts between Java values (String, Long, Double, Float, Boolean, ObjectId, Instant, UUID, byte[], Decimal128, null) and
 * {@code realm_value_t}. A string value points into native memory that {@code keepAlive} holds until
 * the call that uses it has returned.
 */
final class RealmValues {
    private RealmValues() {
    }

    static RealmC.RealmValue.ByValue of(Object value, List<Memory> keepAlive) {
        RealmC.RealmValue.ByValue out = new RealmC.RealmValue.ByValue();
        ByteBuffer union = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        switch (value) {
            case null -> out.type = RealmC.RLM_TYPE_NULL;
            case String s -> {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                Memory memory = new Memory(bytes.length + 1);
                memory.write(0, bytes, 0, bytes.length);
                memory.setByte(bytes.length, (byte) 0);
                keepAlive.add(memory);
                union.putLong(Pointer.nativeValue(memory)).putLong(bytes.length);
                out.type = RealmC.RLM_TYPE_STRING;
            }
            case Integer i -> {
                union.putLong(i);
                out.type = RealmC.RLM_TYPE_INT;
            }
            case Long l -> {
                union.putLong(l);
                out.type = RealmC.RLM_TYPE_INT;
            }
            case Boolean b -> {
                union.put((byte) (b ? 1 : 0));
                out.type = RealmC.RLM_TYPE_BOOL;
            }
            case Double d -> {
                union.putDouble(d);
                out.type = RealmC.RLM_TYPE_DOUBLE;
            }
            case Instant t -> {
                union.putLong(t.getEpochSecond()).putInt(t.getNano());
                out.type = RealmC.RLM_TYPE_TIMESTAMP;
            }
            case ObjectId id -> {
                union.put(id.toByteArray());
                out.type = RealmC.RLM_TYPE_OBJECT_ID;
            }
            case UUID u -> {
                union.order(ByteOrder.BIG_ENDIAN).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
                union.order(ByteOrder.LITTLE_ENDIAN);
                out.type = RealmC.RLM_TYPE_UUID;
            }
            case byte[] bytes -> {
                Memory memory = new Memory(Math.max(1, bytes.length));
                memory.write(0, bytes, 0, bytes.length);
                keepAlive.add(memory);
                union.putLong(Pointer.nativeValue(memory)).putLong(bytes.length);
                out.type = RealmC.RLM_TYPE_BINARY;
            }
            case Float f -> {
                union.putFloat(f);
                out.type = RealmC.RLM_TYPE_FLOAT;
            }
            case org.bson.types.Decimal128 d -> {
                union.putLong(d.getLow()).putLong(d.getHigh());
                out.type = RealmC.RLM_TYPE_DECIMAL128;
            }
            default -> throw new IllegalArgumentException("No realm value for " + value.getClass().getName());
        }
        union.rewind();
        out.w0 = union.getLong();
        out.w1 = union.getLong();
        return out;
    }

    /** A link as core returns it: the target's class key and object key (the client turns it into the target's primary key). */
    record LinkRef(int classKey, long objectKey) {
    }

    /** A link to an object by class and object key (the client resolves {@link RealmSyncClient.Link} to this). */
    static RealmC.RealmValue.ByValue link(int classKey, long objectKey) {
        RealmC.RealmValue.ByValue out = new RealmC.RealmValue.ByValue();
        out.type = RealmC.RLM_TYPE_LINK;
        out.w0 = classKey & 0xFFFFFFFFL;
        out.w1 = objectKey;
        return out;
    }

    static Object from(RealmC.RealmValue value) {
        ByteBuffer union = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(value.w0).putLong(value.w1);
        union.rewind();
        byte[] raw = union.array();
        return switch (value.type) {
            case RealmC.RLM_TYPE_NULL -> null;
            case RealmC.RLM_TYPE_INT -> value.w0;
            case RealmC.RLM_TYPE_BOOL -> raw[0] != 0;
            case RealmC.RLM_TYPE_DOUBLE -> Double.longBitsToDouble(value.w0);
            case RealmC.RLM_TYPE_STRING -> value.w1 == 0 ? "" : new String(
                    new Pointer(value.w0).getByteArray(0, (int) value.w1), StandardCharsets.UTF_8);
            case RealmC.RLM_TYPE_TIMESTAMP -> Instant.ofEpochSecond(value.w0, (int) value.w1);
            case RealmC.RLM_TYPE_OBJECT_ID -> new ObjectId(java.util.Arrays.copyOf(raw, 12));
            case RealmC.RLM_TYPE_UUID -> {
                ByteBuffer big = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
                yield new UUID(big.getLong(), big.getLong());
            }
            case RealmC.RLM_TYPE_LINK -> new LinkRef((int) value.w0, value.w1);
            case RealmC.RLM_TYPE_BINARY -> value.w1 == 0 ? new byte[0] : new Pointer(value.w0).getByteArray(0, (int) value.w1);
            case RealmC.RLM_TYPE_FLOAT -> Float.intBitsToFloat((int) value.w0);
            case RealmC.RLM_TYPE_DECIMAL128 -> org.bson.types.Decimal128.fromIEEE754BIDEncoding(value.w1, value.w0);
            default -> throw new IllegalStateException("Unexpected realm value type " + value.type);
        };
    }
}
