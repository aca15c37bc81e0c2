package dev.thimble.runtime.rules;

import dev.thimble.runtime.expressions.ExpressionVocabulary;
import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.rules.Operators.Comparison;
import dev.thimble.runtime.rules.Operators.Root;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles rule expressions (STITCH-SPEC §2C) into trees of nodes, once per app version. The one
 * option is what a plain key means: {@code %%root.<key>} in MongoDB rules, {@code %%args.<key>} in
 * service rules. Anything unknown (operator, expansion, operand shape) is a {@link RuleCompileException}
 * naming its place in the rule.
 */
public final class ExpressionCompiler {
    /** What a plain key (no {@code %%}) refers to. */
    public enum PlainKeys { ROOT, ARGS }

    private static final ExpressionCompiler MONGO = new ExpressionCompiler(PlainKeys.ROOT);
    private static final ExpressionCompiler SERVICE = new ExpressionCompiler(PlainKeys.ARGS);

    private final PlainKeys plainKeys;

    private ExpressionCompiler(PlainKeys plainKeys) {
        this.plainKeys = plainKeys;
    }

    public static ExpressionCompiler forMongoRules() {
        return MONGO;
    }

    public static ExpressionCompiler forServiceRules() {
        return SERVICE;
    }

    /**
     * Compiles an expression: a {@link Boolean}, a {@link Map} (e.g. a {@link Document} parsed from
     * Extended JSON), an app-model {@link Json}, or a Jackson {@link JsonNode}.
     *
     * @param rulePath where the expression sits, for errors and explanations (e.g. {@code roles[0].apply_when})
     */
    public CompiledExpression compile(Object expression, String rulePath) {
        Object json = normalize(expression);
        Expr expr = expr(json, rulePath, Sources.json(json));
        Dependencies dependencies = new Dependencies();
        expr.collect(dependencies);
        return new CompiledExpression(expr, dependencies, rulePath);
    }

    /** Jackson and app-model JSON become BSON values (Extended JSON such as {@code {"$oid": …}} is honoured). */
    static Object normalize(Object expression) {
        if (expression instanceof Json json) {
            return Document.parse(json.toString());
        }
        if (expression instanceof JsonNode node) {
            return Document.parse("{\"v\": " + node + "}").get("v");
        }
        return expression;
    }

    Expr expr(Object json, String path, String source) {
        if (json instanceof Boolean b) {
            return new Expr.Const(b, path, source);
        }
        if (!(json instanceof Map<?, ?> map)) {
            throw new RuleCompileException(path, "an expression is true, false or an object, not "
                    + Values.typeName(json) + " " + Values.show(json));
        }
        if (map.isEmpty()) {
            return new Expr.Const(true, path, source);
        }
        List<Expr> parts = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String written = String.valueOf(entry.getKey());
            String key = ExpressionVocabulary.LOGICAL_ALIASES.getOrDefault(written, written);
            Object value = entry.getValue();
            String keyPath = path + "." + written;
            String clause = key + ": " + Sources.json(value);
            if (Operators.LOGICAL.contains(key)) {
                parts.add(logical(key, value, keyPath, clause));
            } else if (key.equals(Operators.FUNCTION)) {
                Val call = value(Map.of(key, value), path);
                parts.add(new Expr.Compare(new Val.Literal(Boolean.TRUE), Comparison.EQ, call, path, clause));
            } else if (Operators.isOperatorKey(key)) {
                throw new RuleCompileException(keyPath, misplacedOperator(key));
            } else {
                parts.addAll(comparisons(lhs(key, keyPath), value, path, keyPath, clause));
            }
        }
        return parts.size() == 1 ? parts.getFirst() : new Expr.And(parts.toArray(Expr[]::new), path, source);
    }

    private static String misplacedOperator(String key) {
        if (Operators.COMPARISONS.containsKey(key)) {
            return key + " needs a left-hand side: {\"<field or %%expansion>\": {\"" + key + "\": …}}";
        }
        if (Operators.VALUE_OPERATORS.contains(key)) {
            return key + " produces a value; compare it: {\"<field or %%expansion>\": {\"" + key + "\": …}}";
        }
        return "unknown operator " + key;
    }

    private Expr logical(String key, Object value, String keyPath, String clause) {
        if (key.equals(Operators.NOT)) {
            Object operand = value instanceof List<?> list && list.size() == 1 ? list.getFirst() : value;
            if (operand instanceof List<?>) {
                throw new RuleCompileException(keyPath, "%not takes one expression, not an array of " + ((List<?>) operand).size());
            }
            return new Expr.Nor(new Expr[] {expr(operand, keyPath, Sources.json(operand))}, keyPath, clause);
        }
        if (!(value instanceof List<?> list)) {
            throw new RuleCompileException(keyPath, key + " takes an array of expressions, not " + Values.typeName(value));
        }
        Expr[] operands = new Expr[list.size()];
        for (int i = 0; i < operands.length; i++) {
            Object operand = list.get(i);
            operands[i] = expr(operand, keyPath + "[" + i + "]", Sources.json(operand));
        }
        return switch (key) {
            case Operators.AND -> new Expr.And(operands, keyPath, clause);
            case Operators.OR -> new Expr.Or(operands, keyPath, clause);
            default -> new Expr.Nor(operands, keyPath, clause);
        };
    }

    private Val lhs(String key, String keyPath) {
        if (key.startsWith("%%")) {
            return expansion(key, keyPath);
        }
        if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
            throw new RuleCompileException(keyPath, "\"" + key + "\" is not a field path");
        }
        Root root = plainKeys == PlainKeys.ROOT ? Root.ROOT : Root.ARGS;
        return new Val.Expansion(root, key.split("\\."), root.spelling + "." + key);
    }

    private List<Expr> comparisons(Val lhs, Object value, String path, String keyPath, String clause) {
        if (value instanceof Map<?, ?> map && !map.isEmpty() && hasOperatorKey(map)) {
            if (map.size() == 1) {
                String only = String.valueOf(map.keySet().iterator().next());
                if (Operators.VALUE_OPERATORS.contains(only)) {
                    return List.of(new Expr.Compare(lhs, Comparison.EQ, value(value, keyPath), path, clause));
                }
                if (Operators.LOGICAL.contains(only)) {
                    Expr inner = expr(value, keyPath, Sources.json(value));
                    return List.of(new Expr.Compare(lhs, Comparison.EQ, new Val.BoolVal(inner, only), path, clause));
                }
            }
            List<Expr> tests = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String op = String.valueOf(entry.getKey());
                String opPath = keyPath + "." + op;
                if (!Operators.isOperatorKey(op)) {
                    throw new RuleCompileException(opPath, "an operator object cannot also hold the plain key \"" + op + "\"");
                }
                Comparison comparison = Operators.COMPARISONS.get(op);
                if (comparison == null) {
                    throw new RuleCompileException(opPath, Operators.VALUE_OPERATORS.contains(op) || Operators.LOGICAL.contains(op)
                            ? op + " must be the only key of its object" : "unknown operator " + op);
                }
                Val rhs = value(entry.getValue(), opPath);
                if ((comparison == Comparison.IN || comparison == Comparison.NIN) && rhs instanceof Val.Literal literal
                        && !(literal.value instanceof List<?>)) {
                    throw new RuleCompileException(opPath, op + " takes an array (or an expansion of one), not "
                            + Values.typeName(literal.value) + " " + Values.show(literal.value));
                }
                tests.add(new Expr.Compare(lhs, comparison, rhs, path, clause));
            }
            return tests;
        }
        return List.of(new Expr.Compare(lhs, Comparison.EQ, value(value, keyPath), path, clause));
    }

    private static boolean hasOperatorKey(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (Operators.isOperatorKey(String.valueOf(key))) {
                return true;
            }
        }
        return false;
    }

    /** Compiles a value: literal, expansion, document/array with expansions inside, or a value operator. */
    Val value(Object json, String path) {
        if (json instanceof String s) {
            return s.startsWith("%%") ? expansion(s, path) : new Val.Literal(s);
        }
        if (json instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String only = String.valueOf(map.keySet().iterator().next());
                if (Operators.VALUE_OPERATORS.contains(only)) {
                    return valueOperator(only, map.get(only), path + "." + only);
                }
                if (Operators.LOGICAL.contains(only)) {
                    return new Val.BoolVal(expr(json, path, Sources.json(json)), only);
                }
            }
            String[] keys = new String[map.size()];
            Val[] values = new Val[map.size()];
            boolean literal = true;
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                keys[i] = String.valueOf(entry.getKey());
                if (keys[i].startsWith("%") && !keys[i].startsWith("%%")) {
                    throw new RuleCompileException(path + "." + keys[i], Operators.VALUE_OPERATORS.contains(keys[i])
                            || Operators.LOGICAL.contains(keys[i]) ? keys[i] + " must be the only key of its object"
                            : "unknown operator " + keys[i]);
                }
                values[i] = value(entry.getValue(), path + "." + keys[i]);
                literal &= values[i].isLiteral();
                i++;
            }
            if (literal) {
                return new Val.Literal(json instanceof Document ? json : new Document(castMap(map)));
            }
            return new Val.DocTemplate(keys, values);
        }
        if (json instanceof List<?> list) {
            Val[] values = new Val[list.size()];
            boolean literal = true;
            for (int i = 0; i < values.length; i++) {
                values[i] = value(list.get(i), path + "[" + i + "]");
                literal &= values[i].isLiteral();
            }
            return literal ? new Val.Literal(list) : new Val.ListTemplate(values);
        }
        return new Val.Literal(json);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private Val valueOperator(String op, Object operand, String path) {
        if (op.equals(Operators.FUNCTION)) {
            if (!(operand instanceof Map<?, ?> spec) || !(spec.get("name") instanceof String name) || name.isBlank()) {
                throw new RuleCompileException(path, "%function takes {\"name\": \"<function>\", \"arguments\": [...]}");
            }
            Object arguments = spec.get("arguments");
            if (arguments != null && !(arguments instanceof List<?>)) {
                throw new RuleCompileException(path + ".arguments", "%function arguments are an array, not " + Values.typeName(arguments));
            }
            List<?> list = arguments == null ? List.of() : (List<?>) arguments;
            Val[] args = new Val[list.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = value(list.get(i), path + ".arguments[" + i + "]");
            }
            return new Val.FunctionCall(name, args, path);
        }
        if (operand instanceof Map<?, ?> || operand instanceof List<?>) {
            throw new RuleCompileException(path, op + " takes only a literal or an expansion, not " + Values.typeName(operand));
        }
        Val argument = value(operand, path);
        Val.Convert convert = new Val.Convert(op, argument, path);
        if (argument.isLiteral()) {
            try {
                return new Val.Literal(convert.eval(null));
            } catch (RuleEvaluationException e) {
                throw new RuleCompileException(path, e.detail());
            }
        }
        return convert;
    }

    private Val expansion(String text, String path) {
        if (text.equals(Operators.TRUE)) {
            return new Val.Literal(Boolean.TRUE);
        }
        if (text.equals(Operators.FALSE)) {
            return new Val.Literal(Boolean.FALSE);
        }
        String body = text.substring(2);
        int dot = body.indexOf('.');
        String rootName = dot < 0 ? body : body.substring(0, dot);
        Root root = Root.of(rootName);
        if (root == null) {
            throw new RuleCompileException(path, "unknown expansion %%" + rootName
                    + " (known: %%true, %%false, %%user, %%root, %%prevRoot, %%this, %%prev, %%args, %%values, %%environment, %%request, %%partition)");
        }
        String[] segments = dot < 0 ? new String[0] : body.substring(dot + 1).split("\\.", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new RuleCompileException(path, "\"" + text + "\" has an empty path segment");
            }
        }
        return new Val.Expansion(root, segments, body);
    }
}
