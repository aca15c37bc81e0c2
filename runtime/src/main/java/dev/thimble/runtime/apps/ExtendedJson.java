package dev.thimble.runtime.apps;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonParseException;
import org.bson.json.JsonWriterSettings;

/**
 * Extended JSON as people read and type it in the workbench: relaxed mode ({@code {"$oid": ...}},
 * plain numbers), indented; parsing names what was expected when the text is not that.
 */
public final class ExtendedJson {
    private static final JsonWriterSettings PRETTY = JsonWriterSettings.builder()
            .outputMode(JsonMode.RELAXED).indent(true).indentCharacters("  ").build();
    private static final JsonWriterSettings ONE_LINE = JsonWriterSettings.builder()
            .outputMode(JsonMode.RELAXED).build();
    private static final String WRAP = "v";

    private ExtendedJson() {
    }

    /** Any BSON value, indented ({@code "text"}, {@code 42}, {@code {...}}). */
    public static String format(BsonValue value) {
        return render(value, PRETTY);
    }

    /** Any BSON value on one line, for table cells. */
    public static String oneLine(BsonValue value) {
        return render(value, ONE_LINE);
    }

    private static String render(BsonValue value, JsonWriterSettings settings) {
        if (value == null) {
            return "null";
        }
        if (value.isDocument()) {
            return value.asDocument().toJson(settings);
        }
        // the writer only writes documents: write {"v": value} and cut the value out of it
        String wrapped = new BsonDocument(WRAP, value).toJson(settings);
        int start = wrapped.indexOf(':') + 1;
        int end = wrapped.lastIndexOf('}');
        String inner = wrapped.substring(start, end).strip();
        return settings == PRETTY ? inner.replace("\n  ", "\n") : inner;
    }

    /**
     * Parses a document.
     *
     * @param what names the text in the message, e.g. "The filter"
     * @throws IllegalArgumentException saying what is wrong and what a document looks like
     */
    public static BsonDocument parseDocument(String text, String what) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            return new BsonDocument();
        }
        if (!trimmed.startsWith("{")) {
            throw new IllegalArgumentException(what + " must be an Extended JSON document, e.g. {\"name\": \"milk\"}; it starts with '"
                    + trimmed.charAt(0) + "'.");
        }
        try {
            return BsonDocument.parse(trimmed);
        } catch (JsonParseException | org.bson.BsonInvalidOperationException e) {
            throw new IllegalArgumentException(what + " is not valid Extended JSON: " + e.getMessage());
        }
    }

    /**
     * Parses an array (a function's arguments).
     *
     * @throws IllegalArgumentException saying what is wrong and what an array looks like
     */
    public static BsonArray parseArray(String text, String what) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            return new BsonArray();
        }
        if (!trimmed.startsWith("[")) {
            throw new IllegalArgumentException(what + " must be an Extended JSON array, e.g. [\"milk\", {\"$oid\": \"5f...\"}]; it starts with '"
                    + trimmed.charAt(0) + "'.");
        }
        try {
            return BsonDocument.parse("{\"" + WRAP + "\": " + trimmed + "\n}").getArray(WRAP);
        } catch (JsonParseException | org.bson.BsonInvalidOperationException e) {
            throw new IllegalArgumentException(what + " is not a valid Extended JSON array: " + e.getMessage());
        }
    }
}
