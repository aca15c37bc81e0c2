package dev.thimble.runtime.errors;

/** Something the request names does not exist: an app, a provider, a function, a user, a key (404). */
public final class NotFound extends Failure {
    public NotFound(String code, String message) {
        super(Kind.NOT_FOUND, code, message);
    }
}
