package dev.thimble.ruledesigner;

import java.util.ArrayList;
import java.util.List;

/**
 * The expression builder's form: clauses (expansion or field, operator, value) joined one way, or,
 * for an expression the form cannot hold (nesting, %not, literals other than always), its raw JSON.
 * {@link #of} and {@link #toExpression} are inverse for every expression the form holds.
 */
public record ExpressionForm(Join join, List<Clause> clauses, String raw) {
    /** How clauses combine: all in one object ({@code {a: 1, b: 2}}), all under {@code %and}, any under {@code %or}. */
    public enum Join {
        ALL("all of (one object)"), AND("all of (%and)"), OR("any of (%or)");

        private final String label;

        Join(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** {@code lhs op value}; {@code op} "" for implicit equality; value as cell text ({@link JsonValues#value}). */
    public record Clause(String lhs, String op, String value) {
        public Clause {
            lhs = lhs == null ? "" : lhs.trim();
            op = op == null ? "" : op.trim();
            value = value == null ? "" : value;
        }
    }

    public ExpressionForm {
        clauses = List.copyOf(clauses);
    }

    public boolean isRaw() {
        return raw != null;
    }

    /** The form of an expression: clauses when it is a comparison or one level of and/or of comparisons, else raw JSON. */
    public static ExpressionForm of(Expression e) {
        return switch (e) {
            case Expression.Always a -> new ExpressionForm(Join.ALL, List.of(), null);
            case Expression.Compare c -> new ExpressionForm(Join.ALL, List.of(clause(c)), null);
            case Expression.And and when and.parts().stream().allMatch(p -> p instanceof Expression.Compare) ->
                    new ExpressionForm(and.implicit() ? Join.ALL : Join.AND, clauses(and.parts()), null);
            case Expression.Or or when or.parts().stream().allMatch(p -> p instanceof Expression.Compare) ->
                    new ExpressionForm(Join.OR, clauses(or.parts()), null);
            default -> new ExpressionForm(Join.ALL, List.of(), JsonValues.pretty(e.toJson()));
        };
    }

    /** The expression the form stands for. @throws DesignException for an empty expansion, an unknown operator or raw text that is not JSON */
    public Expression toExpression(String where) {
        if (raw != null) {
            return Expressions.parse(JsonValues.parse(where, raw));
        }
        List<Expression> parts = new ArrayList<>();
        for (int i = 0; i < clauses.size(); i++) {
            Clause c = clauses.get(i);
            if (c.lhs().isEmpty()) {
                throw new DesignException(where + " clause " + (i + 1), "choose an expansion (%%user.id, %%root.owner_id…) or a field name");
            }
            if (!c.op().isEmpty() && !Expressions.OPERATORS.contains(c.op())) {
                throw new DesignException(where + " clause " + (i + 1), "\"" + c.op() + "\" is not an operator; use one of "
                        + String.join(" ", Expressions.OPERATORS) + ", or none for equality");
            }
            parts.add(new Expression.Compare(c.lhs(), c.op().isEmpty() ? null : c.op(), JsonValues.value(c.value())));
        }
        if (parts.isEmpty()) {
            return new Expression.Always();
        }
        if (parts.size() == 1 && join == Join.ALL) {
            return parts.get(0);
        }
        if (join == Join.ALL) {
            long distinct = clauses.stream().map(Clause::lhs).distinct().count();
            if (distinct < clauses.size()) {
                throw new DesignException(where, "one object cannot name the same expansion twice; join the clauses with %and instead");
            }
        }
        return switch (join) {
            case ALL -> new Expression.And(parts, true);
            case AND -> new Expression.And(parts, false);
            case OR -> new Expression.Or(parts);
        };
    }

    private static List<Clause> clauses(List<Expression> parts) {
        return parts.stream().map(p -> clause((Expression.Compare) p)).toList();
    }

    private static Clause clause(Expression.Compare c) {
        return new Clause(c.lhs(), c.op() == null ? "" : c.op(), JsonValues.text(c.value()));
    }
}
