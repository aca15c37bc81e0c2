package dev.thimble.runtime.sync;

import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** realm-core's changeset encoding, checked against bytes the real client (core 14.12.0) uploaded. */
class ChangesetsTest {
    /** The schema changeset the real client uploaded for the test app's Item class (captured from a session). */
    static final String CLIENT_SCHEMA_CHANGESET = "3f00044974656d3f01035f6964000000010a003f02086f776e65725f69643f03000600020300003f04046e616d65"
            + "0600040300003f050570726963650600050701003f06087175616e746974790600060101003f0708696e5f73746f636b0600070201003f0805"
            + "61646465640600080501003f09046e6f7465060009030100";

    @Test
    void variableLengthIntegersMatchCoresEncoding() {
        assertThat(encode(0)).isEqualTo("00");
        assertThat(encode(63)).isEqualTo("3f");
        assertThat(encode(64)).isEqualTo("c000");
        assertThat(encode(-1)).isEqualTo("40");
        assertThat(encode(-64)).isEqualTo("7f");
        for (long v : new long[]{0, 1, -1, 63, 64, -65, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VarInt.write(out, v);
            assertThat(VarInt.read(ByteBuffer.wrap(out.toByteArray()))).isEqualTo(v);
        }
    }

    @Test
    void readsTheSchemaChangesetTheRealClientUploads() {
        List<Instruction> parsed = Changesets.parse(HexFormat.of().parseHex(CLIENT_SCHEMA_CHANGESET));
        assertThat(parsed.getFirst()).isEqualTo(new Instruction.AddTable("Item", "_id", Changesets.OBJECT_ID, false, false));
        assertThat(parsed.subList(1, parsed.size())).containsExactly(
                new Instruction.AddColumn("Item", "owner_id", Changesets.STRING, false, 0),
                new Instruction.AddColumn("Item", "name", Changesets.STRING, false, 0),
                new Instruction.AddColumn("Item", "price", Changesets.DOUBLE, true, 0),
                new Instruction.AddColumn("Item", "quantity", Changesets.INT, true, 0),
                new Instruction.AddColumn("Item", "in_stock", Changesets.BOOL, true, 0),
                new Instruction.AddColumn("Item", "added", Changesets.TIMESTAMP, true, 0),
                new Instruction.AddColumn("Item", "note", Changesets.STRING, true, 0));
    }

    @Test
    void objectInstructionsSurviveAnEncodeParseRoundTrip() {
        BsonObjectId pk = new BsonObjectId(new ObjectId());
        List<Instruction> instructions = List.of(
                new Instruction.CreateObject("Item", pk),
                new Instruction.Update("Item", pk, "name", new BsonString("lamp"), false),
                new Instruction.Update("Item", pk, "price", new BsonDouble(12.5), false),
                new Instruction.Update("Item", pk, "quantity", new BsonInt64(-3), false),
                new Instruction.Update("Item", pk, "in_stock", BsonBoolean.TRUE, false),
                new Instruction.Update("Item", pk, "added", new BsonDateTime(1_700_000_000_123L), false),
                new Instruction.Update("Item", pk, "note", BsonNull.VALUE, true),
                new Instruction.EraseObject("Item", new BsonString("by-name")));
        assertThat(Changesets.parse(Changesets.encode(instructions))).isEqualTo(instructions);
    }

    @Test
    void aListInsertIsParsedAsACollectionEdit() {
        // ArrayInsert (8) on Item["x"].tags[0] of the string "a": table 0, pk string "x" (intern 2), field 1, path [0], prior size 0.
        String hex = "3f00044974656d" + "3f010474616773" + "3f020178" + "08" + "00" + "0302" + "01" + "0100" + "030161" + "00";
        List<Instruction> parsed = Changesets.parse(HexFormat.of().parseHex(hex));
        assertThat(parsed).containsExactly(new Instruction.CollectionEdit("Item", new BsonString("x"), "tags", Instruction.ARRAY_INSERT,
                0, null, new BsonString("a"), -1, 0));
    }

    @Test
    void collectionEditsSurviveAnEncodeParseRoundTrip() {
        BsonObjectId pk = new BsonObjectId(new ObjectId());
        List<Instruction> instructions = List.of(
                new Instruction.CreateObject("Item", pk),
                new Instruction.CollectionEdit("Item", pk, "tags", Instruction.CLEAR, -1, null, null, -1, -1),
                new Instruction.CollectionEdit("Item", pk, "tags", Instruction.ARRAY_INSERT, 0, null, new BsonString("a"), -1, 0),
                new Instruction.CollectionEdit("Item", pk, "tags", Instruction.ARRAY_MOVE, 0, null, null, 1, 2),
                new Instruction.CollectionEdit("Item", pk, "tags", Instruction.ARRAY_ERASE, 1, null, null, -1, 2),
                new Instruction.CollectionEdit("Item", pk, "tags", Instruction.UPDATE, 0, null, new BsonInt64(7), -1, 1),
                new Instruction.CollectionEdit("Item", pk, "labels", Instruction.SET_INSERT, -1, null, new BsonString("red"), -1, -1),
                new Instruction.CollectionEdit("Item", pk, "labels", Instruction.SET_ERASE, -1, null, new BsonString("red"), -1, -1),
                new Instruction.CollectionEdit("Item", pk, "attrs", Instruction.UPDATE, -1, "color", new BsonString("blue"), -1, -1),
                new Instruction.CollectionEdit("Item", pk, "attrs", Instruction.UPDATE, -1, "size", Changesets.ERASED_VALUE, -1, -1));
        assertThat(Changesets.parse(Changesets.encode(instructions))).isEqualTo(instructions);
    }

    @Test
    void embeddedObjectInstructionsSurviveAnEncodeParseRoundTrip() {
        BsonObjectId pk = new BsonObjectId(new ObjectId());
        List<Instruction> instructions = List.of(
                new Instruction.CreateObject("Parcel", pk),
                new Instruction.Update("Parcel", pk, "address", Changesets.NEW_OBJECT, false),
                new Instruction.CollectionEdit("Parcel", pk, "address", Instruction.UPDATE, -1, "city", new BsonString("Oslo"), -1, -1),
                new Instruction.CollectionEdit("Parcel", pk, "stops", Instruction.ARRAY_INSERT, 0, null, Changesets.NEW_OBJECT, -1, 0),
                new Instruction.CollectionEdit("Parcel", pk, "stops", Instruction.UPDATE, 0, null, new BsonString("a"), -1, -1, "street"),
                new Instruction.CollectionEdit("Parcel", pk, "rooms", Instruction.UPDATE, -1, "kitchen", Changesets.NEW_OBJECT, -1, -1),
                new Instruction.CollectionEdit("Parcel", pk, "rooms", Instruction.UPDATE, -1, "kitchen", new BsonInt64(2), -1, -1, "floor"),
                new Instruction.Update("Parcel", pk, "address", BsonNull.VALUE, false));
        List<Instruction> parsed = Changesets.parse(Changesets.encode(instructions));
        assertThat(parsed).isEqualTo(instructions);
        // The creation payload is the one marker instance the server compares by identity.
        assertThat(((Instruction.Update) parsed.get(1)).value()).isSameAs(Changesets.NEW_OBJECT);
    }

    @Test
    void binaryDecimalAndFloatValuesRoundTripAndACounterIncrementIsParsed() {
        BsonValue pk = new BsonString("x");
        List<Instruction> instructions = new java.util.ArrayList<>(List.of(new Instruction.CreateObject("Item", pk),
                new Instruction.Update("Item", pk, "blob", new org.bson.BsonBinary(new byte[]{0, 1, (byte) 0xff}), false),
                new Instruction.Update("Item", pk, "empty", new org.bson.BsonBinary(new byte[0]), false)));
        for (String d : List.of("0", "1.5", "-0.001", "12345678901234567890.123", "9999999999999999999999999999999999", "1E-6176", "-7E+6111")) {
            instructions.add(new Instruction.Update("Item", pk, "amount", new org.bson.BsonDecimal128(org.bson.types.Decimal128.parse(d)), false));
        }
        List<Instruction> parsed = Changesets.parse(Changesets.encode(instructions));
        assertThat(parsed).isEqualTo(instructions);

        // A float property's double goes out as Realm's float (payload 6, four bytes) and comes back as the same double.
        byte[] asFloat = Changesets.encode(List.of(new Instruction.Update("Item", pk, "ratio", Changesets.forSchemaType("float", new BsonDouble(0.25)), false)));
        assertThat(HexFormat.of().formatHex(asFloat)).contains("06" + "0000803e");
        assertThat(((Instruction.Update) Changesets.parse(asFloat).getFirst()).value()).isEqualTo(new BsonDouble(0.25));

        // CreateObject Item "counted" then AddInteger (5) of 5 on Item["counted"].quantity, as realm-core writes it.
        String hex = "3f00044974656d" + "3f01087175616e74697479" + "3f0207636f756e746564"
                + "02" + "00" + "0302" + "05" + "00" + "0302" + "01" + "00" + "05";
        assertThat(Changesets.parse(HexFormat.of().parseHex(hex))).containsExactly(new Instruction.CreateObject("Item", new BsonString("counted")),
                new Instruction.AddInteger("Item", new BsonString("counted"), "quantity", 5));
        // The server sends increments the same way (decision record "sync counters"), negative ones too.
        List<Instruction> decrement = List.of(new Instruction.CreateObject("Item", new BsonString("counted")),
                new Instruction.AddInteger("Item", new BsonString("counted"), "quantity", -300));
        assertThat(Changesets.parse(Changesets.encode(decrement))).isEqualTo(decrement);
    }

    @Test
    void aListElementInsideAnEmbeddedObjectParsesAndDeeperPathsAreNamedForRefusal() {
        // Update (4) of Item["x"].tags at path ["c", 0]: element 0 of list "c" inside the embedded object in "tags".
        String hex = "3f00044974656d" + "3f010474616773" + "3f020178" + "3f030163" + "04" + "00" + "0302" + "01" + "02" + "4003" + "00"
                + "030161" + "00";
        assertThat(Changesets.parse(HexFormat.of().parseHex(hex))).containsExactly(new Instruction.CollectionEdit("Item", new BsonString("x"),
                "tags", Instruction.UPDATE, 0, "c", new BsonString("a"), -1, 0));
        // Path ["c", 0, "c"]: deeper than this server syncs.
        String deeper = "3f00044974656d" + "3f010474616773" + "3f020178" + "3f030163" + "04" + "00" + "0302" + "01" + "03" + "4003" + "00"
                + "4003" + "030161" + "00";
        assertThat(Changesets.parse(HexFormat.of().parseHex(deeper))).singleElement().isInstanceOf(Instruction.Unsupported.class);
    }

    @Test
    void aTruncatedChangesetIsABadChangeset() {
        assertThatThrownBy(() -> Changesets.parse(HexFormat.of().parseHex("3f0004497465")))
                .isInstanceOf(BadChangesetException.class)
                .hasMessageContaining("past the end");
    }

    private static String encode(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VarInt.write(out, v);
        return HexFormat.of().formatHex(out.toByteArray());
    }
}
