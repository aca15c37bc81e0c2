package dev.thimble.runtime.rules;

import dev.thimble.runtime.rules.Operators.Root;

import java.util.EnumSet;

/** A rule expression compiled once; evaluating it walks a tree of nodes, never JSON. Thread-safe. */
public final class CompiledExpression {
    /** An evaluation with its explanation: {@code failure} is the clause that made it false (null when true). */
    public record Result(boolean value, Decision.Clause failure) { }

    final Expr expr;
    private final EnumSet<Root> roots;
    private final String rulePath;

    CompiledExpression(Expr expr, EnumSet<Root> roots, String rulePath) {
        this.expr = expr;
        this.roots = roots;
        this.rulePath = rulePath;
    }

    /** @throws RuleEvaluationException when a {@code %function} fails or a conversion gets a bad value */
    public boolean test(RuleContext ctx) {
        return expr.test(ctx, null);
    }

    public Result evaluate(RuleContext ctx) {
        Expr.Trace trace = new Expr.Trace();
        boolean value = expr.test(ctx, trace);
        return new Result(value, value ? null : trace.take());
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
