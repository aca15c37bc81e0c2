package dev.thimble.runtime.server;

import dev.thimble.runtime.functions.ExecutionThreads;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Moves each request off the I/O thread onto a request thread, so handlers may block (ARCHITECTURE: Threads).
 * The request threads are the function engine's {@link ExecutionThreads}: a function the request calls runs
 * on the same thread instead of being handed to a runner and back (decision record 0041).
 */
final class WorkerDispatchHandler implements HttpHandler, AutoCloseable {
    private final HttpHandler next;
    private final Executor threads;
    /** The pool this handler made and shuts down on close, or null for threads owned elsewhere. */
    private final ExecutorService owned;

    /** With threads named {@code thimble-request-N}. */
    WorkerDispatchHandler(HttpHandler next) {
        this(next, "thimble-request-");
    }

    WorkerDispatchHandler(HttpHandler next, String name) {
        this.next = next;
        this.owned = ExecutionThreads.pool(name, ExecutionThreads.defaultRequestThreads());
        this.threads = owned;
    }

    /** On {@code threads}, which their owner shuts down ({@link #close} leaves them alone). */
    WorkerDispatchHandler(HttpHandler next, Executor threads) {
        this.next = next;
        this.owned = null;
        this.threads = threads;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(threads, this);
            return;
        }
        exchange.startBlocking();
        next.handleRequest(exchange);
    }

    /** Lets the requests in progress finish; call after the server stopped listening. */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown();
        }
    }
}
