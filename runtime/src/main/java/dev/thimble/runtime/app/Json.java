package dev.thimble.runtime.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable JSON object: one config file of an app bundle (or a part of one), exactly as read,
 * unknown fields included. Jackson nodes are mutable, so this class copies on the way in and on the
 * way out; equality is deep and ignores key order.
 */
public final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Json EMPTY = new Json(JsonNodeFactory.instance.objectNode());

    private final ObjectNode node;

    private Json(ObjectNode node) {
        this.node = node;
    }

    public static Json of(ObjectNode node) {
        return new Json(node.deepCopy());
    }

    public static Json empty() {
        return EMPTY;
    }

    /** Parses a JSON object; throws {@link IllegalArgumentException} with the parser's message otherwise. */
    public static Json parse(String text) {
        try {
            JsonNode parsed = MAPPER.readTree(text);
            if (!(parsed instanceof ObjectNode object)) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return new Json(object);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** A mutable copy of the whole object. */
    public ObjectNode object() {
        return node.deepCopy();
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** A copy of a field's value, or null when absent. */
    public JsonNode get(String field) {
        JsonNode value = node.get(field);
        return value == null ? null : value.deepCopy();
    }

    /** The field as text, or {@code fallback} when absent, null or not a string. */
    public String text(String field, String fallback) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : fallback;
    }

    public String text(String field) {
        return text(field, null);
    }

    public boolean bool(String field, boolean fallback) {
        JsonNode value = node.get(field);
        return value != null && value.isBoolean() ? value.asBoolean() : fallback;
    }

    /** The field as an object, or an empty object when absent or not an object. */
    public Json obj(String field) {
        JsonNode value = node.get(field);
        return value instanceof ObjectNode object ? new Json(object.deepCopy()) : EMPTY;
    }

    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A copy with one field set (or removed when {@code value} is null). */
    public Json with(String field, JsonNode value) {
        ObjectNode copy = node.deepCopy();
        if (value == null) {
            copy.remove(field);
        } else {
            copy.set(field, value.deepCopy());
        }
        return new Json(copy);
    }

    public Json with(String field, String value) {
        return with(field, value == null ? null : JsonNodeFactory.instance.textNode(value));
    }

    public Json without(String field) {
        return with(field, (JsonNode) null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Json json && node.equals(json.node);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(node);
    }

    @Override
    public String toString() {
        return node.toString();
    }

    /** The object as a bundle file prints it ({@code JSON.stringify(value, null, 2)} and a newline), keys in this object's order. */
    public String toFileText() {
        return JsonFiles.text(node);
    }
}
