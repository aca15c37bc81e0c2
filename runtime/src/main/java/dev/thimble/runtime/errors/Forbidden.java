package dev.thimble.runtime.errors;

/** The caller is known but may not do this: no rule allows it, a function is private, a can_evaluate is false (403). */
public final class Forbidden extends Failure {
    public Forbidden(String code, String message) {
        super(Kind.FORBIDDEN, code, message);
    }
}
