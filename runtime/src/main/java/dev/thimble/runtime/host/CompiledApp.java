package dev.thimble.runtime.host;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.EnvironmentDef;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ValueDef;
import dev.thimble.runtime.rules.DataSourceRules;
import org.bson.Document;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What is computed once per app version (ARCHITECTURE: the hot path): compiled rules per MongoDB
 * service, the values as rules see them ({@code %%values}, secrets resolved), the environment.
 */
public final class CompiledApp {
    private final AppModel app;
    private final Map<String, DataSourceRules> rulesByService = new HashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Object> environmentValues;

    public CompiledApp(AppModel app, Function<String, Optional<String>> secrets) {
        this.app = app;
        for (ServiceDef service : app.services()) {
            if (service.isMongo()) {
                rulesByService.put(service.name(), DataSourceRules.compile(service));
            }
        }
        for (ValueDef value : app.values()) {
            Object plain = plainJson(value.config().get("value"));
            if (value.fromSecret() && plain instanceof String secretName) {
                secrets.apply(secretName).ifPresent(secret -> values.put(value.name(), secret));
            } else {
                values.put(value.name(), plain);
            }
        }
        environmentValues = app.environments().stream()
                .filter(e -> e.tag().equals(app.environmentTag()))
                .findFirst()
                .map(EnvironmentDef::values)
                .map(json -> (Map<String, Object>) Document.parse(json.toString()))
                .orElse(Map.of());
    }

    public AppModel app() {
        return app;
    }

    /** The compiled rules of a MongoDB service, or null when the app has no MongoDB service of that name. */
    public DataSourceRules rules(String serviceName) {
        return rulesByService.get(serviceName);
    }

    public Map<String, Object> values() {
        return values;
    }

    public Map<String, Object> environmentValues() {
        return environmentValues;
    }

    private static Object plainJson(com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return Document.parse("{\"v\":" + node + "}").get("v");
    }
}
