package dev.thimble.runtime;

/**
 * A failure the client should see, in the protocol's error shape
 * {@code {"error": message, "error_code": code}} (and {@code link} when it has one) with an HTTP status. The message must tell a person
 * what happened and what to do; it never carries secrets or stack traces. Any room of the runtime may
 * throw it; the server maps it to the response in one place.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final String detail;
    private final String logDetail;
    private final long retryAfterSeconds;
    private final String link;

    public ApiError(int status, String code, String message) {
        this(status, code, message, null, null, -1, null);
    }

    private ApiError(int status, String code, String message, String detail, String logDetail, long retryAfterSeconds, String link) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.logDetail = logDetail;
        this.retryAfterSeconds = retryAfterSeconds;
        this.link = link;
    }

    /**
     * This error with what only a developer should see: {@code detail} (e.g. the rule clause that was
     * false, with every compared value left out) is added to the client's message only when the server
     * runs with verbose errors; {@code logDetail} (the whole decision, values included) goes to the log
     * record only, where known secrets are masked.
     */
    public ApiError withDetails(String detail, String logDetail) {
        return new ApiError(status, code, getMessage(), detail, logDetail, retryAfterSeconds, link);
    }

    /**
     * This error with the protocol's optional {@code link} field: a URL to the log record of the request
     * that failed (the Data API's error bodies carry one, and clients read it).
     */
    public ApiError withLink(String url) {
        return new ApiError(status, code, getMessage(), detail, logDetail, retryAfterSeconds, url);
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

    /** This error with a {@code Retry-After} header (for 429 and 503): when the client may try again. */
    public ApiError withRetryAfterSeconds(long seconds) {
        return new ApiError(status, code, getMessage(), detail, logDetail, seconds, link);
    }

    /** Seconds for the {@code Retry-After} header, or -1 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError notFound(String code, String message) {
        return new ApiError(404, code, message);
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    /** 401 InvalidSession: both SDKs refresh their access token on exactly this (CLIENT-PROTOCOL §3). */
    public static ApiError invalidSession(String message) {
        return new ApiError(401, "InvalidSession", message);
    }
}
