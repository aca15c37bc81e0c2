package dev.thimble.runtime.services;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ServiceRuleDef;
import dev.thimble.runtime.rules.CompiledExpression;
import dev.thimble.runtime.rules.ExpressionCompiler;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.rules.RuleException;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of one non-MongoDB service ({@code services/<svc>/rules/<rule>.json}: {@code {name, actions, when}}),
 * compiled once per app version. A call is allowed when some rule lists its action and its {@code when}
 * holds; otherwise it is denied (deny by default, STITCH-SPEC §5A).
 */
final class ServiceRules {
    /** One rule; {@code problem} says why it could not be compiled (it then allows nothing). */
    private record Rule(String name, String path, Set<String> actions, CompiledExpression when, String problem) {
        boolean covers(String action) {
            for (String a : actions) {
                if (a.equals("*") || a.equals(action) || (a.endsWith(":*") && action.startsWith(a.substring(0, a.length() - 1)))) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The outcome of a check, as the log record shows it.
     *
     * @param rule the rule that allowed the call, or null
     */
    record Verdict(boolean allowed, String rule, String explanation, BsonDocument document) {
    }

    private final String service;
    private final List<Rule> rules;

    private ServiceRules(String service, List<Rule> rules) {
        this.service = service;
        this.rules = rules;
    }

    static ServiceRules compile(ServiceDef def) {
        List<Rule> rules = new ArrayList<>();
        for (ServiceRuleDef ruleDef : def.serviceRules()) {
            String path = "services/" + def.name() + "/rules/" + ruleDef.name() + ".json";
            Set<String> actions = new LinkedHashSet<>();
            JsonNode listed = ruleDef.config().get("actions");
            if (listed != null && listed.isArray()) {
                listed.forEach(a -> actions.add(a.asText()));
            }
            CompiledExpression when = null;
            String problem = null;
            try {
                when = ExpressionCompiler.forServiceRules().compile(whenOf(ruleDef), path + " when");
            } catch (RuleException | IllegalArgumentException e) {
                problem = e.getMessage();
            }
            rules.add(new Rule(ruleDef.name(), path, actions, when, problem));
        }
        return new ServiceRules(def.name(), List.copyOf(rules));
    }

    /** {@code when} as an object; some exports carry it as a JSON string (STITCH-SPEC §1A). A missing one is {@code {}}. */
    private static Object whenOf(ServiceRuleDef rule) {
        JsonNode when = rule.config().get("when");
        if (when == null || when.isNull()) {
            return new Document();
        }
        if (when.isTextual()) {
            return when.asText().isBlank() ? new Document() : Document.parse(when.asText());
        }
        return when;
    }

    Verdict check(String action, RuleContext context) {
        BsonArray tried = new BsonArray();
        for (Rule rule : rules) {
            if (!rule.covers(action)) {
                continue;
            }
            BsonDocument trial = new BsonDocument("rule", new BsonString(rule.name()));
            if (rule.problem() != null) {
                tried.add(trial.append("matched", BsonBoolean.FALSE).append("failure", new BsonString("does not compile: " + rule.problem())));
                continue;
            }
            CompiledExpression.Result result;
            try {
                result = rule.when().evaluate(context);
            } catch (RuleException e) {
                tried.add(trial.append("matched", BsonBoolean.FALSE).append("failure", new BsonString("failed: " + e.getMessage())));
                continue;
            }
            if (result.value()) {
                tried.add(trial.append("matched", BsonBoolean.TRUE));
                return new Verdict(true, rule.name(), "allowed by rule '" + rule.name() + "'", document("allowed", rule.name(), tried));
            }
            tried.add(trial.append("matched", BsonBoolean.FALSE)
                    .append("failure", new BsonString(result.failure() == null ? "when is false" : result.failure().describe()))
                    .append("clause", new BsonString(result.failure() == null ? "when is false" : result.failure().describeWithoutValues())));
        }
        String explanation;
        if (tried.isEmpty()) {
            explanation = "no rule of service '" + service + "' allows action '" + action + "' (services/" + service
                    + "/rules/ has " + (rules.isEmpty() ? "no rules" : "no rule listing it in actions")
                    + "; calls are denied by default)";
        } else {
            List<String> why = new ArrayList<>();
            // the reason reaches the caller (a function may pass it on): clauses without the values they compared
            tried.forEach(t -> why.add(t.asDocument().getString("rule").getValue() + ": "
                    + t.asDocument().getString("clause", t.asDocument().getString("failure", new BsonString(""))).getValue()));
            explanation = "no rule of service '" + service + "' allows action '" + action + "' for these arguments ("
                    + String.join("; ", why) + ")";
        }
        return new Verdict(false, null, explanation, document("denied", null, tried).append("reason", new BsonString(explanation)));
    }

    private static BsonDocument document(String outcome, String rule, BsonArray tried) {
        BsonDocument doc = new BsonDocument("outcome", new BsonString(outcome));
        if (rule != null) {
            doc.append("rule", new BsonString(rule));
        }
        return doc.append("rulesTried", tried);
    }
}
