package dev.thimble.runtime.auth;

import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.util.Map;

/** Turns BSON (custom user data) into the plain JSON values a JWT claim holds, as relaxed Extended JSON. */
final class JsonClaims {
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private JsonClaims() {
    }

    static Map<String, Object> toPlain(Document document) {
        try {
            return com.nimbusds.jose.util.JSONObjectUtils.parse(document.toJson(RELAXED));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("custom user data is not representable as JSON", e);
        }
    }
}
