package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.diff.Change.Subject;

import java.util.Map;
import java.util.TreeMap;

import static dev.thimble.runtime.diff.Values.code;

/**
 * Functions: added, removed, renamed (same source and settings under a new name), source changed,
 * and settings that change who may call a function and with what rights.
 */
final class FunctionChanges {
    private FunctionChanges() {
    }

    static void compare(AppModel before, AppModel after, ChangeLog log) {
        Pairing<FunctionDef> pairing = Pairing.of(byName(before), byName(after),
                (a, b) -> a.source().equals(b.source()) && settings(a).equals(settings(b)));
        Map<String, String> exact = new TreeMap<>(pairing.renamed);
        pairing.alsoRenamed((a, b) -> !a.source().isBlank() && a.source().equals(b.source()));
        pairing.renamed.forEach((from, to) -> {
            ChangeLog.Entity entity = log.entity(Subject.FUNCTION, from);
            if (exact.containsKey(from)) {
                entity.renamed(to, "function " + code(from) + " renamed to " + code(to) + " (same source and settings)");
            } else {
                entity.renamed(to, "function " + code(from) + " renamed to " + code(to) + " (same source)");
                FunctionDef a = before.function(from).orElseThrow();
                FunctionDef b = after.function(to).orElseThrow();
                settingChanges(log.entity(Subject.FUNCTION, to), to, settings(a), settings(b));
            }
        });
        pairing.removed.forEach((name, f) -> log.entity(Subject.FUNCTION, name)
                .removed("function " + code(name) + " removed" + callers(f), settings(f)));
        pairing.added.forEach((name, f) -> log.entity(Subject.FUNCTION, name)
                .added("function " + code(name) + " added" + callers(f), settings(f)));
        for (String name : pairing.kept) {
            FunctionDef a = before.function(name).orElseThrow();
            FunctionDef b = after.function(name).orElseThrow();
            ChangeLog.Entity entity = log.entity(Subject.FUNCTION, name);
            settingChanges(entity, name, settings(a), settings(b));
            if (!a.source().equals(b.source())) {
                entity.changed("source", "function " + code(name) + ": source changed (" + SourceLines.summary(a.source(), b.source()) + ")",
                        null, null);
            }
        }
    }

    private static Map<String, FunctionDef> byName(AppModel app) {
        Map<String, FunctionDef> functions = new TreeMap<>();
        app.functions().forEach(f -> functions.put(f.name(), f));
        return functions;
    }

    /** The config without what identifies it (name, id). */
    private static ObjectNode settings(FunctionDef function) {
        return Values.without(function.config().object(), "name", "id");
    }

    private static String callers(FunctionDef function) {
        if (function.runAsSystem()) {
            return function.isPrivate() ? " (private, runs as system)" : " (clients may call it; runs as system)";
        }
        return function.isPrivate() ? " (private)" : " (clients may call it)";
    }

    private static void settingChanges(ChangeLog.Entity entity, String name, ObjectNode a, ObjectNode b) {
        String fn = "function " + code(name);
        flag(entity, "private", a, b, fn + " becomes private: clients can no longer call it",
                fn + " is no longer private: clients may call it");
        flag(entity, "run_as_system", a, b, fn + " now runs as system: the rules no longer apply to what it does",
                fn + " no longer runs as system: the rules now apply to what it does");
        JsonNode evaluateBefore = Values.field(a, "can_evaluate");
        JsonNode evaluateAfter = Values.field(b, "can_evaluate");
        if (!Values.same(evaluateBefore, evaluateAfter)) {
            entity.changed("can_evaluate", fn + ": who may call it changed: can_evaluate " + Values.show(evaluateBefore)
                    + " → " + Values.show(evaluateAfter), evaluateBefore, evaluateAfter);
        }
        JsonDiff.record(entity, fn, "", Values.without(a, "private", "run_as_system", "can_evaluate"),
                Values.without(b, "private", "run_as_system", "can_evaluate"));
    }

    /** A boolean setting (absent = false) turned on or off. */
    static void flag(ChangeLog.Entity entity, String field, JsonNode a, JsonNode b, String turnedOn, String turnedOff) {
        boolean was = Values.field(a, field) != null && Values.field(a, field).asBoolean(false);
        boolean is = Values.field(b, field) != null && Values.field(b, field).asBoolean(false);
        if (was != is) {
            entity.changed(field, is ? turnedOn : turnedOff, BooleanNode.valueOf(was), BooleanNode.valueOf(is));
        }
    }
}
