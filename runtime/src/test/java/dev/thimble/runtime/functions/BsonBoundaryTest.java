package dev.thimble.runtime.functions;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.run;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/** Arguments become JS values and results become BSON again, exactly, for every type. */
class BsonBoundaryTest {
    private static final String OID = "5f1d7b2c9d3e2a0012345678";
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                .function("echo", "exports = (x) => x;")
                .function("describe", """
                        exports = function(v) {
                          if (v === null) return 'null';
                          if (v === undefined) return 'undefined';
                          if (v instanceof BSON.Long) return 'Long ' + v.toString();
                          if (v instanceof BSON.ObjectId) return 'ObjectId ' + v.toHexString();
                          if (v instanceof BSON.Decimal128) return 'Decimal128 ' + v.toString();
                          if (v instanceof BSON.Binary) return 'Binary ' + v.sub_type + ' ' + v.toHex();
                          if (v instanceof BSON.BSONRegExp) return 'BSONRegExp ' + v.pattern + ' ' + v.options;
                          if (v instanceof BSON.Timestamp) return 'Timestamp ' + v.t + ' ' + v.i;
                          if (v instanceof BSON.MinKey) return 'MinKey';
                          if (v instanceof BSON.MaxKey) return 'MaxKey';
                          if (v instanceof BSON.Code) return 'Code ' + v.code;
                          if (v instanceof Date) return 'Date ' + v.toISOString();
                          if (v instanceof RegExp) return 'RegExp ' + String(v);
                          if (Array.isArray(v)) return 'Array ' + v.length;
                          return typeof v + ' ' + JSON.stringify(v);
                        };
                        """)
                .function("eval", "exports = function(source) { return (0, eval)(source); };")
                .function("objectIdFacts", """
                        exports = function(id, upper) {
                          let parsedBadText;
                          try { EJSON.parse('{"$oid": "not-an-object-id"}', { relaxed: false }); parsedBadText = 'accepted'; }
                          catch (e) { parsedBadText = e instanceof TypeError; }
                          return [id instanceof BSON.ObjectId, id.toHexString(), id.equals(upper), id.equals(new BSON.ObjectId(upper)),
                                  EJSON.stringify(id).slice(9, 33), parsedBadText];
                        };
                        """)
                .build()).limits(Functions.TEST_LIMITS).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static Stream<Arguments> everyType() {
        return Stream.of(
                Arguments.of(new BsonInt32(-7), "number -7"),
                Arguments.of(new BsonInt64(9007199254740993L), "Long 9007199254740993"),
                Arguments.of(new BsonDouble(2.5), "number 2.5"),
                Arguments.of(new BsonDouble(-0.0), "number 0"),
                Arguments.of(new BsonDouble(Double.NaN), "number null"),
                Arguments.of(new BsonDouble(1e300), "number 1e+300"),
                Arguments.of(new BsonDecimal128(Decimal128.parse("1.10")), "Decimal128 1.10"),
                Arguments.of(new BsonObjectId(new ObjectId(OID)), "ObjectId " + OID),
                Arguments.of(new BsonDateTime(1557126489010L), "Date 2019-05-06T07:08:09.010Z"),
                Arguments.of(new BsonBinary(HexFormat.of().parseHex("deadbeef")), "Binary 0 deadbeef"),
                Arguments.of(new BsonBinary((byte) 4, HexFormat.of().parseHex("00112233445566778899aabbccddeeff")), "Binary 4 00112233445566778899aabbccddeeff"),
                Arguments.of(new BsonRegularExpression("a/b+", "i"), "RegExp /a\\/b+/i"),
                Arguments.of(new BsonRegularExpression("a b", "ix"), "BSONRegExp a b ix"),
                Arguments.of(new BsonTimestamp(1700000000, 3), "Timestamp 1700000000 3"),
                Arguments.of(BsonNull.VALUE, "null"),
                Arguments.of(new BsonUndefined(), "undefined"),
                Arguments.of(new BsonString("héllo ✓"), "string \"héllo ✓\""),
                Arguments.of(BsonBoolean.TRUE, "boolean true"),
                Arguments.of(new BsonMinKey(), "MinKey"),
                Arguments.of(new BsonMaxKey(), "MaxKey"),
                Arguments.of(new BsonJavaScript("function() {}"), "Code function() {}"),
                Arguments.of(new BsonArray(List.of(new BsonInt32(1), new BsonString("two"))), "Array 2"),
                Arguments.of(new BsonDocument("a", new BsonDocument("b", new BsonInt32(1))), "object {\"a\":{\"b\":1}}"));
    }

    @ParameterizedTest(name = "{0} arrives as {1}")
    @MethodSource("everyType")
    void eachBsonTypeArrivesAsTheExpectedJsValue(BsonValue value, String expected) {
        assertThat(value(engine, "describe", value)).isEqualTo(new BsonString(expected));
    }

    @ParameterizedTest(name = "{0} round-trips")
    @MethodSource("everyType")
    void eachBsonTypeRoundTripsExactly(BsonValue value, String ignored) {
        assertThat(value(engine, "echo", value)).isEqualTo(value);
    }

    @Test
    void aDocumentWithEveryTypeRoundTripsExactly() {
        BsonDocument all = new BsonDocument();
        everyType().forEach(a -> all.append("f" + all.size(), (BsonValue) a.get()[0]));
        all.append("__proto__", new BsonString("kept as data"));
        assertThat(value(engine, "echo", all)).isEqualTo(all);
    }

    @Test
    void anIntegralDoubleComesBackAsInt32LikeTheNodeDriverStoresIt() {
        assertThat(value(engine, "echo", new BsonDouble(3.0))).isEqualTo(new BsonInt32(3));
    }

    @Test
    void jsValuesBecomeTheExpectedBson() {
        BsonValue made = value(engine, "eval", new BsonString("""
                ({ int: 5, double: 2.5, big: 5e9, negZero: -0, long: BSON.Long.fromString('9007199254740993'),
                   int32: new BSON.Int32(7), explicitDouble: new BSON.Double(3), decimal: BSON.Decimal128.fromString('1.10'),
                   oid: new BSON.ObjectId('%s'), date: new Date(1557126489010), bin: BSON.Binary.fromHex('deadbeef'),
                   uuid: BSON.Binary.fromBase64('ABEiM0RVZneImaq7zN3u/w==', 4), re: /ab+c/gi, bre: new BSON.BSONRegExp('a', 'xi'),
                   nul: null, und: undefined, min: new BSON.MinKey(), max: new BSON.MaxKey(), ts: new BSON.Timestamp({ t: 5, i: 1 }),
                   arr: [1, 'two', [3]], nested: { a: { b: true } }, bigint: 5n, bytes: new Uint8Array([1, 2]), fn: function() {} })
                """.formatted(OID)));
        assertThat(made).isEqualTo(ejson("""
                { "int": {"$numberInt": "5"}, "double": {"$numberDouble": "2.5"}, "big": {"$numberDouble": "5000000000.0"},
                  "negZero": {"$numberDouble": "-0.0"}, "long": {"$numberLong": "9007199254740993"},
                  "int32": {"$numberInt": "7"}, "explicitDouble": {"$numberDouble": "3.0"}, "decimal": {"$numberDecimal": "1.10"},
                  "oid": {"$oid": "%s"}, "date": {"$date": {"$numberLong": "1557126489010"}},
                  "bin": {"$binary": {"base64": "3q2+7w==", "subType": "00"}},
                  "uuid": {"$binary": {"base64": "ABEiM0RVZneImaq7zN3u/w==", "subType": "04"}},
                  "re": {"$regularExpression": {"pattern": "ab+c", "options": "i"}},
                  "bre": {"$regularExpression": {"pattern": "a", "options": "ix"}},
                  "nul": null, "und": {"$undefined": true}, "min": {"$minKey": 1}, "max": {"$maxKey": 1},
                  "ts": {"$timestamp": {"t": 5, "i": 1}},
                  "arr": [{"$numberInt": "1"}, "two", [{"$numberInt": "3"}]], "nested": {"a": {"b": true}},
                  "bigint": {"$numberLong": "5"}, "bytes": {"$binary": {"base64": "AQI=", "subType": "00"}} }
                """.formatted(OID)));
    }

    /**
     * A number, string or boolean result is converted by the host without the wire text (decision 0047): the same
     * BSON as the text gave, for plain and awaited results; a BigInt (also an interop number) still becomes an Int64.
     */
    @ParameterizedTest(name = "{0} returns {1}")
    @MethodSource("primitiveResults")
    void aPrimitiveResultBecomesTheSameBsonAsItsWireText(String expression, BsonValue expected) {
        assertThat(value(engine, "eval", new BsonString(expression))).isEqualTo(expected);
        assertThat(value(engine, "eval", new BsonString("Promise.resolve(" + expression + ")"))).as("awaited").isEqualTo(expected);
        assertThat(value(engine, "eval", new BsonString("[" + expression + "]"))).as("inside an array (the wire text)")
                .isEqualTo(new BsonArray(List.of(expected)));
    }

    static Stream<Arguments> primitiveResults() {
        return Stream.of(
                Arguments.of("3", new BsonInt32(3)),
                Arguments.of("-2147483648", new BsonInt32(Integer.MIN_VALUE)),
                Arguments.of("2147483648", new BsonDouble(2147483648.0)),
                Arguments.of("6 / 2", new BsonInt32(3)),
                Arguments.of("2.5", new BsonDouble(2.5)),
                Arguments.of("-0", new BsonDouble(-0.0)),
                Arguments.of("0", new BsonInt32(0)),
                Arguments.of("NaN", new BsonDouble(Double.NaN)),
                Arguments.of("-Infinity", new BsonDouble(Double.NEGATIVE_INFINITY)),
                Arguments.of("5e9", new BsonDouble(5e9)),
                Arguments.of("5n", new BsonInt64(5)),
                Arguments.of("'héllo ✓ \\ud800'", new BsonString("héllo ✓ \ud800")),
                Arguments.of("''", new BsonString("")),
                Arguments.of("false", BsonBoolean.FALSE),
                Arguments.of("null", BsonNull.VALUE),
                Arguments.of("new Number(4)", new BsonInt32(4)));
    }

    /** Several plain arguments arrive as the same JS values the wire text gave (decision 0047 passes them as they are). */
    @Test
    void plainArgumentsArriveAsTheSamePrimitives() {
        try (FunctionEngine types = FunctionEngine.builder(TestApp.app()
                .function("types", "exports = (...a) => a.map((v) => (Object.is(v, -0) ? '-0' : typeof v + ':' + String(v)) + (Array.isArray(a) ? '' : '!')).join(',');")
                .build()).limits(Functions.TEST_LIMITS).build()) {
            assertThat(value(types, "types", new BsonInt32(7), new BsonDouble(-0.0), new BsonDouble(2.0), new BsonDouble(Double.NaN),
                    new BsonString("s"), BsonBoolean.TRUE, BsonNull.VALUE))
                    .isEqualTo(new BsonString("number:7,-0,number:2,number:NaN,string:s,boolean:true,object:null"));
            assertThat(value(types, "types", new BsonInt32(7), new BsonInt64(7)))
                    .as("with an argument of another type all go as wire text").isEqualTo(new BsonString("number:7,object:7"));
        }
    }

    @Test
    void returningNothingGivesUndefined() {
        assertThat(value(engine, "eval", new BsonString("undefined"))).isEqualTo(new BsonUndefined());
    }

    @Test
    void aCyclicResultIsAClearError() {
        FunctionResult result = run(engine, "eval", new BsonString("const a = {}; a.self = a; a"));
        assertThat(result.error().kind()).isEqualTo(FunctionError.Kind.THROWN);
        assertThat(result.error().message()).isEqualTo("function 'eval' returned a value that cannot be converted to BSON: the value is nested more than 100 levels deep (is it cyclic?)");
    }

    @Test
    void ejsonStringifyWritesCanonicalAndRelaxedForms() {
        String value = "({ a: 1, b: 2.5, c: BSON.Long.fromString('5'), d: new Date(0), e: new BSON.ObjectId('%s'), f: BSON.Decimal128.fromString('0.1') })".formatted(OID);
        assertThat(value(engine, "eval", new BsonString("EJSON.stringify(" + value + ", { relaxed: false })"))).isEqualTo(new BsonString(
                "{\"a\":{\"$numberInt\":\"1\"},\"b\":{\"$numberDouble\":\"2.5\"},\"c\":{\"$numberLong\":\"5\"},"
                        + "\"d\":{\"$date\":{\"$numberLong\":\"0\"}},\"e\":{\"$oid\":\"" + OID + "\"},\"f\":{\"$numberDecimal\":\"0.1\"}}"));
        assertThat(value(engine, "eval", new BsonString("EJSON.stringify(" + value + ")"))).isEqualTo(new BsonString(
                "{\"a\":1,\"b\":2.5,\"c\":5,\"d\":{\"$date\":\"1970-01-01T00:00:00.000Z\"},\"e\":{\"$oid\":\"" + OID + "\"},\"f\":{\"$numberDecimal\":\"0.1\"}}"));
    }

    @Test
    void ejsonParseReadsCanonicalStrictlyAndRelaxedLoosely() {
        String text = "'{\"i\":{\"$numberInt\":\"1\"},\"l\":{\"$numberLong\":\"5\"},\"big\":{\"$numberLong\":\"9007199254740993\"},\"d\":{\"$date\":\"2020-01-01T00:00:00Z\"},\"legacy\":{\"$regex\":\"a\",\"$options\":\"i\"}}'";
        assertThat(value(engine, "eval", new BsonString("const p = EJSON.parse(" + text + ", { relaxed: false });"
                + "[p.i instanceof BSON.Int32, p.l instanceof BSON.Long, p.d instanceof Date, p.legacy instanceof BSON.BSONRegExp]")))
                .isEqualTo(ejson("[true, true, true, true]"));
        assertThat(value(engine, "eval", new BsonString("const p = EJSON.parse(" + text + ");"
                + "[typeof p.i, typeof p.l, p.big instanceof BSON.Long, p.d.getTime()]")))
                .isEqualTo(ejson("[\"number\", \"number\", true, {\"$numberDouble\": \"1577836800000.0\"}]"));
    }

    /** An ObjectId the host hands over (an argument, a database answer) is a whole ObjectId; text a function parses is checked. */
    @Test
    void anObjectIdFromTheHostIsAWholeObjectIdAndParsedTextIsStillChecked() {
        assertThat(value(engine, "objectIdFacts", new BsonObjectId(new ObjectId(OID)), new BsonString(OID.toUpperCase())))
                .isEqualTo(ejson("[true, \"%s\", true, true, \"%s\", true]".formatted(OID, OID)));
    }

    @Test
    void objectIdHasHexStringEqualsAndTimestamp() {
        assertThat(value(engine, "eval", new BsonString("""
                const id = new BSON.ObjectId('%s');
                [id.toHexString(), id.equals('%s'), id.equals(new BSON.ObjectId('%s')), id.equals(new BSON.ObjectId()),
                 id.getTimestamp().toISOString(), /^[0-9a-f]{24}$/.test(new BSON.ObjectId().toHexString())]
                """.formatted(OID, OID.toUpperCase(), OID))))
                .isEqualTo(ejson("[\"%s\", true, true, false, \"2020-07-26T12:46:36.000Z\", true]".formatted(OID)));
    }

    @Test
    void binaryConvertsBetweenHexBase64AndText() {
        assertThat(value(engine, "eval", new BsonString("""
                const b = BSON.Binary.fromHex('48656c6c6f');
                [b.text(), b.toBase64(), BSON.Binary.fromBase64('SGVsbG8=').toHex(), b.sub_type, b.length(),
                 Array.from(b.buffer).join(','), BSON.Binary.fromText('ok').toHex()]
                """))).isEqualTo(ejson("[\"Hello\", \"SGVsbG8=\", \"48656c6c6f\", 0, 5, \"72,101,108,108,111\", \"6f6b\"]"));
    }

    @Test
    void longKeepsAllSixtyFourBits() {
        assertThat(value(engine, "eval", new BsonString("""
                const l = BSON.Long.fromString('9223372036854775807');
                [l.toString(), BSON.Long.fromString('9007199254740993').add(1).toString(), l.equals('9223372036854775807'),
                 BSON.Long.fromNumber(42).toNumber(), BSON.Long.fromInt(-3).isNegative()]
                """))).isEqualTo(ejson("[\"9223372036854775807\", \"9007199254740994\", true, 42, true]"));
    }

    @Test
    void decimal128Int32DoubleMinKeyMaxKeyAndBsonRegExpExist() {
        assertThat(value(engine, "eval", new BsonString("""
                [BSON.Decimal128.fromString('12345678901234567890.123').toString(), new BSON.Int32('12') + 1,
                 new BSON.Double(1.5) * 2, new BSON.MinKey() instanceof BSON.MinKey, new BSON.MaxKey() instanceof BSON.MaxKey,
                 new BSON.BSONRegExp('^a', 'mi').options]
                """))).isEqualTo(ejson("[\"12345678901234567890.123\", 13, 3, true, true, \"im\"]"));
    }

    @Test
    void anInvalidDecimalIsATypeError() {
        FunctionResult result = run(engine, "eval", new BsonString("BSON.Decimal128.fromString('abc')"));
        assertThat(result.error().name()).isEqualTo("TypeError");
        assertThat(result.error().message()).isEqualTo("Decimal128: not a decimal number: abc");
    }
}
