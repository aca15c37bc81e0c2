package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.diff.Change.Subject;

import java.util.Map;
import java.util.TreeMap;

import static dev.thimble.runtime.diff.Values.code;

/** Auth providers: who can log in how. {@code secret_config} is reported by field name only. */
final class ProviderChanges {
    private ProviderChanges() {
    }

    static void compare(AppModel before, AppModel after, ChangeLog log) {
        Map<String, ObjectNode> a = new TreeMap<>();
        Map<String, ObjectNode> b = new TreeMap<>();
        before.authProviders().forEach(p -> a.put(p.name(), Values.without(p.config().object(), "name", "id")));
        after.authProviders().forEach(p -> b.put(p.name(), Values.without(p.config().object(), "name", "id")));
        Pairing<ObjectNode> pairing = Pairing.of(a, b, (x, y) -> false);
        pairing.removed.forEach((name, p) -> log.entity(Subject.AUTH_PROVIDER, name).removed("auth provider " + code(name)
                + " removed: users can no longer log in with it", null));
        pairing.added.forEach((name, p) -> log.entity(Subject.AUTH_PROVIDER, name).added("auth provider " + code(name)
                + " (" + p.path("type").asText("") + ") added, " + (p.path("disabled").asBoolean(false)
                ? "disabled" : "enabled: users can log in with it"), Values.without(p, "secret_config")));
        for (String name : pairing.kept) {
            ChangeLog.Entity entity = log.entity(Subject.AUTH_PROVIDER, name);
            ObjectNode x = a.get(name);
            ObjectNode y = b.get(name);
            String provider = "auth provider " + code(name);
            FunctionChanges.flag(entity, "disabled", x, y, provider + " is now disabled: users can no longer log in with it",
                    provider + " is now enabled: users can log in with it");
            JsonDiff.record(entity, provider, "", Values.without(x, "disabled"), Values.without(y, "disabled"));
        }
    }
}
