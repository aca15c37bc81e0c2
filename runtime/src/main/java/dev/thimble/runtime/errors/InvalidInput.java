package dev.thimble.runtime.errors;

/** The request itself is wrong: a missing or malformed parameter, a value out of range, a document rules refuse by schema (400). */
public final class InvalidInput extends Failure {
    public InvalidInput(String code, String message) {
        super(Kind.INVALID_INPUT, code, message);
    }
}
