package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Merges an imported app into an existing one (an import with {@code strategy=merge}): each entity of
 * the import replaces the existing entity of the same name (or adds it), and everything the import
 * does not mention is kept. Entities are matched as a bundle names them: auth providers, functions,
 * triggers and values by name, environments by tag, HTTPS endpoints by route and method, other files
 * by path. A service of the import replaces the service's own config, and its rules (MongoDB rules by
 * namespace, other rules by name), incoming webhooks (by name) and default rule merge the same way,
 * so a zip carrying one rule does not remove the others. The root config's fields of the import
 * replace the existing ones, except the app's name and client app id, which stay: a merge changes
 * what an app holds, not which app it is. Secret names are the union. A pure function of two models.
 */
public final class AppMerge {
    private AppMerge() {
    }

    /** {@code current} with {@code imported} merged in. */
    public static AppModel merge(AppModel current, AppModel imported) {
        return new AppModel(
                metadata(current.metadata(), imported.metadata()),
                byKey(current.authProviders(), imported.authProviders(), AuthProviderDef::name),
                byKey(current.functions(), imported.functions(), FunctionDef::name),
                services(current.services(), imported.services()),
                byKey(current.triggers(), imported.triggers(), TriggerDef::name),
                byKey(current.values(), imported.values(), ValueDef::name),
                new ArrayList<>(new LinkedHashSet<>(concat(current.secretNames(), imported.secretNames()))),
                byKey(current.environments(), imported.environments(), EnvironmentDef::tag),
                byKey(current.endpoints(), imported.endpoints(), e -> e.route() + " " + e.httpMethod()),
                files(current.otherFiles(), imported.otherFiles()));
    }

    private static Json metadata(Json current, Json imported) {
        ObjectNode merged = current.object();
        ObjectNode incoming = imported.object();
        incoming.remove("name");
        incoming.remove("app_id");
        merged.setAll(incoming);
        return Json.of(merged);
    }

    private static List<ServiceDef> services(List<ServiceDef> current, List<ServiceDef> imported) {
        Map<String, ServiceDef> existing = new LinkedHashMap<>();
        current.forEach(s -> existing.put(s.name(), s));
        List<ServiceDef> merged = new ArrayList<>();
        for (ServiceDef incoming : imported) {
            ServiceDef old = existing.get(incoming.name());
            merged.add(old == null ? incoming : new ServiceDef(incoming.config(),
                    byKey(old.collectionRules(), incoming.collectionRules(), CollectionRuleDef::namespace),
                    incoming.defaultRule() != null ? incoming.defaultRule() : old.defaultRule(),
                    byKey(old.serviceRules(), incoming.serviceRules(), ServiceRuleDef::name),
                    byKey(old.webhooks(), incoming.webhooks(), WebhookDef::name)));
        }
        return byKey(current, merged, ServiceDef::name);
    }

    /** The items of {@code current}, each replaced by the item of {@code imported} with its key, then the new ones, by key. */
    static <T> List<T> byKey(List<T> current, List<T> imported, Function<T, String> key) {
        Map<String, T> out = new TreeMap<>();
        current.forEach(item -> out.put(key.apply(item), item));
        imported.forEach(item -> out.put(key.apply(item), item));
        return List.copyOf(out.values());
    }

    private static java.util.SortedMap<String, String> files(Map<String, String> current, Map<String, String> imported) {
        TreeMap<String, String> out = new TreeMap<>(current);
        out.putAll(imported);
        return out;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
