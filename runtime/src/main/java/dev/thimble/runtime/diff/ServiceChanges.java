package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.WebhookDef;
import dev.thimble.runtime.diff.Change.Subject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.thimble.runtime.diff.Values.code;

/**
 * Services: their config, the rules of non-MongoDB services (which actions their calls may use, and
 * when), and their incoming webhooks. MongoDB collection rules are {@link RuleChanges}'.
 */
final class ServiceChanges {
    private ServiceChanges() {
    }

    static void compare(AppModel before, AppModel after, ChangeLog log) {
        Map<String, ServiceDef> a = byName(before);
        Map<String, ServiceDef> b = byName(after);
        Pairing<ServiceDef> pairing = Pairing.of(a, b, (x, y) -> false);
        pairing.removed.forEach((name, s) -> log.entity(Subject.SERVICE, name).removed("service " + code(name) + " (" + s.type()
                + ") removed" + withWebhooks(s), null));
        pairing.added.forEach((name, s) -> log.entity(Subject.SERVICE, name).added("service " + code(name) + " (" + s.type()
                + ") added" + withWebhooks(s), null));
        for (String name : pairing.kept) {
            ServiceDef x = a.get(name);
            ServiceDef y = b.get(name);
            JsonDiff.record(log.entity(Subject.SERVICE, name), "service " + code(name), "", Values.without(x.config().object(), "name", "id"),
                    Values.without(y.config().object(), "name", "id"));
            serviceRules(name, x, y, log);
            webhooks(name, x, y, log);
        }
    }

    private static String withWebhooks(ServiceDef service) {
        List<String> names = service.webhooks().stream().map(WebhookDef::name).toList();
        return names.isEmpty() ? "" : " with incoming webhooks " + Values.list(names);
    }

    private static Map<String, ServiceDef> byName(AppModel app) {
        Map<String, ServiceDef> services = new TreeMap<>();
        app.services().forEach(s -> services.put(s.name(), s));
        return services;
    }

    private static void serviceRules(String service, ServiceDef x, ServiceDef y, ChangeLog log) {
        Map<String, ObjectNode> a = new TreeMap<>();
        Map<String, ObjectNode> b = new TreeMap<>();
        x.serviceRules().forEach(r -> a.put(r.name(), Values.without(r.config().object(), "name", "id")));
        y.serviceRules().forEach(r -> b.put(r.name(), Values.without(r.config().object(), "name", "id")));
        Pairing<ObjectNode> pairing = Pairing.of(a, b, (p, q) -> false);
        pairing.removed.forEach((name, r) -> log.entity(Subject.SERVICE, service + "/" + name).removed("service " + code(service)
                + ": rule " + code(name) + " removed: " + Values.list(Values.strings(r.get("actions"))) + " no longer allowed by it", r));
        pairing.added.forEach((name, r) -> log.entity(Subject.SERVICE, service + "/" + name).added("service " + code(service)
                + ": rule " + code(name) + " added: allows " + Values.list(Values.strings(r.get("actions"))) + " "
                + Grant.NEVER.or(Values.field(r, "when")).describe(), r));
        for (String name : pairing.kept) {
            ChangeLog.Entity entity = log.entity(Subject.SERVICE, service + "/" + name);
            String rule = "service " + code(service) + ": rule " + code(name);
            ObjectNode p = a.get(name).deepCopy();
            ObjectNode q = b.get(name).deepCopy();
            List<String> was = Values.strings(p.remove("actions"));
            List<String> is = Values.strings(q.remove("actions"));
            List<String> gained = new ArrayList<>(is);
            gained.removeAll(was);
            List<String> lost = new ArrayList<>(was);
            lost.removeAll(is);
            if (!gained.isEmpty()) {
                entity.changed("actions", rule + " now also allows " + Values.list(gained), null, null);
            }
            if (!lost.isEmpty()) {
                entity.changed("actions", rule + " no longer allows " + Values.list(lost), null, null);
            }
            JsonNode whenBefore = p.remove("when");
            JsonNode whenAfter = q.remove("when");
            if (!Grant.NEVER.or(whenBefore).equals(Grant.NEVER.or(whenAfter))) {
                entity.changed("when", rule + " now allows calls " + Grant.NEVER.or(whenAfter).describe() + " (was "
                        + Grant.NEVER.or(whenBefore).describe() + ")", whenBefore, whenAfter);
            }
            JsonDiff.record(entity, rule, "", p, q);
        }
    }

    private static void webhooks(String service, ServiceDef x, ServiceDef y, ChangeLog log) {
        Map<String, WebhookDef> a = new TreeMap<>();
        Map<String, WebhookDef> b = new TreeMap<>();
        x.webhooks().forEach(w -> a.put(w.name(), w));
        y.webhooks().forEach(w -> b.put(w.name(), w));
        Pairing<WebhookDef> pairing = Pairing.of(a, b, (p, q) -> p.source().equals(q.source()) && settings(p).equals(settings(q)));
        pairing.renamed.forEach((from, to) -> log.entity(Subject.WEBHOOK, service + "/" + from).renamed(service + "/" + to,
                "incoming webhook " + code(from) + " of " + code(service) + " renamed to " + code(to) + " (same source and settings): its URL changes"));
        pairing.removed.forEach((name, w) -> log.entity(Subject.WEBHOOK, service + "/" + name).removed("incoming webhook "
                + code(name) + " of " + code(service) + " removed: its URL no longer answers", null));
        pairing.added.forEach((name, w) -> log.entity(Subject.WEBHOOK, service + "/" + name).added("incoming webhook "
                + code(name) + " of " + code(service) + " added (" + w.config().obj("options").text("httpMethod", "any method") + ")", null));
        for (String name : pairing.kept) {
            ChangeLog.Entity entity = log.entity(Subject.WEBHOOK, service + "/" + name);
            String webhook = "incoming webhook " + code(name) + " of " + code(service);
            JsonDiff.record(entity, webhook, "", settings(a.get(name)), settings(b.get(name)));
            if (!a.get(name).source().equals(b.get(name).source())) {
                entity.changed("source", webhook + ": source changed (" + SourceLines.summary(a.get(name).source(), b.get(name).source()) + ")",
                        null, null);
            }
        }
    }

    private static ObjectNode settings(WebhookDef webhook) {
        return Values.without(webhook.config().object(), "name", "id");
    }
}
