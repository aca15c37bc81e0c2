package dev.thimble.runtime.server;

import dev.thimble.runtime.app.AppModel;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client API's port, listening from the first moment of {@code thimble serve}, before the app is
 * assembled (its database opened, its functions parsed, its services built: seconds on a cold JVM).
 * Until then it answers what needs no assembled app: once the bundle is read ({@link #knowApp}), the
 * location route (the SDKs' first call), CORS and another app's id ({@link StartingApp}); every other
 * request gets 503 {@code ServiceUnavailable} in the protocol's error shape with {@code Retry-After},
 * and reaches nothing of the app. {@link ClientApiServer#takeOver} then hands the
 * same listener the app's real handler chain in one volatile write: the port never closes, a request
 * already inside the early chain finishes there, every later one goes through the real chain.
 * Decision 0023. The starting chain's request threads ({@value #THREAD_NAME}N) end at the hand-over
 * or when a failed start closes the listener (decision 0044).
 */
public final class EarlyListener implements AutoCloseable {
    /** The name prefix of the starting chain's request threads. */
    public static final String THREAD_NAME = "thimble-early-request-";
    private final Undertow undertow;
    /** The starting chain's request threads; shut down at the hand-over or close. */
    private final ExecutorService threads = dev.thimble.runtime.functions.ExecutionThreads.pool(THREAD_NAME, 4);
    private final String host;
    private final String publicUrl;
    private final AtomicBoolean handedOver = new AtomicBoolean();
    /** What answers requests: the starting chain, then the app's own. */
    private volatile HttpHandler current;
    /** The starting chain for a known app ({@link StartingApp}); null until the bundle is read. */
    private volatile HttpHandler knownApp;

    private EarlyListener(String host, int port, String publicUrl) {
        this.host = host;
        this.publicUrl = publicUrl == null ? null : LocationHandler.checkedPublicUrl(publicUrl);
        // A request that read the starting chain just before the hand-over may reach its pool just after the
        // shutdown: it still gets the starting chain's answer, on a thread of its own (a rare race).
        this.current = new WorkerDispatchHandler(new ErrorMappingHandler(this::whileStarting), task -> {
            try {
                threads.execute(task);
            } catch (RejectedExecutionException afterHandOver) {
                Thread late = new Thread(task, THREAD_NAME + "late");
                late.setDaemon(true);
                late.start();
            }
        });
        this.undertow = ClientApiServer.listener(host, port, exchange -> current.handleRequest(exchange));
    }

    /**
     * Listens on {@code host:port} at once (0 picks a free port); every request gets 503 until
     * {@link #knowApp} and the hand-over.
     *
     * @param publicUrl the origin clients reach this server at, or null (as {@link ClientApiServer#start})
     * @throws RuntimeException when the port cannot be bound (in use, not allowed)
     */
    public static EarlyListener bind(String host, int port, String publicUrl) {
        EarlyListener listener = new EarlyListener(host, port, publicUrl);
        listener.undertow.start();
        return listener;
    }

    /** From now on the location route answers for {@code app} (the bundle is read, not yet validated). */
    public void knowApp(AppModel app) {
        knownApp = new StartingApp(app, publicUrl, this::baseUrl);
    }

    private void whileStarting(HttpServerExchange exchange) throws Exception {
        HttpHandler known = knownApp;
        if (known == null) {
            StartingApp.refuse(exchange);
            return;
        }
        known.handleRequest(exchange);
    }

    /** Hands the port to the app's real chain (once); returns the server, which its new owner stops. */
    Undertow handOver(HttpHandler chain) {
        if (!handedOver.compareAndSet(false, true)) {
            throw new IllegalStateException("this listener was handed over already");
        }
        current = chain;
        threads.shutdown(); // requests already inside the starting chain finish; later ones go to the app's
        return undertow;
    }

    /** Whether the starting chain's request threads have all ended (after the hand-over or close). */
    boolean threadsEnded() {
        return threads.isTerminated();
    }

    String host() {
        return host;
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
    }

    /** The base URL of this listener as seen from this machine, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return ClientApiServer.baseUrl(host, port());
    }

    /** Stops listening, unless the port was handed over (its new owner stops it then): a start that failed. */
    @Override
    public void close() {
        if (!handedOver.get()) {
            undertow.stop();
            threads.shutdown();
        }
    }
}
