package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A permission as a rule grants it: never, always, or when one of some rule expressions holds. Rule
 * permissions combine by "or" (a document-level {@code read}, a field's {@code read}, and any
 * {@code write}, since write implies read), so two ways of writing the same permission compare equal.
 */
record Grant(boolean always, Set<JsonNode> when) {
    static final Grant NEVER = new Grant(false, Set.of());
    static final Grant ALWAYS = new Grant(true, Set.of());

    Grant {
        when = always ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(when));
    }

    /** This grant, or also when {@code expression} holds: {@code true}, {@code {}} and {@code {"%%true": true}} always hold. */
    Grant or(JsonNode expression) {
        if (always || expression == null || expression.isNull() || expression.isMissingNode()) {
            return this;
        }
        if (expression.isBoolean()) {
            return expression.asBoolean() ? ALWAYS : this;
        }
        if (expression.isObject() && (expression.isEmpty()
                || expression.size() == 1 && expression.has("%%true") && expression.get("%%true").equals(com.fasterxml.jackson.databind.node.BooleanNode.TRUE))) {
            return ALWAYS;
        }
        Set<JsonNode> more = new LinkedHashSet<>(when);
        more.add(expression);
        return new Grant(false, more);
    }

    Grant or(Grant other) {
        if (always || other.always) {
            return ALWAYS;
        }
        Grant result = this;
        for (JsonNode expression : other.when) {
            result = result.or(expression);
        }
        return result;
    }

    boolean never() {
        return !always && when.isEmpty();
    }

    /** "always", "never" or "when {…} or {…}". */
    String describe() {
        if (always) {
            return "always";
        }
        if (when.isEmpty()) {
            return "never";
        }
        return "when " + when.stream().map(Values::show).collect(Collectors.joining(" or "));
    }

    /**
     * The sentence for a permission that went from {@code before} to {@code after}, e.g.
     * "role `nurse` gains read on `diagnosis`", "role `nurse`: write on `notes` now only when {…} (was always)".
     */
    static String change(String who, String permission, Grant before, Grant after) {
        if (before.never()) {
            return who + " gains " + permission + (after.always ? "" : " " + after.describe());
        }
        if (after.never()) {
            return who + " loses " + permission;
        }
        if (before.always) {
            return who + ": " + permission + " now only " + after.describe() + " (was always)";
        }
        if (after.always) {
            return who + ": " + permission + " now always (was only " + before.describe() + ")";
        }
        return who + ": " + permission + " now " + after.describe() + " (was " + before.describe() + ")";
    }

    /** The grant as JSON for the change's before/after: true, false, or the list of expressions. */
    JsonNode toJson() {
        if (always || when.isEmpty()) {
            return com.fasterxml.jackson.databind.node.BooleanNode.valueOf(always);
        }
        var array = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        when.forEach(array::add);
        return array;
    }
}
