package dev.thimble.workbench.editors.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One field of a config file's form: a scalar (text, number, true/false) or a list of strings at a
 * path up to two levels deep ({@code function_name}, {@code config.database}). {@link #fieldsOf}
 * lists them in file order; {@link #set} writes a value back into the JSON. No JavaFX.
 */
public record FormField(String path, Kind kind, String value) {

    public enum Kind { TEXT, NUMBER, BOOLEAN, TEXT_LIST }

    /** The form's fields of a config object, in the file's order; objects and other arrays are left to the JSON. */
    public static List<FormField> fieldsOf(ObjectNode root) {
        List<FormField> out = new ArrayList<>();
        collect(root, "", out, 0);
        return out;
    }

    private static void collect(ObjectNode node, String prefix, List<FormField> out, int depth) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String path = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                out.add(new FormField(path, Kind.TEXT, v.asText()));
            } else if (v.isBoolean()) {
                out.add(new FormField(path, Kind.BOOLEAN, Boolean.toString(v.asBoolean())));
            } else if (v.isNumber()) {
                out.add(new FormField(path, Kind.NUMBER, v.asText()));
            } else if (v.isArray() && allText(v)) {
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(item.asText()));
                out.add(new FormField(path, Kind.TEXT_LIST, String.join(", ", items)));
            } else if (v.isObject() && depth == 0) {
                collect((ObjectNode) v, path + ".", out, depth + 1);
            }
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code text} into {@code root} at this field's path, as this field's kind.
     *
     * @throws IllegalArgumentException when a number field gets something that is not a number
     */
    public void set(ObjectNode root, String text) {
        String[] parts = path.split("\\.", 2);
        ObjectNode parent = parts.length == 1 ? root : (ObjectNode) root.get(parts[0]);
        String key = parts.length == 1 ? parts[0] : parts[1];
        switch (kind) {
            case TEXT -> parent.put(key, text);
            case BOOLEAN -> parent.put(key, Boolean.parseBoolean(text));
            case NUMBER -> {
                try {
                    parent.set(key, text.contains(".") ? JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(text.strip()))
                            : JsonNodeFactory.instance.numberNode(Long.parseLong(text.strip())));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(path + " must be a number, not '" + text + "'.");
                }
            }
            case TEXT_LIST -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                for (String item : text.split(",")) {
                    if (!item.isBlank()) {
                        array.add(item.strip());
                    }
                }
                parent.set(key, array);
            }
        }
    }
}
