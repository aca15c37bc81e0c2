package dev.thimble.runtime.errors;

/**
 * A failure of the protocol itself, given as an HTTP status: what the edge (the client API's routes and
 * handlers, the admin API) refuses before any room of the runtime is asked (no such route, a method the
 * route does not take, a body it cannot read). Rooms below the edge (data, auth, services) throw the
 * domain kinds instead ({@link NotFound}, {@link InvalidInput}, {@link Forbidden}, …); both are
 * {@link Failure}s, and the edge answers both in one place with the protocol's shape
 * {@code {"error": message, "error_code": code}} (and {@code link} when it has one).
 */
public final class ApiError extends Failure {
    private final int status;

    public ApiError(int status, String code, String message) {
        super(Kind.of(status), code, message);
        this.status = status;
    }

    /** The status this error was given (a 4xx or 5xx the kinds do not name keeps its number). */
    @Override
    public int status() {
        return status;
    }

    @Override
    public ApiError withDetails(String detail, String logDetail) {
        super.withDetails(detail, logDetail);
        return this;
    }

    @Override
    public ApiError withLink(String url) {
        super.withLink(url);
        return this;
    }

    @Override
    public ApiError withRetryAfterSeconds(long seconds) {
        super.withRetryAfterSeconds(seconds);
        return this;
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
