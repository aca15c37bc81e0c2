package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static dev.thimble.runtime.diff.Values.code;

/**
 * A collection's JSON schema, told by document field: "field `diagnosis` added (…)", "`name` now
 * required", "`ward`: `bsonType` "string" → "int"", rather than by schema keyword path.
 */
final class SchemaChanges {
    private SchemaChanges() {
    }

    static void compare(ChangeLog.Entity entity, String where, JsonNode a, JsonNode b) {
        String what = where + "schema";
        for (JsonDiff.Leaf leaf : JsonDiff.leaves(a, b)) {
            Located at = locate(leaf.path());
            String field = leaf.path().isEmpty() ? "schema" : "schema." + leaf.path();
            String docField = at.field.isEmpty() ? "the document" : code(at.field);
            if (at.keyword.equals("required") && isArrayOrNull(leaf.before()) && isArrayOrNull(leaf.after())) {
                List<String> was = Values.strings(leaf.before());
                List<String> is = Values.strings(leaf.after());
                List<String> now = new ArrayList<>(is);
                now.removeAll(was);
                List<String> no = new ArrayList<>(was);
                no.removeAll(is);
                String prefix = at.field.isEmpty() ? "" : at.field + ".";
                if (!now.isEmpty()) {
                    entity.changed(field, what + ": " + Values.list(now.stream().map(n -> prefix + n).toList()) + " now required",
                            leaf.before(), leaf.after());
                }
                if (!no.isEmpty()) {
                    entity.changed(field, what + ": " + Values.list(no.stream().map(n -> prefix + n).toList()) + " no longer required",
                            leaf.before(), leaf.after());
                }
                continue;
            }
            String sentence;
            if (at.keyword.isEmpty() && !at.field.isEmpty()) {
                sentence = leaf.before() == null ? what + ": field " + docField + " added (" + Values.show(leaf.after()) + ")"
                        : leaf.after() == null ? what + ": field " + docField + " removed"
                        : what + ": field " + docField + " " + Values.show(leaf.before()) + " → " + Values.show(leaf.after());
            } else if (leaf.path().isEmpty()) {
                sentence = leaf.before() == null ? what + " added" : leaf.after() == null ? what + " removed: writes are no longer checked"
                        : what + " " + Values.show(leaf.before()) + " → " + Values.show(leaf.after());
            } else {
                String keyword = code(at.keyword);
                sentence = leaf.before() == null ? what + " of " + docField + ": " + keyword + " now " + Values.show(leaf.after())
                        : leaf.after() == null ? what + " of " + docField + ": " + keyword + " no longer set (was " + Values.show(leaf.before()) + ")"
                        : what + " of " + docField + ": " + keyword + " " + Values.show(leaf.before()) + " → " + Values.show(leaf.after());
            }
            entity.changed(field, sentence, leaf.before(), leaf.after());
        }
    }

    private static boolean isArrayOrNull(JsonNode node) {
        return node == null || node.isArray();
    }

    /** A schema path split into the document field it is about ({@code a.b}, {@code a[].b}) and the keyword path below it. */
    private record Located(String field, String keyword) {
    }

    private static Located locate(String path) {
        if (path.isEmpty()) {
            return new Located("", "");
        }
        String[] parts = path.split("\\.");
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (i < parts.length) {
            if (parts[i].equals("properties") && i + 1 < parts.length) {
                field.append(field.isEmpty() ? "" : ".").append(parts[i + 1]);
                i += 2;
            } else if (parts[i].equals("items") && !field.isEmpty() && i + 1 < parts.length && parts[i + 1].equals("properties")) {
                field.append("[]");
                i += 1;
            } else {
                break;
            }
        }
        String keyword = String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length));
        return new Located(field.toString(), keyword);
    }
}
