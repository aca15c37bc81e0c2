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
}
