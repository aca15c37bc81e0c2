package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The leaves where two JSON values differ: objects are compared key by key (key order does not
 * matter), everything else (arrays, scalars) as a whole. The fallback for settings that have no
 * sentence of their own.
 */
final class JsonDiff {
    /** One differing leaf: its dotted path and the old and new value (null when absent). */
    record Leaf(String path, JsonNode before, JsonNode after) {
    }

    private JsonDiff() {
    }

    static List<Leaf> leaves(JsonNode before, JsonNode after) {
        List<Leaf> leaves = new ArrayList<>();
        walk("", before, after, leaves);
        return leaves;
    }

    private static void walk(String path, JsonNode before, JsonNode after, List<Leaf> leaves) {
        if (Values.same(before, after)) {
            return;
        }
        if (before != null && after != null && before.isObject() && after.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(keys::add);
            after.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                walk(path.isEmpty() ? key : path + "." + key, Values.field(before, key), Values.field(after, key), leaves);
            }
            return;
        }
        leaves.add(new Leaf(path, before, after));
    }

    /** A field that holds a secret or names one: its values are never shown. */
    static boolean secret(String fieldPath) {
        for (String part : fieldPath.split("\\.")) {
            if (part.equals("secret") || part.equals("secret_config") || part.equals("password")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records each differing leaf of two settings objects as "{@code <what>}: `path` X → Y", with
     * "now set to" and "no longer set" for a field that appears or disappears.
     */
    static void record(ChangeLog.Entity entity, String what, String fieldPrefix, JsonNode before, JsonNode after) {
        for (Leaf leaf : leaves(before, after)) {
            String field = fieldPrefix.isEmpty() ? leaf.path() : leaf.path().isEmpty() ? fieldPrefix : fieldPrefix + "." + leaf.path();
            String shownPath = Values.code(leaf.path().isEmpty() ? fieldPrefix : leaf.path());
            if (secret(field)) {
                entity.changedHidden(field, what + ": " + shownPath + (leaf.before() == null ? " now set" : leaf.after() == null
                        ? " no longer set" : " changed") + " (secret settings are not shown)");
                continue;
            }
            String sentence;
            if (leaf.before() == null) {
                sentence = what + ": " + shownPath + " now set to " + Values.show(leaf.after());
            } else if (leaf.after() == null) {
                sentence = what + ": " + shownPath + " no longer set (was " + Values.show(leaf.before()) + ")";
            } else {
                sentence = what + ": " + shownPath + " " + Values.show(leaf.before()) + " → " + Values.show(leaf.after());
            }
            entity.changed(field, sentence, leaf.before(), leaf.after());
        }
    }
}
