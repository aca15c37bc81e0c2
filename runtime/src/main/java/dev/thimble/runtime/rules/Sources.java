package dev.thimble.runtime.rules;

import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** Rule source text for explanations, made at compile time. */
final class Sources {
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    private static final int LIMIT = 200;

    private Sources() {
    }

    static String json(Object value) {
        String text;
        if (value instanceof String s) {
            text = new Document("v", s).toJson(RELAXED);
            text = text.substring(text.indexOf(':') + 2, text.length() - 1);
        } else {
            text = new Document("v", value).toJson(RELAXED);
            text = text.substring(6, text.length() - 1);
        }
        return text.length() > LIMIT ? text.substring(0, LIMIT - 3) + "..." : text;
    }
}
