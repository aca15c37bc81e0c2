package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.diff.Change.Subject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static dev.thimble.runtime.diff.Values.code;

/**
 * Triggers: what sets them off (operation types, match, watched collection, schedule, auth action
 * and providers), which function they run, and whether they are enabled.
 */
final class TriggerChanges {
    private TriggerChanges() {
    }

    static void compare(AppModel before, AppModel after, ChangeLog log) {
        Map<String, ObjectNode> a = byName(before);
        Map<String, ObjectNode> b = byName(after);
        Pairing<ObjectNode> pairing = Pairing.of(a, b, (x, y) -> content(x).equals(content(y)));
        pairing.renamed.forEach((from, to) -> log.entity(Subject.TRIGGER, from)
                .renamed(to, "trigger " + code(from) + " renamed to " + code(to) + " (same settings)"));
        pairing.removed.forEach((name, t) -> log.entity(Subject.TRIGGER, name).removed("trigger " + code(name) + " removed"
                + " (it ran " + code(t.path("function_name").asText("")) + ")", content(t)));
        pairing.added.forEach((name, t) -> log.entity(Subject.TRIGGER, name).added("trigger " + code(name) + " added: "
                + describe(t), content(t)));
        for (String name : pairing.kept) {
            compare(log.entity(Subject.TRIGGER, name), "trigger " + code(name), content(a.get(name)), content(b.get(name)));
        }
    }

    private static Map<String, ObjectNode> byName(AppModel app) {
        Map<String, ObjectNode> triggers = new TreeMap<>();
        app.triggers().forEach(t -> triggers.put(t.name(), t.config().object()));
        return triggers;
    }

    private static ObjectNode content(ObjectNode trigger) {
        ObjectNode content = Values.without(trigger, "name", "id");
        if (content.get("config") instanceof ObjectNode config) {
            config.remove("service_id"); // resolved to service_name when read
        }
        return content;
    }

    /** "DATABASE on `todo.items` (INSERT), runs `onItemInserted`". */
    private static String describe(ObjectNode trigger) {
        JsonNode config = trigger.path("config");
        String type = trigger.path("type").asText("");
        String what = switch (type) {
            case "DATABASE" -> "fires on " + operations(Values.strings(config.get("operation_types"))) + " in "
                    + code(config.path("database").asText() + "." + config.path("collection").asText());
            case "SCHEDULED" -> "runs on schedule " + code(config.path("schedule").asText());
            case "AUTHENTICATION" -> "fires on " + config.path("action_type").asText("").toLowerCase(Locale.ROOT)
                    + " of users of " + Values.list(Values.strings(config.get("providers")));
            default -> type.toLowerCase(Locale.ROOT);
        };
        String function = trigger.path("function_name").asText("");
        return what + (function.isEmpty() ? "" : ", runs " + code(function))
                + (trigger.path("disabled").asBoolean(false) ? " (disabled)" : "");
    }

    private static String operations(List<String> types) {
        return types.isEmpty() ? "no operation" : String.join(", ", types.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
    }

    private static void compare(ChangeLog.Entity entity, String trigger, ObjectNode a, ObjectNode b) {
        FunctionChanges.flag(entity, "disabled", a, b, trigger + " is now disabled: it no longer fires", trigger + " is now enabled");
        String fnBefore = a.path("function_name").asText("");
        String fnAfter = b.path("function_name").asText("");
        if (!fnBefore.equals(fnAfter)) {
            entity.changed("function_name", trigger + " now runs " + code(fnAfter) + " instead of " + code(fnBefore),
                    Values.text(fnBefore), Values.text(fnAfter));
        }
        ObjectNode configA = a.get("config") instanceof ObjectNode c ? c.deepCopy() : a.objectNode();
        ObjectNode configB = b.get("config") instanceof ObjectNode c ? c.deepCopy() : b.objectNode();
        setChange(entity, "config.operation_types", trigger, "fires on", configA.remove("operation_types"), configB.remove("operation_types"), true);
        setChange(entity, "config.providers", trigger, "fires for users of", configA.remove("providers"), configB.remove("providers"), false);
        JsonNode matchBefore = configA.remove("match");
        JsonNode matchAfter = configB.remove("match");
        Grant matchA = Grant.NEVER.or(matchBefore);
        Grant matchB = Grant.NEVER.or(matchAfter);
        if (!matchA.equals(matchB) && !(matchA.never() && matchB.always() || matchA.always() && matchB.never())) {
            entity.changed("config.match", trigger + " now fires " + (matchB.always() || matchB.never() ? "for every change"
                    : "only for changes matching " + Values.show(matchAfter)) + " (was " + (matchA.always() || matchA.never()
                    ? "every change" : "only changes matching " + Values.show(matchBefore)) + ")", matchBefore, matchAfter);
        }
        String nsBefore = configA.path("database").asText("") + "." + configA.path("collection").asText("");
        String nsAfter = configB.path("database").asText("") + "." + configB.path("collection").asText("");
        if (!nsBefore.equals(nsAfter)) {
            entity.changed("config.collection", trigger + " now watches " + code(nsAfter) + " (was " + code(nsBefore) + ")",
                    Values.text(nsBefore), Values.text(nsAfter));
        }
        configA.remove(List.of("database", "collection"));
        configB.remove(List.of("database", "collection"));
        JsonNode scheduleBefore = configA.remove("schedule");
        JsonNode scheduleAfter = configB.remove("schedule");
        if (!Values.same(scheduleBefore, scheduleAfter)) {
            entity.changed("config.schedule", trigger + " now runs on schedule " + Values.show(scheduleAfter) + " (was "
                    + Values.show(scheduleBefore) + ")", scheduleBefore, scheduleAfter);
        }
        JsonDiff.record(entity, trigger, "config", configA, configB);
        JsonDiff.record(entity, trigger, "", Values.without(a, "disabled", "function_name", "config"),
                Values.without(b, "disabled", "function_name", "config"));
    }

    /** A list of names that works as a set: "now also fires on update", "no longer fires on delete". */
    private static void setChange(ChangeLog.Entity entity, String field, String trigger, String verb, JsonNode a, JsonNode b,
                                  boolean operationTypes) {
        List<String> was = Values.strings(a);
        List<String> is = Values.strings(b);
        List<String> gained = new ArrayList<>(is);
        gained.removeAll(was);
        List<String> lost = new ArrayList<>(was);
        lost.removeAll(is);
        List<String> parts = new ArrayList<>();
        if (!gained.isEmpty()) {
            parts.add("now also " + verb + " " + (operationTypes ? words(gained) : Values.list(gained)));
        }
        if (!lost.isEmpty()) {
            parts.add("no longer " + verb + " " + (operationTypes ? words(lost) : Values.list(lost)));
        }
        if (!parts.isEmpty()) {
            entity.changed(field, trigger + " " + String.join("; ", parts), a, b);
        }
    }

    private static String words(List<String> names) {
        List<String> lower = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        return lower.size() == 1 ? lower.getFirst() : String.join(", ", lower.subList(0, lower.size() - 1)) + " and " + lower.getLast();
    }
}
