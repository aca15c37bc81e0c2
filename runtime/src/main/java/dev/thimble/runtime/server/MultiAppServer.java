package dev.thimble.runtime.server;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.PathHandler;

import java.net.InetSocketAddress;

/**
 * One HTTP server for several apps ({@code thimble server}): worker dispatch → error mapping → path
 * prefixes mounted beside the client API ({@link #mountPrefix}) → the {@link AppRouter}, which hands
 * each request to the app its client app id names; each app's own chain then logs it
 * (ClientApiServer's app chain). Apps come and go
 * with {@link ClientApiServer#mount} and {@link ClientApiServer#close()}; the port stays open.
 */
public final class MultiAppServer implements AutoCloseable {
    private final Undertow undertow;
    private final AppRouter router;
    private final String host;

    /** Path prefixes served beside the apps' client APIs (the admin API); the router gets the rest. */
    private final PathHandler prefixes;

    private MultiAppServer(Undertow undertow, AppRouter router, PathHandler prefixes, String host) {
        this.undertow = undertow;
        this.prefixes = prefixes;
        this.router = router;
        this.host = host;
    }

    /** Starts listening on {@code host:port} (0 picks a free port) with no app mounted yet. */
    public static MultiAppServer start(String host, int port) {
        AppRouter router = new AppRouter();
        PathHandler prefixes = Handlers.path(router);
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, host)
                // as ClientApiServer: the routes enforce the body limit themselves and answer 413
                .setServerOption(io.undertow.UndertowOptions.MAX_ENTITY_SIZE, ClientApiServer.DRAIN_LIMIT_BYTES)
                .setHandler(new WorkerDispatchHandler(new ErrorMappingHandler(prefixes)))
                .build();
        undertow.start();
        return new MultiAppServer(undertow, router, prefixes, host);
    }

    /**
     * The one place another API mounts beside the apps' client APIs: {@code handler} serves every
     * request under {@code prefix} (e.g. {@code /api/admin/v3.0}, {@code /api/private/v1.0}), on a
     * worker thread, after this server's error mapping; requests for an app go to the router as before.
     */
    public void mountPrefix(String prefix, io.undertow.server.HttpHandler handler) {
        prefixes.addPrefixPath(prefix, handler);
    }

    /** Stops serving {@code prefix}. */
    public void unmountPrefix(String prefix) {
        prefixes.removePrefixPath(prefix);
    }

    AppRouter router() {
        return router;
    }

    String host() {
        return host;
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
    }

    /** How many apps are mounted now. */
    public int apps() {
        return router.mounted();
    }

    /** The base URL clients configure, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        String shownHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (shownHost.contains(":")) {
            shownHost = "[" + shownHost + "]";
        }
        return "http://" + shownHost + ":" + port();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
