package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.Failure;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become protocol error bodies: a {@link Failure} (a domain failure
 * thrown by data, auth or the services, or the edge's own {@link ApiError}) is answered with the
 * status of its kind and the body {@code {error, error_code, link}}; anything else is logged with its
 * stack trace and answered with a generic 500, so internals never reach the client. The failure is
 * noted in the request's {@link RequestLog} for its record.
 */
final class ErrorMappingHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappingHandler.class);
    private final HttpHandler next;
    private final java.util.function.BooleanSupplier verbose;

    ErrorMappingHandler(HttpHandler next) {
        this(next, () -> false);
    }

    /** @param verbose whether this server adds each error's developer detail ({@link ClientErrors}) */
    ErrorMappingHandler(HttpHandler next, java.util.function.BooleanSupplier verbose) {
        this.next = next;
        this.verbose = verbose;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            next.handleRequest(exchange);
        } catch (Failure error) {
            respond(exchange, error, verbose.getAsBoolean());
        } catch (Exception unexpected) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), unexpected);
            respond(exchange, new ApiError(500, "InternalServerError",
                    "The server failed to handle this request; its log has the details."), false);
        }
    }

    private static void respond(HttpServerExchange exchange, Failure error, boolean verbose) {
        RequestLog.of(exchange).failed(error);
        exchange.putAttachment(UnroutedRequests.FAILURE, error);
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        JsonResponses.sendError(exchange, error, verbose);
    }
}
