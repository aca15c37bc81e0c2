package dev.thimble.runtime.host;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.EnvironmentDef;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ValueDef;
import dev.thimble.runtime.rules.CompiledExpression;
import dev.thimble.runtime.rules.DataSourceRules;
import dev.thimble.runtime.rules.ExpressionCompiler;
import org.bson.BsonDocument;
import org.bson.Document;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What is computed once per app version (ARCHITECTURE: the hot path): compiled rules per MongoDB
 * service, the values as rules see them ({@code %%values}, secrets resolved), the environment.
 */
public final class CompiledApp {
    private static final ExpressionCompiler CAN_EVALUATE = ExpressionCompiler.forServiceRules();
    private final AppModel app;
    private final Map<String, DataSourceRules> rulesByService = new HashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Object> environmentValues;
    /** Each function's compiled can_evaluate, by function name, with the expression it was compiled from. */
    private final Map<String, Map.Entry<BsonDocument, CompiledExpression>> canEvaluate = new ConcurrentHashMap<>();

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

    /**
     * A function's {@code can_evaluate}, compiled on its first call in this app version and kept for the
     * version's lifetime (a new version is a new {@code CompiledApp}).
     */
    public CompiledExpression canEvaluate(String functionName, BsonDocument expression) {
        Map.Entry<BsonDocument, CompiledExpression> known = canEvaluate.get(functionName);
        if (known != null && known.getKey().equals(expression)) {
            return known.getValue();
        }
        CompiledExpression compiled = CAN_EVALUATE.compile(Document.parse(expression.toJson()),
                "functions/" + functionName + "/config.json can_evaluate");
        canEvaluate.put(functionName, Map.entry(expression.clone(), compiled));
        return compiled;
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
