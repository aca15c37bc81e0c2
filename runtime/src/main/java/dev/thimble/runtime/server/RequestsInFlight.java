package dev.thimble.runtime.server;

import io.undertow.server.HttpServerExchange;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests a server is handling now, counted from their hand-off to a request thread until their handler
 * returns (a watch stream counts while it is being opened, not while it stays open). The start-time warm-up waits
 * while any is in flight or one ended moments ago (decision record 0060): on a small machine it would take the CPU
 * from the requests it is meant to speed up. The warm-up's own loopback requests are not counted.
 */
public final class RequestsInFlight {
    /** The User-Agent of the warm-up's own loopback requests ({@code CallPathWarmUp}). */
    public static final String WARM_UP_AGENT = "thimble-warm-up";

    private final AtomicInteger now = new AtomicInteger();
    /** When the last counted request ended ({@link System#nanoTime}). */
    private volatile long lastEndNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    /** Requests in flight now. */
    public int now() {
        return now.get();
    }

    /** Whether a request is in flight, or one ended less than {@code quietNanos} ago. */
    public boolean busy(long quietNanos) {
        return now.get() > 0 || System.nanoTime() - lastEndNanos < quietNanos;
    }

    void begin() {
        now.incrementAndGet();
    }

    void end() {
        lastEndNanos = System.nanoTime();
        now.decrementAndGet();
    }

    /** The warm-up's own requests: from a loopback address, with its User-Agent. Anything else counts. */
    static boolean counts(HttpServerExchange exchange) {
        if (!WARM_UP_AGENT.equals(exchange.getRequestHeaders().getFirst(io.undertow.util.Headers.USER_AGENT))) {
            return true;
        }
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null || source.getAddress() == null || !source.getAddress().isLoopbackAddress();
    }
}
