package dev.thimble.runtime.apps;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.thimble.runtime.app.Json;

import java.util.Optional;

/**
 * JSON as text in an editor: formatted the way bundle files are ({@code JSON.stringify(x, null, 2)}),
 * and checked with the position of the first error so the editor can point at it.
 */
public final class JsonText {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    /** A JSON syntax error at a 1-based line and column. */
    public record JsonError(int line, int column, String message) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column + ": " + message;
        }
    }

    private JsonText() {
    }

    public static String format(Json json) {
        return format(json.object());
    }

    public static String format(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Parses any JSON value (object, array, string, number, true, false, null). */
    public static JsonNode parseValue(String text) throws InvalidJsonException {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new InvalidJsonException(new JsonError(1, 1, "there is no value; write JSON, e.g. \"text\", 42 or {}"));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(toError(e));
        }
    }

    /** Parses a JSON object (what every bundle config file is). */
    public static Json parseObject(String text) throws InvalidJsonException {
        JsonNode node = parseValue(text);
        if (!node.isObject()) {
            throw new InvalidJsonException(new JsonError(1, 1, "expected a JSON object { ... }"));
        }
        return Json.of((com.fasterxml.jackson.databind.node.ObjectNode) node);
    }

    /** The first error of an object's text, or empty when it is a valid JSON object. */
    public static Optional<JsonError> checkObject(String text) {
        try {
            parseObject(text);
            return Optional.empty();
        } catch (InvalidJsonException e) {
            return Optional.of(e.error());
        }
    }

    private static JsonError toError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String message = e.getOriginalMessage() == null ? "not valid JSON" : e.getOriginalMessage();
        int cut = message.indexOf("\n");
        if (cut > 0) {
            message = message.substring(0, cut);
        }
        return new JsonError(at == null ? 1 : Math.max(1, at.getLineNr()), at == null ? 1 : Math.max(1, at.getColumnNr()), message);
    }

    /** Text that is not the JSON it should be. */
    public static final class InvalidJsonException extends Exception {
        private final JsonError error;

        InvalidJsonException(JsonError error) {
            super(error.toString());
            this.error = error;
        }

        public JsonError error() {
            return error;
        }
    }
}
