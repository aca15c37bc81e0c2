package dev.thimble.runtime.rules;

/** A rule that is not valid: an unknown operator or expansion, a malformed operand, a bad schema. */
public final class RuleCompileException extends RuleException {
    RuleCompileException(String rulePath, String message) {
        super(rulePath, message, null);
    }
}
