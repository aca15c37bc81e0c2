package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The canonical text of a bundle's JSON files: what {@code JSON.stringify(value, null, 2)} prints,
 * plus a trailing newline, as UTF-8 with LF line ends. Keys are printed in the node's order (the
 * writer orders top-level keys first). Numbers are printed the way Jackson reads them back into the
 * same node ({@code 1.5}, {@code 1.0E10}), so a written file reads back into an equal model.
 */
final class JsonFiles {
    private JsonFiles() {
    }

    static byte[] bytes(JsonNode value) {
        return text(value).getBytes(StandardCharsets.UTF_8);
    }

    static String text(JsonNode value) {
        StringBuilder out = new StringBuilder();
        print(value, 0, out);
        return out.append('\n').toString();
    }

    private static void print(JsonNode value, int depth, StringBuilder out) {
        if (value.isObject()) {
            if (value.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = value.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                newline(depth + 1, out);
                string(field.getKey(), out);
                out.append(": ");
                print(field.getValue(), depth + 1, out);
                if (fields.hasNext()) {
                    out.append(',');
                }
            }
            newline(depth, out);
            out.append('}');
        } else if (value.isArray()) {
            if (value.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                newline(depth + 1, out);
                print(value.get(i), depth + 1, out);
                if (i < value.size() - 1) {
                    out.append(',');
                }
            }
            newline(depth, out);
            out.append(']');
        } else if (value.isTextual()) {
            string(value.textValue(), out);
        } else if (value.isMissingNode()) {
            out.append("null");
        } else {
            // numbers, booleans, null: Jackson's own JSON form reads back as the same node type
            out.append(value);
        }
    }

    private static void newline(int depth, StringBuilder out) {
        out.append('\n');
        out.append("  ".repeat(depth));
    }

    /** A JSON string literal escaped like JSON.stringify: only quotes, backslashes, controls and lone surrogates. */
    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || loneSurrogate(s, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean loneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
