package dev.thimble.runtime.errors;

/** A limit of the app or the server is reached: too many requests (429) or a body too large (413). */
public final class LimitExceeded extends Failure {
    private LimitExceeded(Kind kind, String code, String message) {
        super(kind, code, message);
    }

    /** Too many requests in a while (429); give {@link #withRetryAfterSeconds} when it is known. */
    public static LimitExceeded tooManyRequests(String code, String message) {
        return new LimitExceeded(Kind.TOO_MANY_REQUESTS, code, message);
    }

    /** A request larger than the server takes (413). */
    public static LimitExceeded tooLarge(String code, String message) {
        return new LimitExceeded(Kind.TOO_LARGE, code, message);
    }
}
