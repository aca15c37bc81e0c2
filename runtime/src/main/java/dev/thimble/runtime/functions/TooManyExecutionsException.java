package dev.thimble.runtime.functions;

/** The engine already runs its maximum number of executions; the server answers HTTP 429. */
public class TooManyExecutionsException extends RuntimeException {
    private final int limit;

    public TooManyExecutionsException(int limit) {
        super("too many function executions at once (the limit is " + limit + "); try again shortly");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
