package dev.thimble.runtime.functions;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;


/**
 * The boundary format between Java and JavaScript: canonical Extended JSON of {@code {"v": value}}.
 * The bootstrap's {@code fromWire}/{@code toWireValue} are the other half. A string crosses the
 * boundary in one call, where walking a document member by member would cost a call per field.
 */
final class Wire {
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private Wire() {
    }

    static String toWire(BsonValue value) {
        return new BsonDocument("v", value).toJson(CANONICAL);
    }

    static BsonValue fromWire(String json) {
        return BsonDocument.parse(json).get("v");
    }

    /**
     * The arguments as Java values JavaScript receives as the same primitives {@code fromWire} makes of their wire
     * text (Int32 and Double as numbers, strings, booleans, null), or null when one is of another type: most calls
     * pass a few such values, and skip writing and parsing the text (decision 0047).
     */
    static Object[] plain(org.bson.BsonArray arguments) {
        Object[] out = new Object[arguments.size()];
        for (int i = 0; i < out.length; i++) {
            BsonValue v = arguments.get(i);
            switch (v.getBsonType()) {
                case INT32 -> out[i] = v.asInt32().getValue();
                case DOUBLE -> out[i] = v.asDouble().getValue();
                case STRING -> out[i] = v.asString().getValue();
                case BOOLEAN -> out[i] = v.asBoolean().getValue();
                case NULL -> out[i] = null;
                default -> {
                    return null;
                }
            }
        }
        return out;
    }

    /**
     * A JavaScript result whose {@code typeof} is {@code number}, {@code string} or {@code boolean} as the bootstrap's
     * {@code toWireValue} converts it (a number: Int32 when it is an integer in Int32's range and not -0, else Double),
     * without the text; null for any other type.
     */
    static BsonValue primitive(org.graalvm.polyglot.Value value, String type) {
        switch (type) {
            case "number" -> {
                double d = value.asDouble();
                boolean int32 = d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE
                        && !(d == 0 && Double.doubleToRawLongBits(d) != 0);
                return int32 ? new org.bson.BsonInt32((int) d) : new org.bson.BsonDouble(d);
            }
            case "string" -> {
                return new org.bson.BsonString(value.asString());
            }
            case "boolean" -> {
                return org.bson.BsonBoolean.valueOf(value.asBoolean());
            }
            default -> {
                return null;
            }
        }
    }
}
