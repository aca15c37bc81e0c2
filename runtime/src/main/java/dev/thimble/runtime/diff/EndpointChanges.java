package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.EndpointDef;
import dev.thimble.runtime.diff.Change.Subject;

import java.util.Map;
import java.util.TreeMap;

import static dev.thimble.runtime.diff.Values.code;

/** HTTPS endpoints, by method and route: which function answers, and how callers are checked. */
final class EndpointChanges {
    private EndpointChanges() {
    }

    static void compare(AppModel before, AppModel after, ChangeLog log) {
        Map<String, ObjectNode> a = byKey(before);
        Map<String, ObjectNode> b = byKey(after);
        Pairing<ObjectNode> pairing = Pairing.of(a, b, (x, y) -> false);
        pairing.removed.forEach((key, e) -> log.entity(Subject.ENDPOINT, key).removed("HTTPS endpoint " + code(key)
                + " removed: it no longer answers", null));
        pairing.added.forEach((key, e) -> log.entity(Subject.ENDPOINT, key).added("HTTPS endpoint " + code(key) + " added: runs "
                + code(e.path("function_name").asText("")) + (e.path("disabled").asBoolean(false) ? " (disabled)" : ""), null));
        for (String key : pairing.kept) {
            ChangeLog.Entity entity = log.entity(Subject.ENDPOINT, key);
            String endpoint = "HTTPS endpoint " + code(key);
            ObjectNode x = a.get(key);
            ObjectNode y = b.get(key);
            FunctionChanges.flag(entity, "disabled", x, y, endpoint + " is now disabled: it no longer answers", endpoint + " is now enabled");
            String fnBefore = x.path("function_name").asText("");
            String fnAfter = y.path("function_name").asText("");
            if (!fnBefore.equals(fnAfter)) {
                entity.changed("function_name", endpoint + " now runs " + code(fnAfter) + " instead of " + code(fnBefore),
                        Values.text(fnBefore), Values.text(fnAfter));
            }
            JsonDiff.record(entity, endpoint, "", Values.without(x, "disabled", "function_name"), Values.without(y, "disabled", "function_name"));
        }
    }

    private static Map<String, ObjectNode> byKey(AppModel app) {
        Map<String, ObjectNode> endpoints = new TreeMap<>();
        for (EndpointDef endpoint : app.endpoints()) {
            endpoints.put(endpoint.httpMethod() + " " + endpoint.route(),
                    Values.without(endpoint.config().object(), "id", "route", "http_method"));
        }
        return endpoints;
    }
}
