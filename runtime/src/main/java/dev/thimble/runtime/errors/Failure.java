package dev.thimble.runtime.errors;

/**
 * A failure the caller should see: what kind it is ({@link Kind}), the protocol's error code
 * ({@code InvalidSession}, {@code NoMatchingRuleFound}, …) and a message that tells a person what
 * happened and what to do (never secrets or stack traces). Data, auth and the services throw the
 * domain kinds ({@link NotFound}, {@link InvalidInput}, {@link Unauthenticated}, {@link Forbidden},
 * {@link Conflict}, {@link LimitExceeded}, {@link Unavailable}, {@link InternalFailure},
 * {@link NotImplemented}); they say nothing about HTTP. The edge turns any failure into the protocol's
 * body {@code {error, error_code, link}} in one place ({@code server.ErrorMappingHandler} through
 * {@code server.JsonResponses}), with the status of {@link Kind#status()}: the one table from kind
 * to HTTP status. {@link ApiError} is the edge's own failure (a route that does not exist, a method
 * a route does not take), given as a status.
 *
 * <p>The decorations ({@link #withDetails}, {@link #withLink}, {@link #withRetryAfterSeconds}) are set
 * on the failure being thrown, before it is thrown; a failure is not shared between requests.
 */
public abstract class Failure extends RuntimeException {
    /** What went wrong, in the domain's words; {@link #status()} is the HTTP status the edge answers with. */
    public enum Kind {
        INVALID_INPUT(400), UNAUTHENTICATED(401), FORBIDDEN(403), NOT_FOUND(404), METHOD_NOT_ALLOWED(405),
        CONFLICT(409), TOO_LARGE(413), TOO_MANY_REQUESTS(429), INTERNAL(500), NOT_IMPLEMENTED(501), UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** The kind an HTTP status stands for (any other 4xx is invalid input, any other 5xx internal). */
        public static Kind of(int status) {
            for (Kind kind : values()) {
                if (kind.status == status) {
                    return kind;
                }
            }
            return status >= 500 ? INTERNAL : INVALID_INPUT;
        }
    }

    private final Kind kind;
    private final String code;
    private String detail;
    private String logDetail;
    private long retryAfterSeconds = -1;
    private String link;

    protected Failure(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.code = java.util.Objects.requireNonNull(code, "code");
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status the edge answers with: {@link Kind#status()} (an {@link ApiError} keeps its own). */
    public int status() {
        return kind.status();
    }

    public String code() {
        return code;
    }

    /**
     * This failure with what only a developer should see: {@code detail} (e.g. the rule clause that was
     * false, with every compared value left out) is added to the client's message only when the server
     * runs with verbose errors; {@code logDetail} (the whole decision, values included) goes to the log
     * record only, where known secrets are masked.
     */
    public Failure withDetails(String detail, String logDetail) {
        this.detail = detail;
        this.logDetail = logDetail;
        return this;
    }

    /** This failure with the protocol's optional {@code link}: a URL to the log record of the request that failed. */
    public Failure withLink(String url) {
        this.link = url;
        return this;
    }

    /** This failure with a {@code Retry-After} header (for 429 and 503): when the client may try again. */
    public Failure withRetryAfterSeconds(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** The URL for the error body's {@code link} field, or null for none. */
    public String link() {
        return link;
    }

    /** The clause a development server adds to the message, without any compared value; null when none. */
    public String detail() {
        return detail;
    }

    /** The message as the log record keeps it: with the whole decision when there is one. */
    public String logMessage() {
        return logDetail == null ? getMessage() : getMessage() + " — " + logDetail;
    }

    /** Seconds for the {@code Retry-After} header, or -1 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
