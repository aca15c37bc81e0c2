package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.Failure;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of a request that no app of a server of several apps took: an unknown client app id, a
 * path under no app, a token that names no app. There is no app log to put it in, so it goes to the
 * server's own log (what {@code thimble server} prints and its log file keeps), one line per request
 * with the method, the path without its query (watch URLs carry tokens there), the status, the error
 * code and the caller's address: enough to answer "why was I refused?" from the operator's side.
 * Requests an app or the admin API took are logged there and not here.
 */
final class UnroutedRequests implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(UnroutedRequests.class);
    /** Set by the router when an app's chain or the admin API takes the request. */
    static final AttachmentKey<Boolean> ROUTED = AttachmentKey.create(Boolean.class);
    /** Set by the error mapping: the failure the request was answered with. */
    static final AttachmentKey<Failure> FAILURE = AttachmentKey.create(Failure.class);

    private final HttpHandler next;

    UnroutedRequests(HttpHandler next) {
        this.next = next;
    }

    static void routed(HttpServerExchange exchange) {
        exchange.putAttachment(ROUTED, Boolean.TRUE);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addResponseCommitListener(committed -> {
            if (committed.getAttachment(ROUTED) == null) {
                Failure failure = committed.getAttachment(FAILURE);
                LOG.info("{} {} -> {} {} from {}: {}", committed.getRequestMethod(), committed.getRequestPath(),
                        committed.getStatusCode(), failure == null ? "-" : failure.code(),
                        committed.getSourceAddress() == null ? "?" : committed.getSourceAddress().getAddress().getHostAddress(),
                        failure == null ? "no app took this request" : failure.getMessage());
            }
        });
        next.handleRequest(exchange);
    }
}
