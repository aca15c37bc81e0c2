package dev.thimble.runtime.server;

import io.undertow.Undertow;

import java.net.InetSocketAddress;

/**
 * One HTTP server for several apps ({@code thimble server}): worker dispatch → error mapping → the
 * {@link AppRouter}, which hands each request to the admin API ({@link #mountAdmin}) or to the app its
 * client app id names; each app's own chain then logs it (ClientApiServer's app chain). Apps come and go
 * with {@link ClientApiServer#mount} and {@link ClientApiServer#close()}; the port stays open.
 */
public final class MultiAppServer implements AutoCloseable {
    private final Undertow undertow;
    private final WorkerDispatchHandler dispatch;
    private final AppRouter router;
    private final String host;

    private MultiAppServer(Undertow undertow, WorkerDispatchHandler dispatch, AppRouter router, String host) {
        this.undertow = undertow;
        this.dispatch = dispatch;
        this.router = router;
        this.host = host;
    }

    /** Starts listening on {@code host:port} (0 picks a free port) with no app mounted yet. */
    public static MultiAppServer start(String host, int port) {
        AppRouter router = new AppRouter();
        WorkerDispatchHandler dispatch = new WorkerDispatchHandler(new UnroutedRequests(new ErrorMappingHandler(router)), "thimble-request-");
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, host)
                // as ClientApiServer: the routes enforce the body limit themselves and answer 413
                .setServerOption(io.undertow.UndertowOptions.MAX_ENTITY_SIZE, ClientApiServer.DRAIN_LIMIT_BYTES)
                .setHandler(dispatch)
                .build();
        undertow.start();
        return new MultiAppServer(undertow, dispatch, router, host);
    }

    /** The requests this server (all its apps and the admin API) is handling now. */
    RequestsInFlight requestsInFlight() {
        return dispatch.inFlight();
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

    /**
     * Serves the admin API on this port beside the client API: every request under
     * {@code /api/admin/} and {@code /api/private/} goes to {@code routes}.
     */
    public void mountAdmin(io.undertow.server.HttpHandler routes) {
        router.mountAdmin(routes);
    }

    /**
     * Until {@code app} is mounted (or {@link #notStarting}), answers its location route and CORS, and 503
     * with Retry-After for its other routes ({@code thimble server} reads a bundle, then validates and
     * assembles it: seconds).
     */
    public void starting(dev.thimble.runtime.app.AppModel app, String publicUrl) {
        router.starting(app.clientAppId(), new StartingApp(app, publicUrl == null ? null : LocationHandler.checkedPublicUrl(publicUrl),
                this::baseUrl));
    }

    /** Ends {@link #starting}: the app is mounted now, or it was rejected (then its id gets 404 again). */
    public void notStarting(String clientAppId) {
        router.notStarting(clientAppId);
    }

    /**
     * While on, a request for an app id this server does not know yet gets 503 with Retry-After instead of
     * 404: the server listens before its database is open and its apps are read.
     */
    public void serverStarting(boolean on) {
        router.serverStarting(on);
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
        dispatch.close();
    }
}
