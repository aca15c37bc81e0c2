package dev.thimble.ruledesigner;

/** A designer edit that was refused: what is wrong, where in the rule, and what to do; the rule did not change. */
public final class DesignException extends RuntimeException {
    private final String where;

    public DesignException(String where, String message) {
        super(where.isEmpty() ? message : where + ": " + message);
        this.where = where;
    }

    /** The place in the rule, e.g. {@code roles[1].apply_when}, or "" for the whole rule. */
    public String where() {
        return where;
    }
}
