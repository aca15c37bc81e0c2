package dev.thimble.runtime.server;

import dev.thimble.runtime.functions.ExecutionThreads;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves each request off the I/O thread onto a request thread, so handlers may block (ARCHITECTURE: Threads).
 * The request threads are the function engine's {@link ExecutionThreads}: a function the request calls runs
 * on the same thread instead of being handed to a runner and back (decision record 0041). It counts the requests
 * in flight ({@link RequestsInFlight}), which the start-time warm-up yields to (decision record 0060).
 */
final class WorkerDispatchHandler implements HttpHandler, AutoCloseable {
    private final HttpHandler next;
    private final Executor threads;
    /** The pool this handler made and shuts down on close, or null for threads owned elsewhere. */
    private final ExecutorService owned;
    private final RequestsInFlight inFlight = new RequestsInFlight();
    /** What ends an exchange's count, set when it is first counted. */
    private static final AttachmentKey<Runnable> COUNTED = AttachmentKey.create(Runnable.class);

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
            // counted from the hand-off: a request waiting for a free request thread is in flight too
            count(exchange);
            exchange.dispatch(threads, this);
            return;
        }
        Runnable end = count(exchange);
        try {
            exchange.startBlocking();
            next.handleRequest(exchange);
        } finally {
            end.run();
        }
    }

    /**
     * Counts the exchange in flight once (unless it is the warm-up's own) until its handler returns or, should it
     * never run (a refused hand-off), the exchange completes; returns what ends the count (idempotent).
     */
    private Runnable count(HttpServerExchange exchange) {
        Runnable end = exchange.getAttachment(COUNTED);
        if (end != null) {
            return end;
        }
        if (!RequestsInFlight.counts(exchange)) {
            end = () -> { };
        } else {
            inFlight.begin();
            AtomicBoolean open = new AtomicBoolean(true);
            end = () -> {
                if (open.compareAndSet(true, false)) {
                    inFlight.end();
                }
            };
            Runnable ending = end;
            exchange.addExchangeCompleteListener((done, nextListener) -> {
                ending.run();
                nextListener.proceed();
            });
        }
        exchange.putAttachment(COUNTED, end);
        return end;
    }

    /** The requests this handler's server is handling now. */
    RequestsInFlight inFlight() {
        return inFlight;
    }

    /** Lets the requests in progress finish; call after the server stopped listening. */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown();
        }
    }
}
