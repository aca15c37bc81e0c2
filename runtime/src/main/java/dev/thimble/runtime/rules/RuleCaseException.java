package dev.thimble.runtime.rules;

/**
 * A rules test case that cannot be read or run: bad JSON (with its line and column), a field of the
 * wrong type, an unknown action, service or namespace. The message names the case and the field,
 * and says what to write instead.
 */
public final class RuleCaseException extends RuntimeException {
    private final String where;
    private final String detail;

    public RuleCaseException(String where, String detail) {
        super(where == null || where.isEmpty() ? detail : where + ": " + detail, null, false, false);
        this.where = where == null ? "" : where;
        this.detail = detail;
    }

    /** The case and field, e.g. {@code cases[2] "nurse reads" action}; "" for the file as a whole. */
    public String where() {
        return where;
    }

    /** The message without {@link #where()}. */
    public String detail() {
        return detail;
    }

    /** The same problem, in field {@code outer}: {@code user} + {@code id} gives {@code user.id}. */
    RuleCaseException within(String outer) {
        return new RuleCaseException(where.isEmpty() ? outer : outer + "." + where, detail);
    }

    /** The same problem, in the case labelled {@code label} (e.g. {@code cases[2] "nurse reads"}). */
    RuleCaseException inCase(String label) {
        return new RuleCaseException(where.isEmpty() ? label : label + " " + where, detail);
    }
}
