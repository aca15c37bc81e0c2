package dev.thimble.runtime.rules;

import dev.thimble.runtime.rules.Operators.Root;

import java.util.EnumSet;

/** A rule expression compiled once; evaluating it walks a tree of nodes, never JSON. Thread-safe. */
public final class CompiledExpression {
    /** An evaluation with its explanation: {@code failure} is the clause that made it false (null when true). */
    public record Result(boolean value, Decision.Clause failure) { }

    final Expr expr;
    private final EnumSet<Root> roots;
    /** Calls {@code %function}: evaluate it once, with a trace, rather than again to explain a false. */
    final boolean callsFunction;
    /** A literal {@code true} (or {@code {}}). */
    final boolean alwaysTrue;
    /** A literal {@code false}. */
    final boolean alwaysFalse;
    private final String rulePath;

    CompiledExpression(Expr expr, Dependencies dependencies, String rulePath) {
        this.expr = expr;
        this.roots = dependencies.roots;
        this.callsFunction = dependencies.function;
        this.alwaysTrue = expr instanceof Expr.Const c && c.value;
        this.alwaysFalse = expr instanceof Expr.Const c && !c.value;
        this.rulePath = rulePath;
    }

    /**
     * Null when the expression holds, else the clause that made it false. Explaining costs nothing when
     * it holds: a pure expression is evaluated again, with a trace, only when it is false; one that calls
     * a function is evaluated once, with a trace, so the function runs once.
     */
    Decision.Clause failure(RuleContext ctx) {
        if (alwaysTrue || !callsFunction && expr.test(ctx, null)) {
            return null;
        }
        Expr.Trace trace = new Expr.Trace();
        if (expr.test(ctx, trace)) {
            return null;
        }
        Decision.Clause clause = trace.take();
        return clause != null ? clause : new Decision.Clause(rulePath, expr.source, "is false");
    }

    /** @throws RuleEvaluationException when a {@code %function} fails or a conversion gets a bad value */
    public boolean test(RuleContext ctx) {
        return expr.test(ctx, null);
    }

    public Result evaluate(RuleContext ctx) {
        Decision.Clause failure = failure(ctx);
        return new Result(failure == null, failure);
    }

    public String rulePath() {
        return rulePath;
    }

    /** True when the expression reads {@code %%this} or {@code %%prev}, so field rules evaluate it per field. */
    boolean readsField() {
        return roots.contains(Root.THIS) || roots.contains(Root.PREV);
    }

    @Override
    public String toString() {
        return rulePath + ": " + expr.source;
    }
}
