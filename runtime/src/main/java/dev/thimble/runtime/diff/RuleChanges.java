package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.diff.Change.Subject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.thimble.runtime.diff.Values.code;

/**
 * The rules of MongoDB collections, and each MongoDB service's default rule: roles added, removed,
 * renamed and reordered (a document gets the first role that applies, so order matters), what each
 * role may do, filters, and the schema.
 */
final class RuleChanges {
    private RuleChanges() {
    }

    static void compare(AppModel before, AppModel after, ChangeLog log) {
        Map<String, JsonNode> a = rules(before);
        Map<String, JsonNode> b = rules(after);
        Pairing<JsonNode> pairing = Pairing.of(a, b, (x, y) -> false);
        pairing.removed.forEach((key, rule) -> log.entity(Subject.RULE, key).removed(label(key) + ": rules removed"
                + (isDefault(key) ? "; collections without rules of their own are no longer reachable by clients"
                : b.containsKey(defaultOf(key)) ? "; the default rule of " + code(serviceOf(key)) + " applies to it now"
                : "; clients can no longer reach it (there is no default rule)"), null));
        pairing.added.forEach((key, rule) -> log.entity(Subject.RULE, key).added(label(key) + ": rules added"
                + (!isDefault(key) && a.containsKey(defaultOf(key)) ? " in place of the default rule" : "")
                + rolesInOrder(rule), null));
        for (String key : pairing.kept) {
            compareRule(log.entity(Subject.RULE, key), label(key), a.get(key), b.get(key));
        }
    }

    /** Every collection rule and default rule of the app's MongoDB services, by {@code <service>/<namespace>} or {@code <service>/default}. */
    private static Map<String, JsonNode> rules(AppModel app) {
        Map<String, JsonNode> rules = new TreeMap<>();
        for (ServiceDef service : app.services()) {
            for (CollectionRuleDef rule : service.collectionRules()) {
                rules.put(service.name() + "/" + rule.namespace(), rule.config().object());
            }
            Json defaultRule = service.defaultRule();
            if (defaultRule != null) {
                rules.put(service.name() + "/default", defaultRule.object());
            }
        }
        return rules;
    }

    private static String serviceOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    private static String defaultOf(String key) {
        return serviceOf(key) + "/default";
    }

    private static boolean isDefault(String key) {
        return key.endsWith("/default");
    }

    /** "`clinic.patients`" or "default rule of `mongodb-atlas`". */
    private static String label(String key) {
        int slash = key.indexOf('/');
        String service = key.substring(0, slash);
        String rest = key.substring(slash + 1);
        return isDefault(key) ? "default rule of " + code(service) : code(rest);
    }

    private static String rolesInOrder(JsonNode rule) {
        List<String> names = new ArrayList<>(roles(rule).keySet());
        return names.isEmpty() ? " (no roles: clients can reach no document)" : " (roles, first match wins: " + Values.list(names) + ")";
    }

    private static void compareRule(ChangeLog.Entity entity, String label, JsonNode a, JsonNode b) {
        String where = label + ": ";
        roles(entity, where, a, b);
        filters(entity, where, a, b);
        if (!Values.same(Values.field(a, "schema"), Values.field(b, "schema"))) {
            SchemaChanges.compare(entity, where, Values.field(a, "schema"), Values.field(b, "schema"));
        }
        ObjectNode restA = Values.without((ObjectNode) a, "id", "database", "collection", "roles", "filters", "schema");
        ObjectNode restB = Values.without((ObjectNode) b, "id", "database", "collection", "roles", "filters", "schema");
        JsonDiff.record(entity, label, "", restA, restB);
    }

    private static void roles(ChangeLog.Entity entity, String where, JsonNode a, JsonNode b) {
        Map<String, ObjectNode> before = roles(a);
        Map<String, ObjectNode> after = roles(b);
        Pairing<ObjectNode> pairing = Pairing.of(before, after,
                (x, y) -> Values.without(x, "name").equals(Values.without(y, "name")));
        List<String> afterOrder = new ArrayList<>(after.keySet());
        pairing.renamed.forEach((from, to) -> entity.changed("roles." + from + ".name", where + "role " + code(from)
                + " renamed to " + code(to) + " (same permissions)", Values.text(from), Values.text(to)));
        pairing.removed.forEach((name, role) -> entity.changed("roles." + name, where + "role " + code(name)
                + " removed: users it applied to now get the next role that applies, if any", role, null));
        pairing.added.forEach((name, role) -> entity.changed("roles." + name, where + "role " + code(name) + " added at position "
                + (afterOrder.indexOf(name) + 1) + " of " + afterOrder.size() + " (applies "
                + Grant.NEVER.or(Values.field(role, "apply_when")).describe() + ")", null, role));
        // the order of the roles both versions have, old names mapped to new ones
        List<String> oldOrder = new ArrayList<>();
        for (String name : before.keySet()) {
            String now = pairing.renamed.getOrDefault(name, name);
            if (after.containsKey(now)) {
                oldOrder.add(now);
            }
        }
        List<String> newOrder = afterOrder.stream().filter(oldOrder::contains).toList();
        if (!oldOrder.equals(newOrder)) {
            entity.changed("roles", where + "roles reordered: " + Values.list(oldOrder) + " → " + Values.list(newOrder)
                    + " (a document gets the first role that applies)", names(oldOrder), names(newOrder));
        }
        for (String name : pairing.kept) {
            RoleChanges.compare(entity, where, name, before.get(name), after.get(name));
        }
    }

    private static JsonNode names(List<String> names) {
        var array = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        names.forEach(array::add);
        return array;
    }

    /** The roles of a rule by name, in the rule's order. */
    private static Map<String, ObjectNode> roles(JsonNode rule) {
        Map<String, ObjectNode> roles = new LinkedHashMap<>();
        JsonNode list = Values.field(rule, "roles");
        if (list != null && list.isArray()) {
            int i = 0;
            for (JsonNode role : list) {
                i++;
                if (role instanceof ObjectNode object) {
                    roles.putIfAbsent(object.path("name").asText("role " + i), object);
                }
            }
        }
        return roles;
    }

    private static void filters(ChangeLog.Entity entity, String where, JsonNode a, JsonNode b) {
        Map<String, ObjectNode> before = filters(a);
        Map<String, ObjectNode> after = filters(b);
        Pairing<ObjectNode> pairing = Pairing.of(before, after, (x, y) -> false);
        pairing.removed.forEach((name, filter) -> entity.changed("filters." + name, where + "filter " + code(name)
                + " removed: queries are no longer narrowed by " + Values.show(Values.field(filter, "query")), filter, null));
        pairing.added.forEach((name, filter) -> entity.changed("filters." + name, where + "filter " + code(name) + " added: applies "
                + Grant.NEVER.or(Values.field(filter, "apply_when")).describe() + ", narrows queries by "
                + Values.show(Values.field(filter, "query")), null, filter));
        for (String name : pairing.kept) {
            JsonDiff.record(entity, where + "filter " + code(name), "filters." + name, Values.without(before.get(name), "name"),
                    Values.without(after.get(name), "name"));
        }
    }

    private static Map<String, ObjectNode> filters(JsonNode rule) {
        Map<String, ObjectNode> filters = new LinkedHashMap<>();
        JsonNode list = Values.field(rule, "filters");
        if (list != null && list.isArray()) {
            int i = 0;
            for (JsonNode filter : list) {
                i++;
                if (filter instanceof ObjectNode object) {
                    filters.putIfAbsent(object.path("name").asText("filter " + i), object);
                }
            }
        }
        return filters;
    }
}
