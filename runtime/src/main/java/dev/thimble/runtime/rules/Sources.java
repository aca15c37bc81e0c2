package dev.thimble.runtime.rules;

import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.util.List;
import java.util.Map;

/** Rule source text for explanations, made at compile time (relaxed Extended JSON, cut to a readable length). */
final class Sources {
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    private static final int LIMIT = 200;

    private Sources() {
    }

    static String json(Object value) {
        StringBuilder b = new StringBuilder();
        append(b, value);
        return b.length() > LIMIT ? b.substring(0, LIMIT - 3) + "..." : b.toString();
    }

    private static void append(StringBuilder b, Object value) {
        if (b.length() > LIMIT) {
            return;
        }
        switch (value) {
            case null -> b.append("null");
            case String s -> quote(b, s);
            case Boolean bool -> b.append(bool);
            case Integer i -> b.append(i);
            case Long l -> b.append(l);
            case Map<?, ?> map -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    b.append(first ? "" : ", ");
                    quote(b, String.valueOf(e.getKey()));
                    b.append(": ");
                    append(b, e.getValue());
                    first = false;
                }
                b.append('}');
            }
            case List<?> list -> {
                b.append('[');
                for (int i = 0; i < list.size(); i++) {
                    b.append(i == 0 ? "" : ", ");
                    append(b, list.get(i));
                }
                b.append(']');
            }
            default -> {
                String text = new Document("v", value).toJson(RELAXED);
                b.append(text, 6, text.length() - 1);
            }
        }
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
