package dev.thimble.runtime.rules;

/** A rule that cannot be compiled or evaluated; {@link #rulePath()} says where in the rule. */
public abstract sealed class RuleException extends RuntimeException
        permits RuleCompileException, RuleEvaluationException {
    private final String rulePath;
    private final String detail;

    RuleException(String rulePath, String detail, Throwable cause) {
        super(rulePath.isEmpty() ? detail : rulePath + ": " + detail, cause);
        this.rulePath = rulePath;
        this.detail = detail;
    }

    /** The message without the path. */
    public String detail() {
        return detail;
    }

    /** Where in the rule, e.g. {@code todo.items roles[0].apply_when.%foo}. */
    public String rulePath() {
        return rulePath;
    }
}
