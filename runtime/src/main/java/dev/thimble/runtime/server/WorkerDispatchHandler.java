package dev.thimble.runtime.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Moves each request off the I/O thread onto a worker, so handlers may block (ARCHITECTURE: Threads). */
final class WorkerDispatchHandler implements HttpHandler {
    private final HttpHandler next;

    WorkerDispatchHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        next.handleRequest(exchange);
    }
}
