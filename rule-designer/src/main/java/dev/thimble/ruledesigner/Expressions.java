package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads rule JSON into an {@link Expression} tree. A part gets a structured form only when writing
 * that form back gives the same JSON, key order included; everything else becomes {@link Expression.Raw},
 * so parsing never loses anything.
 */
public final class Expressions {
    /** The comparison operators the builder offers, in the order it offers them. */
    public static final List<String> OPERATORS = List.of("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin",
            "$exists", "%in", "%nin", "%exists");
    /** The expansions the builder offers before the app's own fields and values. */
    public static final List<String> EXPANSIONS = List.of("%%user.id", "%%user.type", "%%user.data.email",
            "%%user.data.name", "%%user.identities.providerType", "%%user.custom_data.", "%%root.", "%%prevRoot",
            "%%prevRoot.", "%%this", "%%prev", "%%values.", "%%environment.tag", "%%true", "%%false");
    private static final Set<String> OPERATOR_SET = Set.copyOf(OPERATORS);

    private Expressions() {
    }

    /** The tree of {@code json}; a null or missing node reads as {@link Expression.Always} (an absent apply_when). */
    public static Expression parse(JsonNode json) {
        if (json == null || json.isMissingNode()) {
            return new Expression.Always();
        }
        Expression structured = structured(json);
        return same(structured.toJson(), json) ? structured : new Expression.Raw(json);
    }

    private static Expression structured(JsonNode json) {
        if (json.isBoolean()) {
            return new Expression.Literal(json.booleanValue());
        }
        if (!json.isObject()) {
            return new Expression.Raw(json);
        }
        if (json.isEmpty()) {
            return new Expression.Always();
        }
        if (json.size() > 1) {
            List<Expression> parts = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                parts.add(parse(Expression.NODES.objectNode().set(e.getKey(), e.getValue().deepCopy())));
            }
            return new Expression.And(parts, true);
        }
        Map.Entry<String, JsonNode> only = json.fields().next();
        String key = only.getKey();
        JsonNode value = only.getValue();
        switch (key) {
            case "%and", "%or" -> {
                if (!value.isArray() || value.isEmpty()) {
                    return new Expression.Raw(json);
                }
                List<Expression> parts = new ArrayList<>();
                value.forEach(p -> parts.add(parse(p)));
                return key.equals("%and") ? new Expression.And(parts, false) : new Expression.Or(parts);
            }
            case "%not" -> {
                return value.isObject() || value.isBoolean() ? new Expression.Not(parse(value)) : new Expression.Raw(json);
            }
            default -> {
                if (key.startsWith("%") && !key.startsWith("%%")) {
                    return new Expression.Raw(json);
                }
                if (value.isObject() && value.size() == 1) {
                    String op = value.fieldNames().next();
                    if (OPERATOR_SET.contains(op)) {
                        return new Expression.Compare(key, op, value.get(op));
                    }
                }
                if (value.isObject() && !value.isEmpty() && Expression.FunctionCall.of(value) == null) {
                    return new Expression.Raw(json);
                }
                return new Expression.Compare(key, null, value);
            }
        }
    }

    /** Equal as JSON text: values and key order. */
    static boolean same(JsonNode a, JsonNode b) {
        return a.toString().equals(b.toString());
    }
}
