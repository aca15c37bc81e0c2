package dev.thimble.runtime.rules;

import dev.thimble.runtime.rules.Operators.Comparison;
import dev.thimble.runtime.rules.Operators.Root;

import java.util.EnumSet;

/**
 * A compiled boolean expression node. {@link #test} takes an optional {@link Trace}: whenever a
 * node returns false with a trace, the trace holds the clause that made it false (a node that
 * returns false sets it last), so explanations cost nothing on the path that allows.
 */
abstract class Expr {
    /** Where the node is in the rule, e.g. {@code roles[0].apply_when.owner_id}. */
    final String path;
    /** The node's source, e.g. {@code owner_id: "%%user.id"}. */
    final String source;

    Expr(String path, String source) {
        this.path = path;
        this.source = source;
    }

    abstract boolean test(RuleContext ctx, Trace trace);


    void collect(Dependencies deps) {
    }

    /** Receives the clause that made an evaluation false. */
    static final class Trace {
        Decision.Clause failure;

        void fail(Decision.Clause clause) {
            failure = clause;
        }

        Decision.Clause take() {
            Decision.Clause clause = failure;
            failure = null;
            return clause;
        }
    }

    static final class Const extends Expr {
        final boolean value;

        Const(boolean value, String path, String source) {
            super(path, source);
            this.value = value;
        }

        @Override
        boolean test(RuleContext ctx, Trace trace) {
            if (!value && trace != null) {
                trace.fail(new Decision.Clause(path, source, "is false"));
            }
            return value;
        }

    }

    /** {@code %and}, {@code %or}, {@code %nor}: a node over operands, depending on what they depend on. */
    abstract static class Logical extends Expr {
        final Expr[] operands;

        Logical(Expr[] operands, String path, String source) {
            super(path, source);
            this.operands = operands;
        }

        @Override
        void collect(Dependencies deps) {
            for (Expr operand : operands) {
                operand.collect(deps);
            }
        }
    }

    static final class And extends Logical {
        And(Expr[] operands, String path, String source) {
            super(operands, path, source);
        }

        @Override
        boolean test(RuleContext ctx, Trace trace) {
            for (Expr operand : operands) {
                if (!operand.test(ctx, trace)) {
                    return false;
                }
            }
            return true;
        }

    }

    /** {@code %or}: false keeps the last operand's failure. */
    static final class Or extends Logical {
        Or(Expr[] operands, String path, String source) {
            super(operands, path, source);
        }

        @Override
        boolean test(RuleContext ctx, Trace trace) {
            for (Expr operand : operands) {
                if (operand.test(ctx, trace)) {
                    return true;
                }
            }
            if (operands.length == 0 && trace != null) {
                trace.fail(new Decision.Clause(path, source, "has no operand that holds"));
            }
            return false;
        }

    }

    /** {@code %not} (one operand) and {@code %nor} (several). */
    static final class Nor extends Logical {
        Nor(Expr[] operands, String path, String source) {
            super(operands, path, source);
        }

        @Override
        boolean test(RuleContext ctx, Trace trace) {
            for (int i = 0; i < operands.length; i++) {
                if (operands[i].test(ctx, null)) {
                    if (trace != null) {
                        trace.fail(new Decision.Clause(path, source,
                                operands.length == 1 ? "its operand holds" : "operand " + i + " holds"));
                    }
                    return false;
                }
            }
            return true;
        }

    }

    /** {@code {lhs: value}} and {@code {lhs: {"$op": value}}}. */
    static final class Compare extends Expr {
        final Val lhs;
        final Comparison op;
        final Val rhs;

        Compare(Val lhs, Comparison op, Val rhs, String path, String source) {
            super(path, source);
            this.lhs = lhs;
            this.op = op;
            this.rhs = rhs;
        }

        @Override
        boolean test(RuleContext ctx, Trace trace) {
            Object l = lhs.eval(ctx);
            Object r = rhs.eval(ctx);
            boolean holds = switch (op) {
                case EQ -> Values.matches(l, r);
                case NE -> !Values.matches(l, r);
                case GT -> Values.ordered(l, r, 1, false);
                case GTE -> Values.ordered(l, r, 1, true);
                case LT -> Values.ordered(l, r, -1, false);
                case LTE -> Values.ordered(l, r, -1, true);
                case IN -> Values.in(l, r);
                case NIN -> !Values.in(l, r);
                case EXISTS -> Values.truthy(r) == (l != Values.MISSING);
            };
            if (!holds && trace != null) {
                if (op == Comparison.EXISTS) {
                    trace.fail(new Decision.Clause(path, source, lhs.label, l,
                            l == Values.MISSING ? "is missing" : "exists", null, null));
                } else {
                    trace.fail(new Decision.Clause(path, source, lhs.label, l, op.negated, rhs.label, r));
                }
            }
            return holds;
        }


        @Override
        void collect(Dependencies deps) {
            lhs.collect(deps);
            rhs.collect(deps);
        }
    }
}
