package dev.thimble.runtime.sync;

import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.types.ObjectId;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * realm-core's changeset encoding (its {@code changeset_parser.cpp} / {@code changeset_encoder.cpp}):
 * a sequence of instructions, each a variable-length type number followed by its fields, with strings
 * interned by a meta-instruction (0x3f) before their first use.
 */
final class Changesets {
    static final int INTERN_STRING = 0x3f;
    /** Payload types (realm-core {@code Instruction::Payload::Type}). */
    static final int NULL = 0, INT = 1, BOOL = 2, STRING = 3, BINARY = 4, TIMESTAMP = 5, FLOAT = 6, DOUBLE = 7,
            DECIMAL = 8, LINK = 9, OBJECT_ID = 10, UUID_TYPE = 11, GLOBAL_KEY = -1, OBJECT_VALUE = -2,
            DICTIONARY = -3, ERASED = -4;

    private Changesets() {
    }

    // ---- parsing --------------------------------------------------------------------------------

    static List<Instruction> parse(byte[] changeset) {
        ByteBuffer in = ByteBuffer.wrap(changeset).order(ByteOrder.LITTLE_ENDIAN);
        Map<Long, String> interned = new HashMap<>();
        List<Instruction> out = new ArrayList<>();
        while (in.hasRemaining()) {
            long type = VarInt.read(in);
            if (type == INTERN_STRING) {
                long index = VarInt.read(in);
                interned.put(index, readString(in));
                continue;
            }
            if (type < 0 || type >= Instruction.NAMES.length) {
                throw new BadChangesetException("unknown instruction type " + type);
            }
            out.add(readInstruction((int) type, in, interned));
        }
        return out;
    }

    private static Instruction readInstruction(int type, ByteBuffer in, Map<Long, String> interned) {
        switch (type) {
            case Instruction.ADD_TABLE -> {
                String table = intern(in, interned);
                long tableType = VarInt.read(in);
                if (tableType == 1) {
                    return new Instruction.AddTable(table, null, 0, false, true);
                }
                String pkField = intern(in, interned);
                int pkType = (int) VarInt.read(in);
                boolean nullable = VarInt.read(in) != 0;
                return new Instruction.AddTable(table, pkField, pkType, nullable, false);
            }
            case Instruction.ERASE_TABLE -> {
                return new Instruction.Unsupported(intern(in, interned), "EraseTable", null);
            }
            case Instruction.ADD_COLUMN -> {
                String table = intern(in, interned);
                String field = intern(in, interned);
                int valueType = (int) VarInt.read(in);
                boolean nullable = VarInt.read(in) != 0;
                int collection = (int) VarInt.read(in);
                if (valueType == LINK) {
                    intern(in, interned);
                }
                if (collection == 2) {
                    VarInt.read(in);
                }
                return new Instruction.AddColumn(table, field, valueType, nullable, collection);
            }
            case Instruction.ERASE_COLUMN -> {
                String table = intern(in, interned);
                return new Instruction.Unsupported(table, "EraseColumn", intern(in, interned));
            }
            case Instruction.CREATE_OBJECT -> {
                return new Instruction.CreateObject(intern(in, interned), readPrimaryKey(in, interned));
            }
            case Instruction.ERASE_OBJECT -> {
                return new Instruction.EraseObject(intern(in, interned), readPrimaryKey(in, interned));
            }
            default -> {
                return readPathInstruction(type, in, interned);
            }
        }
    }

    /**
     * A path instruction: table, object, field, path (list indexes and dictionary keys), then its own
     * fields. Top-level field updates and edits of a collection field of a top-level object are
     * understood; deeper paths (embedded objects, nested collections) and counters are named for refusal.
     */
    private static Instruction readPathInstruction(int type, ByteBuffer in, Map<Long, String> interned) {
        String table = intern(in, interned);
        BsonValue pk = readPrimaryKey(in, interned);
        String field = intern(in, interned);
        long pathLength = VarInt.read(in);
        if (pathLength < 0 || pathLength > in.remaining()) {
            throw new BadChangesetException("a path runs past the end of the changeset");
        }
        List<Object> path = new ArrayList<>();
        for (long i = 0; i < pathLength; i++) {
            long element = VarInt.read(in);
            path.add(element >= 0 ? (Object) element : intern(in, interned));
        }
        boolean indexLast = !path.isEmpty() && path.getLast() instanceof Long;
        long index = path.size() == 1 && indexLast ? (Long) path.getFirst() : -1;
        String key = path.size() == 1 && !indexLast ? (String) path.getFirst() : null;
        switch (type) {
            case Instruction.UPDATE -> {
                BsonValue value = readPayload(in, interned, table, field);
                long priorSize = -1;
                boolean isDefault = false;
                if (indexLast) {
                    priorSize = VarInt.read(in);
                } else {
                    isDefault = VarInt.read(in) != 0;
                }
                if (path.isEmpty()) {
                    if (value == ERASED_VALUE) {
                        throw new BadChangesetException("an Update of " + table + "." + field + " erases a top-level field");
                    }
                    return new Instruction.Update(table, pk, field, value, isDefault);
                }
                if (path.size() == 1) {
                    return new Instruction.CollectionEdit(table, pk, field, type, index, key, value, -1, priorSize);
                }
                if (path.size() == 2 && path.get(1) instanceof String sub) {
                    // A sub-field of an embedded object in a list ([index, sub]) or dictionary ([key, sub]); or, inside a
                    // single embedded object, a nested embedded object's sub-field or a dictionary's key ([sub, name]).
                    Object first = path.getFirst();
                    return new Instruction.CollectionEdit(table, pk, field, type, first instanceof Long l ? l : -1,
                            first instanceof String k ? k : null, value, -1, -1, sub);
                }
                if (path.size() == 2 && path.getFirst() instanceof String sub && indexLast) {
                    // An element of a list inside a single embedded object ([sub, index]).
                    return new Instruction.CollectionEdit(table, pk, field, type, (Long) path.get(1), sub, value, -1, priorSize);
                }
            }
            case Instruction.ADD_INTEGER -> {
                long delta = VarInt.read(in);
                if (path.isEmpty()) {
                    return new Instruction.AddInteger(table, pk, field, delta);
                }
            }
            case Instruction.ARRAY_INSERT -> {
                BsonValue value = readPayload(in, interned, table, field);
                long priorSize = VarInt.read(in);
                if (path.size() == 1 && indexLast) {
                    return new Instruction.CollectionEdit(table, pk, field, type, index, null, value, -1, priorSize);
                }
                if (nestedListPath(path)) {
                    return new Instruction.CollectionEdit(table, pk, field, type, (Long) path.get(1), (String) path.getFirst(), value, -1, priorSize);
                }
            }
            case Instruction.ARRAY_MOVE -> {
                long to = VarInt.read(in);
                long priorSize = VarInt.read(in);
                if (path.size() == 1 && indexLast) {
                    return new Instruction.CollectionEdit(table, pk, field, type, index, null, null, to, priorSize);
                }
                if (nestedListPath(path)) {
                    return new Instruction.CollectionEdit(table, pk, field, type, (Long) path.get(1), (String) path.getFirst(), null, to, priorSize);
                }
            }
            case Instruction.ARRAY_ERASE -> {
                long priorSize = VarInt.read(in);
                if (path.size() == 1 && indexLast) {
                    return new Instruction.CollectionEdit(table, pk, field, type, index, null, null, -1, priorSize);
                }
                if (nestedListPath(path)) {
                    return new Instruction.CollectionEdit(table, pk, field, type, (Long) path.get(1), (String) path.getFirst(), null, -1, priorSize);
                }
            }
            case Instruction.CLEAR -> {
                VarInt.read(in); // prior size, ignored by realm-core too
                if (CLEAR_HAS_COLLECTION_TYPE) {
                    VarInt.read(in);
                }
                if (path.isEmpty()) {
                    return new Instruction.CollectionEdit(table, pk, field, type, -1, null, null, -1, -1);
                }
                if (path.size() == 1 && key != null) {
                    return new Instruction.CollectionEdit(table, pk, field, type, -1, key, null, -1, -1); // a collection inside an embedded object
                }
            }
            case Instruction.SET_INSERT, Instruction.SET_ERASE -> {
                BsonValue value = readPayload(in, interned, table, field);
                if (path.isEmpty()) {
                    return new Instruction.CollectionEdit(table, pk, field, type, -1, null, value, -1, -1);
                }
                if (path.size() == 1 && key != null) {
                    return new Instruction.CollectionEdit(table, pk, field, type, -1, key, value, -1, -1); // a set inside an embedded object
                }
            }
            default -> throw new BadChangesetException("unknown instruction type " + type);
        }
        return new Instruction.Unsupported(table, Instruction.NAMES[type] + " inside an embedded object or a nested collection", field);
    }

    /** A path {@code [name, index]}: an element of a list inside a single embedded object. */
    private static boolean nestedListPath(List<Object> path) {
        return path.size() == 2 && path.getFirst() instanceof String && path.get(1) instanceof Long;
    }

    /** A link value (realm-core's Link payload): the target class and the target's primary key. */
    static final String LINK_TARGET = "$link", LINK_KEY = "pk";

    static BsonDocument link(String target, BsonValue pk) {
        return new BsonDocument(LINK_TARGET, new BsonString(target)).append(LINK_KEY, pk);
    }

    static boolean isLink(BsonValue v) {
        return v instanceof BsonDocument d && d.containsKey(LINK_TARGET);
    }

    /** What MongoDB stores for a value: a link's primary key (App Services stored the target's _id), else the value. */
    static BsonValue stored(BsonValue v) {
        return isLink(v) ? v.asDocument().get(LINK_KEY) : v;
    }

    /** Whether realm-core 14 writes a collection type after a Clear's prior size (it does since nested collections). */
    static final boolean CLEAR_HAS_COLLECTION_TYPE = false;
    /** The payload that creates an embedded object (realm-core's ObjectValue): compared by identity. */
    static final BsonValue NEW_OBJECT = new org.bson.BsonMaxKey();

    private static String payloadName(int type) {
        return switch (type) {
            case BINARY -> "binary";
            case DECIMAL -> "decimal128";
            case DICTIONARY -> "nested dictionary (a collection inside a mixed)";
            case GLOBAL_KEY -> "object key";
            default -> type < 0 ? "nested collection (a collection inside a mixed)" : "type " + type;
        };
    }

    /** The payload of a dictionary Update that erases the key. */
    static final BsonValue ERASED_VALUE = new org.bson.BsonUndefined();

    private static BsonValue readPayload(ByteBuffer in, Map<Long, String> interned, String table, String field) {
        int type = (int) VarInt.read(in);
        return switch (type) {
            case NULL -> BsonNull.VALUE;
            case INT -> new BsonInt64(VarInt.read(in));
            case BOOL -> BsonBoolean.valueOf(VarInt.read(in) != 0);
            case STRING -> new BsonString(readString(in));
            case DOUBLE -> new BsonDouble(in.getDouble());
            case FLOAT -> new BsonDouble(in.getFloat()); // BSON has no float: stored as a double (exactly)
            case BINARY -> {
                long size = VarInt.read(in);
                if (size < 0 || size > in.remaining()) {
                    throw new BadChangesetException("a binary value runs past the end of the changeset");
                }
                byte[] bytes = new byte[(int) size];
                in.get(bytes);
                yield new BsonBinary(bytes);
            }
            case DECIMAL -> readDecimal(in);
            case TIMESTAMP -> {
                long seconds = VarInt.read(in);
                long nanos = VarInt.read(in);
                yield new BsonDateTime(seconds * 1000 + nanos / 1_000_000);
            }
            case OBJECT_ID -> new BsonObjectId(readObjectId(in));
            case UUID_TYPE -> uuid(readUuid(in));
            case ERASED -> ERASED_VALUE;
            case OBJECT_VALUE -> NEW_OBJECT;
            case LINK -> {
                String target = intern(in, interned);
                yield link(target, readPrimaryKey(in, interned));
            }
            default -> throw new BadChangesetException("field " + table + "." + field + " has a value of payload type "
                    + type + " (" + payloadName(type) + " values are not synced by this server yet)");
        };
    }

    private static BsonValue readPrimaryKey(ByteBuffer in, Map<Long, String> interned) {
        int type = (int) VarInt.read(in);
        return switch (type) {
            case NULL -> BsonNull.VALUE;
            case INT -> new BsonInt64(VarInt.read(in));
            case STRING -> new BsonString(intern(in, interned));
            case OBJECT_ID -> new BsonObjectId(readObjectId(in));
            case UUID_TYPE -> uuid(readUuid(in));
            case GLOBAL_KEY -> throw new BadChangesetException("objects without a primary key are not synced (flexible sync needs _id)");
            default -> throw new BadChangesetException("unsupported primary key type " + type);
        };
    }

    private static String intern(ByteBuffer in, Map<Long, String> interned) {
        long index = VarInt.read(in);
        String s = interned.get(index);
        if (s == null) {
            throw new BadChangesetException("interned string " + index + " used before it was defined");
        }
        return s;
    }

    private static String readString(ByteBuffer in) {
        long size = VarInt.read(in);
        if (size < 0 || size > in.remaining()) {
            throw new BadChangesetException("a string runs past the end of the changeset");
        }
        byte[] bytes = new byte[(int) size];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ObjectId readObjectId(ByteBuffer in) {
        byte[] bytes = new byte[12];
        in.get(bytes);
        return new ObjectId(bytes);
    }

    private static UUID readUuid(ByteBuffer in) {
        long high = in.order(ByteOrder.BIG_ENDIAN).getLong();
        long low = in.getLong();
        in.order(ByteOrder.LITTLE_ENDIAN);
        return new UUID(high, low);
    }

    static BsonBinary uuid(UUID uuid) {
        return new BsonBinary(uuid, UuidRepresentation.STANDARD);
    }

    // ---- encoding -------------------------------------------------------------------------------

    /** Encodes instructions (CreateObject, EraseObject and field Updates only) as one changeset. */
    static byte[] encode(List<Instruction> instructions) {
        Map<String, Integer> interned = new LinkedHashMap<>();
        for (Instruction i : instructions) {
            interned.putIfAbsent(i.table(), interned.size());
            if (i instanceof Instruction.Update u) {
                interned.putIfAbsent(u.field(), interned.size());
            }
            if (i instanceof Instruction.AddInteger a) {
                interned.putIfAbsent(a.field(), interned.size());
            }
            BsonValue carried = i instanceof Instruction.Update u ? u.value() : i instanceof Instruction.CollectionEdit e ? e.value() : null;
            if (carried != null && isLink(carried)) {
                interned.putIfAbsent(carried.asDocument().getString(LINK_TARGET).getValue(), interned.size());
                BsonValue linkPk = carried.asDocument().get(LINK_KEY);
                if (linkPk.isString()) {
                    interned.putIfAbsent(linkPk.asString().getValue(), interned.size());
                }
            }
            if (i instanceof Instruction.CollectionEdit e) {
                interned.putIfAbsent(e.field(), interned.size());
                if (e.key() != null) {
                    interned.putIfAbsent(e.key(), interned.size());
                }
                if (e.sub() != null) {
                    interned.putIfAbsent(e.sub(), interned.size());
                }
            }
            BsonValue pk = switch (i) {
                case Instruction.CreateObject c -> c.pk();
                case Instruction.EraseObject e -> e.pk();
                case Instruction.Update u -> u.pk();
                case Instruction.CollectionEdit e -> e.pk();
                case Instruction.AddInteger a -> a.pk();
                default -> throw new IllegalArgumentException("not encodable: " + i);
            };
            if (pk.isString()) {
                interned.putIfAbsent(pk.asString().getValue(), interned.size());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        interned.forEach((s, index) -> {
            VarInt.write(out, INTERN_STRING);
            VarInt.write(out, index);
            writeString(out, s);
        });
        for (Instruction i : instructions) {
            switch (i) {
                case Instruction.CreateObject c -> {
                    VarInt.write(out, Instruction.CREATE_OBJECT);
                    VarInt.write(out, interned.get(c.table()));
                    writePrimaryKey(out, c.pk(), interned);
                }
                case Instruction.EraseObject e -> {
                    VarInt.write(out, Instruction.ERASE_OBJECT);
                    VarInt.write(out, interned.get(e.table()));
                    writePrimaryKey(out, e.pk(), interned);
                }
                case Instruction.Update u -> {
                    writeTopLevelField(out, Instruction.UPDATE, u.table(), u.pk(), u.field(), interned);
                    writePayload(out, u.value(), interned);
                    VarInt.write(out, u.isDefault() ? 1 : 0);
                }
                case Instruction.CollectionEdit e -> writeCollectionEdit(out, e, interned);
                case Instruction.AddInteger a -> {
                    writeTopLevelField(out, Instruction.ADD_INTEGER, a.table(), a.pk(), a.field(), interned);
                    VarInt.write(out, a.delta());
                }
                default -> throw new IllegalArgumentException("not encodable: " + i);
            }
        }
        return out.toByteArray();
    }

    /** An instruction's type and its path to a top-level field of an object (an empty path after the field). */
    private static void writeTopLevelField(ByteArrayOutputStream out, int type, String table, BsonValue pk, String field,
                                           Map<String, Integer> interned) {
        VarInt.write(out, type);
        VarInt.write(out, interned.get(table));
        writePrimaryKey(out, pk, interned);
        VarInt.write(out, interned.get(field));
        VarInt.write(out, 0);
    }

    /** Clear, ArrayInsert, SetInsert and dictionary Update, the instructions downloads carry collections with. */
    private static void writeCollectionEdit(ByteArrayOutputStream out, Instruction.CollectionEdit e, Map<String, Integer> interned) {
        VarInt.write(out, e.type());
        VarInt.write(out, interned.get(e.table()));
        writePrimaryKey(out, e.pk(), interned);
        VarInt.write(out, interned.get(e.field()));
        int length = (e.key() != null ? 1 : 0) + (e.index() >= 0 ? 1 : 0) + (e.sub() != null ? 1 : 0);
        VarInt.write(out, length);
        if (e.key() != null) {
            VarInt.write(out, -1); // a string path element: a negative marker, then the interned key
            VarInt.write(out, interned.get(e.key()));
        }
        if (e.index() >= 0) {
            VarInt.write(out, e.index()); // a list index (after the name of a list inside an embedded object)
        }
        if (e.sub() != null) {
            VarInt.write(out, -1); // the sub-field of an embedded element
            VarInt.write(out, interned.get(e.sub()));
        }
        switch (e.type()) {
            case Instruction.CLEAR -> {
                VarInt.write(out, 0); // prior size (ignored)
                if (CLEAR_HAS_COLLECTION_TYPE) {
                    VarInt.write(out, e.to()); // the collection type, carried in `to` for a Clear
                }
            }
            case Instruction.ARRAY_INSERT -> {
                writePayload(out, e.value(), interned);
                VarInt.write(out, e.priorSize());
            }
            case Instruction.SET_INSERT, Instruction.SET_ERASE -> writePayload(out, e.value(), interned);
            case Instruction.UPDATE -> {
                writePayload(out, e.value(), interned);
                if (e.sub() != null || (e.key() != null && e.index() < 0)) {
                    VarInt.write(out, 0); // the path ends in a name: not a default value
                } else {
                    VarInt.write(out, e.priorSize()); // the path ends in an index: the list's size
                }
            }
            case Instruction.ARRAY_ERASE -> VarInt.write(out, e.priorSize());
            case Instruction.ARRAY_MOVE -> {
                VarInt.write(out, e.to());
                VarInt.write(out, e.priorSize());
            }
            default -> throw new IllegalArgumentException("not encodable: " + e);
        }
    }

    private static void writePrimaryKey(ByteArrayOutputStream out, BsonValue pk, Map<String, Integer> interned) {
        switch (pk.getBsonType()) {
            case NULL -> VarInt.write(out, NULL);
            case INT32, INT64 -> {
                VarInt.write(out, INT);
                VarInt.write(out, pk.asNumber().longValue());
            }
            case STRING -> {
                VarInt.write(out, STRING);
                VarInt.write(out, interned.get(pk.asString().getValue()));
            }
            case OBJECT_ID -> {
                VarInt.write(out, OBJECT_ID);
                out.writeBytes(pk.asObjectId().getValue().toByteArray());
            }
            case BINARY -> {
                VarInt.write(out, UUID_TYPE);
                out.writeBytes(pk.asBinary().getData());
            }
            default -> throw new IllegalArgumentException("unsupported primary key " + pk);
        }
    }

    /**
     * A primary key as the protocol names it in a compensating-write error ({@code rejectedUpdates[].pk}):
     * the key encoded as a changeset payload (type, then value), in base64.
     */
    static String base64PrimaryKey(BsonValue pk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writePayload(out, pk, Map.of());
        return java.util.Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static void writePayload(ByteArrayOutputStream out, BsonValue value, Map<String, Integer> interned) {
        switch (value.getBsonType()) {
            case NULL -> VarInt.write(out, NULL);
            case INT32, INT64 -> {
                VarInt.write(out, INT);
                VarInt.write(out, value.asNumber().longValue());
            }
            case BOOLEAN -> {
                VarInt.write(out, BOOL);
                VarInt.write(out, value.asBoolean().getValue() ? 1 : 0);
            }
            case STRING -> {
                VarInt.write(out, STRING);
                writeString(out, value.asString().getValue());
            }
            case DOUBLE -> {
                if (value instanceof RealmFloat) {
                    VarInt.write(out, FLOAT);
                    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) value.asDouble().getValue()).array());
                } else {
                    VarInt.write(out, DOUBLE);
                    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value.asDouble().getValue()).array());
                }
            }
            case DATE_TIME -> {
                long millis = value.asDateTime().getValue();
                VarInt.write(out, TIMESTAMP);
                VarInt.write(out, Math.floorDiv(millis, 1000));
                VarInt.write(out, Math.floorMod(millis, 1000) * 1_000_000L);
            }
            case OBJECT_ID -> {
                VarInt.write(out, OBJECT_ID);
                out.writeBytes(value.asObjectId().getValue().toByteArray());
            }
            case BINARY -> {
                if (value.asBinary().getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
                    VarInt.write(out, UUID_TYPE);
                    out.writeBytes(value.asBinary().getData());
                } else {
                    // Realm's binary (App Services stored BSON binData subtype 0; other subtypes are sent as their bytes).
                    VarInt.write(out, BINARY);
                    VarInt.write(out, value.asBinary().getData().length);
                    out.writeBytes(value.asBinary().getData());
                }
            }
            case UNDEFINED -> VarInt.write(out, ERASED);
            case MAX_KEY -> VarInt.write(out, OBJECT_VALUE);
            case DECIMAL128 -> {
                VarInt.write(out, DECIMAL);
                writeDecimal(out, value.asDecimal128().getValue());
            }
            case DOCUMENT -> {
                BsonDocument link = value.asDocument();
                if (!link.containsKey(LINK_TARGET)) {
                    throw new IllegalArgumentException("unsupported value: a sub-document");
                }
                VarInt.write(out, LINK);
                VarInt.write(out, interned.get(link.getString(LINK_TARGET).getValue()));
                writePrimaryKey(out, link.get(LINK_KEY), interned);
            }
            default -> throw new IllegalArgumentException("unsupported value " + value.getBsonType());
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        VarInt.write(out, bytes.length);
        out.writeBytes(bytes);
    }

    /**
     * A decimal128 as realm-core writes it: the coefficient (up to 113 bits) as a variable-length
     * unsigned integer, then the unbiased exponent and the sign as integers. Special values (NaN,
     * infinities) are refused: realm-core's own encoding of them loses their kind.
     */
    private static BsonValue readDecimal(ByteBuffer in) {
        java.math.BigInteger coefficient = java.math.BigInteger.ZERO;
        int part;
        int shift = 0;
        for (int i = 0; ; i++) {
            if (!in.hasRemaining() || i == 19) {
                throw new BadChangesetException("a decimal128 coefficient in the changeset is cut off or too long");
            }
            part = in.get() & 0xFF;
            if ((part & 0x80) == 0) {
                coefficient = coefficient.or(java.math.BigInteger.valueOf(part & 0x3F).shiftLeft(shift));
                break;
            }
            coefficient = coefficient.or(java.math.BigInteger.valueOf(part & 0x7F).shiftLeft(shift));
            shift += 7;
        }
        if ((part & 0x40) != 0 || coefficient.bitLength() > 113) {
            throw new BadChangesetException("a decimal128 coefficient out of range");
        }
        long exponent = VarInt.read(in);
        boolean negative = VarInt.read(in) != 0;
        if (exponent < -6176 || exponent > 6111) {
            throw new BadChangesetException("a decimal128 exponent out of range: " + exponent);
        }
        long low = coefficient.longValue();
        long high = coefficient.shiftRight(64).longValue() | ((exponent + 6176) << 49) | (negative ? Long.MIN_VALUE : 0);
        return new org.bson.BsonDecimal128(org.bson.types.Decimal128.fromIEEE754BIDEncoding(high, low));
    }

    private static void writeDecimal(ByteArrayOutputStream out, org.bson.types.Decimal128 d) {
        if (d.isNaN() || d.isInfinite()) {
            throw new IllegalArgumentException("NaN and infinite decimal128 values are not sent");
        }
        long high = d.getHigh();
        long low = d.getLow();
        boolean negative = high < 0;
        java.math.BigInteger coefficient;
        long exponent;
        if ((high & 0x6000000000000000L) == 0x6000000000000000L) {
            // The other BID form (coefficients above 2^113): never a valid decimal128 coefficient, so zero.
            coefficient = java.math.BigInteger.ZERO;
            exponent = ((high >>> 47) & 0x3FFF) - 6176;
        } else {
            coefficient = java.math.BigInteger.valueOf(high & 0x1FFFFFFFFFFFFL).shiftLeft(64)
                    .or(java.math.BigInteger.valueOf(low >>> 1).shiftLeft(1)).or(java.math.BigInteger.valueOf(low & 1));
            exponent = ((high >>> 49) & 0x3FFF) - 6176;
        }
        java.math.BigInteger rest = coefficient;
        while (rest.shiftRight(6).signum() != 0) {
            out.write(0x80 | (rest.intValue() & 0x7F));
            rest = rest.shiftRight(7);
        }
        out.write(rest.intValue());
        VarInt.write(out, exponent);
        VarInt.write(out, negative ? 1 : 0);
    }

    /**
     * A double sent as Realm's float (a property the schema declares {@code float}): BSON has no
     * float, so MongoDB holds a double and the schema says which way it goes back.
     */
    static final class RealmFloat extends BsonDouble {
        RealmFloat(double value) {
            super(value);
        }
    }

    /** A stored value as a property of this schema type is sent: a double as a float for {@code float}. */
    static BsonValue forSchemaType(String bsonType, BsonValue v) {
        return "float".equals(bsonType) && v instanceof BsonDouble d ? new RealmFloat(d.getValue()) : v;
    }

    /** A BSON int32 becomes the int64 Realm stores; other values stay as they are. */
    static BsonValue realmValue(BsonValue v) {
        return v instanceof BsonInt32 i ? new BsonInt64(i.getValue()) : v;
    }
}
