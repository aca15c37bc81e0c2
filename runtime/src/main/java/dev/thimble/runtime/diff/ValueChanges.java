package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.diff.Change.Subject;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.thimble.runtime.diff.Values.code;

/**
 * Values, secrets and environments. Secrets are compared by name; when both bundles carry a value for
 * a secret (legacy {@code secrets.json}, an inline webhook secret), a changed value is reported by the
 * secret's name only, never with either value.
 */
final class ValueChanges {
    private ValueChanges() {
    }

    static void values(AppModel before, AppModel after, ChangeLog log) {
        Map<String, ObjectNode> a = new TreeMap<>();
        Map<String, ObjectNode> b = new TreeMap<>();
        before.values().forEach(v -> a.put(v.name(), Values.without(v.config().object(), "name", "id")));
        after.values().forEach(v -> b.put(v.name(), Values.without(v.config().object(), "name", "id")));
        Pairing<ObjectNode> pairing = Pairing.of(a, b, ObjectNode::equals);
        pairing.renamed.forEach((from, to) -> log.entity(Subject.VALUE, from)
                .renamed(to, "value " + code(from) + " renamed to " + code(to) + " (same value)"));
        pairing.removed.forEach((name, v) -> log.entity(Subject.VALUE, name).removed("value " + code(name) + " removed", v));
        pairing.added.forEach((name, v) -> log.entity(Subject.VALUE, name).added("value " + code(name) + " added: " + shown(v), v));
        for (String name : pairing.kept) {
            ObjectNode x = a.get(name);
            ObjectNode y = b.get(name);
            if (!x.equals(y)) {
                log.entity(Subject.VALUE, name).changed("value", "value " + code(name) + " now " + shown(y) + " (was " + shown(x) + ")",
                        x.get("value"), y.get("value"));
            }
        }
    }

    /** "200", or "the value of secret `apiKey`" for a value that comes from a secret. */
    private static String shown(ObjectNode value) {
        return value.path("from_secret").asBoolean(false) ? "the value of secret " + code(value.path("value").asText()) : Values.show(value.get("value"));
    }

    static void secrets(AppModel before, Map<String, String> valuesBefore, AppModel after, Map<String, String> valuesAfter,
                        ChangeLog log) {
        TreeSet<String> a = new TreeSet<>(before.secretNames());
        TreeSet<String> b = new TreeSet<>(after.secretNames());
        for (String name : a) {
            if (!b.contains(name)) {
                log.entity(Subject.SECRET, name).removed("secret " + code(name) + " removed", null);
            }
        }
        for (String name : b) {
            if (!a.contains(name)) {
                log.entity(Subject.SECRET, name).added("secret " + code(name) + " added", null);
            }
        }
        TreeSet<String> withValues = new TreeSet<>(valuesBefore.keySet());
        withValues.retainAll(valuesAfter.keySet());
        for (String name : withValues) {
            if (!valuesBefore.get(name).equals(valuesAfter.get(name))) {
                log.entity(Subject.SECRET, name).changedHidden("value", "secret " + code(name) + ": value changed (values are not shown)");
            }
        }
    }

    static void environments(AppModel before, AppModel after, ChangeLog log) {
        Map<String, JsonNode> a = new TreeMap<>();
        Map<String, JsonNode> b = new TreeMap<>();
        before.environments().forEach(e -> a.put(e.tag(), e.config().object()));
        after.environments().forEach(e -> b.put(e.tag(), e.config().object()));
        Pairing<JsonNode> pairing = Pairing.of(a, b, (x, y) -> false);
        pairing.removed.forEach((tag, e) -> log.entity(Subject.ENVIRONMENT, tag).removed("environment " + code(tag) + " removed", e));
        pairing.added.forEach((tag, e) -> log.entity(Subject.ENVIRONMENT, tag).added("environment " + code(tag) + " added", e));
        for (String tag : pairing.kept) {
            JsonDiff.record(log.entity(Subject.ENVIRONMENT, tag), "environment " + code(tag), "", a.get(tag), b.get(tag));
        }
    }

}
