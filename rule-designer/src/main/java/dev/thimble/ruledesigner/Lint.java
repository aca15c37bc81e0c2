package dev.thimble.ruledesigner;

/** One finding about a rule: what kind, where in the rule ({@code roles[1].apply_when}), and what to do. */
public record Lint(Kind kind, String where, String message) {
    public enum Kind { NEVER_APPLIES, SHADOWED, WRITE_WITHOUT_READ, FILTER_WITHOUT_INDEX, UNKNOWN_FIELD, DUPLICATE_NAME }

    public String describe() {
        return where + ": " + message;
    }
}
