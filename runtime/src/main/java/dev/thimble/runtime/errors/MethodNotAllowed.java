package dev.thimble.runtime.errors;

/** An HTTPS endpoint, webhook or the Data API was called with a method it does not take (405). */
public final class MethodNotAllowed extends Failure {
    public MethodNotAllowed(String code, String message) {
        super(Kind.METHOD_NOT_ALLOWED, code, message);
    }
}
