package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Small helpers for JSON values in change sentences. */
final class Values {
    private static final int SHOWN = 80;

    private Values() {
    }

    static JsonNode text(String text) {
        return text == null ? null : JsonNodeFactory.instance.textNode(text);
    }

    /** A name in code quotes: {@code `nurse`}. */
    static String code(String name) {
        return "`" + name + "`";
    }

    /** A value in a sentence: compact JSON, cut at 80 characters; "(none)" when absent. */
    static String show(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "(none)";
        }
        String text = value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN - 1) + "…";
    }

    /** The field of an object, or null when absent (never a missing node). */
    static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode value = object.get(name);
        return value == null || value.isMissingNode() ? null : value;
    }

    /** A copy of {@code object} without the named top-level fields (ids, names: what is not content). */
    static ObjectNode without(ObjectNode object, String... fields) {
        ObjectNode copy = object.deepCopy();
        for (String field : fields) {
            copy.remove(field);
        }
        return copy;
    }

    /** The texts of an array of strings (other elements shown as JSON); empty when not an array. */
    static List<String> strings(JsonNode array) {
        List<String> texts = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(e -> texts.add(e.isTextual() ? e.asText() : e.toString()));
        }
        return texts;
    }

    /** {@code a}, {@code a and b}, {@code a, b and c} (each in code quotes). */
    static String list(List<String> names) {
        List<String> quoted = names.stream().map(Values::code).toList();
        if (quoted.size() <= 1) {
            return String.join("", quoted);
        }
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " and " + quoted.getLast();
    }

    static boolean same(JsonNode a, JsonNode b) {
        return a == null ? b == null : a.equals(b);
    }
}
