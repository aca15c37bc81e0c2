package dev.thimble.runtime.rules;

import dev.thimble.runtime.rules.Operators.Root;
import org.bson.BsonBinarySubType;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * A compiled value: a literal, an expansion, a document or array with expansions inside, or a
 * value operator ({@code %function}, the four conversions). Evaluating one never walks JSON.
 */
abstract class Val {
    /** How the value appears in an explanation: {@code user.id} for expansions, null for literals. */
    final String label;

    Val(String label) {
        this.label = label;
    }

    abstract Object eval(RuleContext ctx);

    void collect(Dependencies deps) {
    }

    boolean isLiteral() {
        return false;
    }

    static final class Literal extends Val {
        final Object value;

        Literal(Object value) {
            super(null);
            this.value = value;
        }

        @Override
        Object eval(RuleContext ctx) {
            return value;
        }

        @Override
        boolean isLiteral() {
            return true;
        }
    }

    static final class Expansion extends Val {
        final Root root;
        final String[] segments;

        Expansion(Root root, String[] segments, String label) {
            super(label);
            this.root = root;
            this.segments = segments;
        }

        @Override
        Object eval(RuleContext ctx) {
            Object base = switch (root) {
                case USER -> ctx.userDocument;
                case ROOT -> ctx.root;
                case PREV_ROOT -> ctx.prevRoot;
                case THIS -> ctx.thisValue;
                case PREV -> ctx.prevValue;
                case ARGS -> ctx.args;
                case VALUES -> ctx.valuesDocument;
                case ENVIRONMENT -> ctx.environment;
                case REQUEST -> ctx.request;
                case PARTITION -> ctx.partition;
            };
            if (segments.length == 1 && base instanceof Document document) {
                Object value = document.get(segments[0]);
                return value != null || document.containsKey(segments[0]) ? value : Values.MISSING;
            }
            return Values.path(base, segments);
        }

        @Override
        void collect(Dependencies deps) {
            deps.roots.add(root);
        }
    }

    /** A document whose values are evaluated; a missing value stays in as missing (so it equals nothing). */
    static final class DocTemplate extends Val {
        final String[] keys;
        final Val[] values;

        DocTemplate(String[] keys, Val[] values) {
            super(null);
            this.keys = keys;
            this.values = values;
        }

        @Override
        Object eval(RuleContext ctx) {
            Document document = new Document();
            for (int i = 0; i < keys.length; i++) {
                document.put(keys[i], values[i].eval(ctx));
            }
            return document;
        }

        @Override
        void collect(Dependencies deps) {
            for (Val value : values) {
                value.collect(deps);
            }
        }
    }

    static final class ListTemplate extends Val {
        final Val[] values;

        ListTemplate(Val[] values) {
            super(null);
            this.values = values;
        }

        @Override
        Object eval(RuleContext ctx) {
            List<Object> list = new ArrayList<>(values.length);
            for (Val value : values) {
                list.add(value.eval(ctx));
            }
            return list;
        }

        @Override
        void collect(Dependencies deps) {
            for (Val value : values) {
                value.collect(deps);
            }
        }
    }

    /** {@code %function}: calls the context's {@link FunctionCaller}; its failure is a rule error. */
    static final class FunctionCall extends Val {
        final String name;
        final Val[] arguments;
        final String path;

        FunctionCall(String name, Val[] arguments, String path) {
            super("%function " + name);
            this.name = name;
            this.arguments = arguments;
            this.path = path;
        }

        @Override
        Object eval(RuleContext ctx) {
            List<Object> args = new ArrayList<>(arguments.length);
            for (Val argument : arguments) {
                args.add(Values.toExternal(argument.eval(ctx)));
            }
            try {
                return Values.toExternal(ctx.functions.call(name, args));
            } catch (RuleException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new RuleEvaluationException(path, e.getMessage() == null ? e.toString() : e.getMessage(), e);
            }
        }

        @Override
        void collect(Dependencies deps) {
            deps.function = true;
            for (Val argument : arguments) {
                argument.collect(deps);
            }
        }
    }

    /** {@code %stringToOid}, {@code %oidToString}, {@code %stringToUuid}, {@code %uuidToString}; missing stays missing. */
    static final class Convert extends Val {
        final String operator;
        final Val argument;
        final String path;

        Convert(String operator, Val argument, String path) {
            super(operator + (argument.label == null ? "" : " " + argument.label));
            this.operator = operator;
            this.argument = argument;
            this.path = path;
        }

        @Override
        Object eval(RuleContext ctx) {
            Object value = argument.eval(ctx);
            if (value == Values.MISSING) {
                return value;
            }
            switch (operator) {
                case Operators.STRING_TO_OID -> {
                    if (value instanceof ObjectId) {
                        return value;
                    }
                    if (value instanceof String s && ObjectId.isValid(s)) {
                        return new ObjectId(s);
                    }
                    throw bad(value, "a 24-digit hex string");
                }
                case Operators.OID_TO_STRING -> {
                    if (value instanceof ObjectId oid) {
                        return oid.toHexString();
                    }
                    if (value instanceof String) {
                        return value;
                    }
                    throw bad(value, "an ObjectId");
                }
                case Operators.STRING_TO_UUID -> {
                    if (Values.isUuidLike(value)) {
                        return Values.uuidBinary(Values.uuidOf(value));
                    }
                    if (value instanceof String s) {
                        try {
                            return Values.uuidBinary(UUID.fromString(s));
                        } catch (IllegalArgumentException e) {
                            throw bad(value, "a UUID string");
                        }
                    }
                    throw bad(value, "a UUID string");
                }
                case Operators.UUID_TO_STRING -> {
                    if (Values.isUuidLike(value)) {
                        return Values.uuidOf(value).toString();
                    }
                    if (value instanceof Binary b && b.getType() == BsonBinarySubType.UUID_LEGACY.getValue()) {
                        throw bad(value, "a UUID of subtype 4 (legacy subtype 3 has no agreed byte order)");
                    }
                    if (value instanceof String) {
                        return value;
                    }
                    throw bad(value, "a UUID");
                }
                default -> throw new IllegalStateException(operator);
            }
        }

        private RuleEvaluationException bad(Object value, String expected) {
            return new RuleEvaluationException(path, operator + " expects " + expected + ", got "
                    + Values.typeName(value) + " " + Values.show(value), null);
        }

        @Override
        void collect(Dependencies deps) {
            argument.collect(deps);
        }
    }

    /** A boolean expression in a value position ({@code {"%%true": {"%or": [...]}}}). */
    static final class BoolVal extends Val {
        final Expr expr;

        BoolVal(Expr expr, String label) {
            super(label);
            this.expr = expr;
        }

        @Override
        Object eval(RuleContext ctx) {
            return expr.test(ctx, null);
        }

        @Override
        void collect(Dependencies deps) {
            expr.collect(deps);
        }
    }

    @Override
    public String toString() {
        return label != null ? label : getClass().getSimpleName();
    }
}
