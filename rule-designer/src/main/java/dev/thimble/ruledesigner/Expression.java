package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * A rule expression (STITCH-SPEC §2C) as a tree the expression builder can show: comparisons of an
 * expansion or field with a value, and/or/not, literals, and {@link Raw} for anything else.
 * {@link #toJson()} gives back exactly the JSON it was parsed from ({@link Expressions#parse}).
 */
public sealed interface Expression {
    JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The expression as rule JSON (a fresh node). */
    JsonNode toJson();

    /** {@code {}}: always true. */
    record Always() implements Expression {
        public JsonNode toJson() { return NODES.objectNode(); }
    }

    /** A literal {@code true} or {@code false}. */
    record Literal(boolean value) implements Expression {
        public JsonNode toJson() { return NODES.booleanNode(value); }
    }

    /**
     * {@code {lhs: value}} (operator null: equality, array membership) or {@code {lhs: {op: value}}}.
     *
     * @param lhs   an expansion ({@code %%user.id}, {@code %%root.owner_id}, {@code %%true}) or a plain field name
     * @param op    {@code $eq}, {@code $in}, {@code %exists}…, kept as spelled; null for implicit equality
     * @param value a literal, an expansion string, or a {@code %function} call ({@link FunctionCall#of})
     */
    record Compare(String lhs, String op, JsonNode value) implements Expression {
        public Compare {
            Objects.requireNonNull(lhs, "lhs");
            Objects.requireNonNull(value, "value");
        }

        public JsonNode toJson() {
            ObjectNode out = NODES.objectNode();
            if (op == null) {
                out.set(lhs, value.deepCopy());
            } else {
                out.putObject(lhs).set(op, value.deepCopy());
            }
            return out;
        }

        /** The value as a function call, when it is one. */
        public FunctionCall function() {
            return FunctionCall.of(value);
        }
    }

    /**
     * Every part must hold. {@code implicit}: written as one object with several keys
     * ({@code {a: 1, b: 2}}); otherwise as {@code {"%and": [...]}}.
     */
    record And(List<Expression> parts, boolean implicit) implements Expression {
        public And {
            parts = List.copyOf(parts);
        }

        public JsonNode toJson() {
            if (implicit) {
                ObjectNode out = NODES.objectNode();
                for (Expression part : parts) {
                    out.setAll((ObjectNode) part.toJson());
                }
                return out;
            }
            ObjectNode out = NODES.objectNode();
            ArrayNode list = out.putArray("%and");
            parts.forEach(p -> list.add(p.toJson()));
            return out;
        }
    }

    /** {@code {"%or": [...]}}. */
    record Or(List<Expression> parts) implements Expression {
        public Or {
            parts = List.copyOf(parts);
        }

        public JsonNode toJson() {
            ObjectNode out = NODES.objectNode();
            ArrayNode list = out.putArray("%or");
            parts.forEach(p -> list.add(p.toJson()));
            return out;
        }
    }

    /** {@code {"%not": expr}}. */
    record Not(Expression operand) implements Expression {
        public JsonNode toJson() {
            ObjectNode out = NODES.objectNode();
            out.set("%not", operand.toJson());
            return out;
        }
    }

    /** JSON the builder has no form for; kept exactly, edited as text. */
    record Raw(JsonNode json) implements Expression {
        public Raw {
            json = json.deepCopy();
        }

        public JsonNode toJson() { return json.deepCopy(); }
    }

    /** A {@code %function} call used as a value: {@code {"%function": {"name": …, "arguments": […]}}}. */
    record FunctionCall(String name, List<JsonNode> arguments) {
        public FunctionCall {
            arguments = arguments.stream().<JsonNode>map(JsonNode::deepCopy).toList();
        }

        public JsonNode toJson() {
            ObjectNode out = NODES.objectNode();
            ObjectNode call = out.putObject("%function");
            call.put("name", name);
            ArrayNode args = call.putArray("arguments");
            arguments.forEach(a -> args.add(a.deepCopy()));
            return out;
        }

        /** The call a value stands for, or null when it is not exactly {@code {"%function": {name, arguments}}}. */
        public static FunctionCall of(JsonNode value) {
            if (value == null || !value.isObject() || value.size() != 1 || !value.has("%function")) {
                return null;
            }
            JsonNode call = value.get("%function");
            if (!call.isObject() || !call.path("name").isTextual()) {
                return null;
            }
            List<String> keys = new java.util.ArrayList<>();
            call.fieldNames().forEachRemaining(keys::add);
            if (!keys.equals(List.of("name", "arguments")) || !call.get("arguments").isArray()) {
                return null;
            }
            List<JsonNode> args = new java.util.ArrayList<>();
            call.get("arguments").forEach(args::add);
            return new FunctionCall(call.get("name").asText(), args);
        }
    }
}
