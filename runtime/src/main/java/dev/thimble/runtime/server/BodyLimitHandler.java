package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Refuses a request whose declared body ({@code Content-Length}) is larger than the server accepts,
 * with 413 before any route reads it. A body sent without a length (chunked) is counted as it is read
 * ({@link RequestBodies#bytes}), against the same limit or a route's smaller one.
 */
final class BodyLimitHandler implements HttpHandler {
    private final HttpHandler next;
    private final long maxBytes;

    BodyLimitHandler(HttpHandler next, long maxBytes) {
        this.next = next;
        this.maxBytes = maxBytes;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            throw tooLarge(exchange, maxBytes);
        }
        next.handleRequest(exchange);
    }

    /**
     * The 413 for a body over {@code maxBytes}. A body over {@link ClientApiServer#DRAIN_LIMIT_BYTES}
     * is not worth reading on: the connection is closed after the answer (the client gets the 413 if it
     * reads before it has sent everything); a smaller one is drained so a keep-alive client reads it.
     */
    static ApiError tooLarge(HttpServerExchange exchange, long maxBytes) {
        if (exchange.getRequestContentLength() > ClientApiServer.DRAIN_LIMIT_BYTES) {
            exchange.setPersistent(false);
        }
        return new ApiError(413, "BadRequest", "The request body is larger than this server accepts ("
                + maxBytes + " bytes); send less data per request.");
    }
}
