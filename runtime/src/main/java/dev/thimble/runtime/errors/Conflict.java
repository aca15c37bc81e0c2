package dev.thimble.runtime.errors;

/** The request collides with what exists: an account or key name in use, a duplicate key (409). */
public final class Conflict extends Failure {
    public Conflict(String code, String message) {
        super(Kind.CONFLICT, code, message);
    }
}
