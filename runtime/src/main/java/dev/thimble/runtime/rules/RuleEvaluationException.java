package dev.thimble.runtime.rules;

/**
 * A rule that failed while it ran: a {@code %function} that threw (or cannot run yet), a conversion
 * of a bad value, filter projections of both kinds. The request fails with an error; it is never
 * turned into a silent "false".
 */
public final class RuleEvaluationException extends RuleException {
    RuleEvaluationException(String rulePath, String message, Throwable cause) {
        super(rulePath, message, cause);
    }
}
