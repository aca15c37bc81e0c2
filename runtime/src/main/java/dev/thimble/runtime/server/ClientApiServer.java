package dev.thimble.runtime.server;

import dev.thimble.runtime.ApiError;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.auth.AuthService;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The HTTP server of one app: the client API under {@code /api/client/v2.0}. Requests pass
 * worker dispatch → error mapping → routes; anything unrouted gets a JSON 404 naming the route.
 * The {@code auth} supplier may return the service of the current app version.
 */
public final class ClientApiServer implements AutoCloseable {
    public static final String CLIENT_API = "/api/client/v2.0";
    /** The largest request body accepted: Stitch's limit for arguments, headers and body (STITCH-SPEC §3). */
    public static final long MAX_BODY_BYTES = 18L * 1024 * 1024;
    /**
     * The largest response body sent (a function's result, a webhook's reply): the same as requests.
     * A larger one is answered with ReadSizeLimitExceeded, the protocol's error for it.
     */
    /**
     * How much of a refused (too large) body is read and discarded so that the client, still
     * sending, can read the 413; a client that sends more than this has its connection closed.
     */
    static final long DRAIN_LIMIT_BYTES = 2 * MAX_BODY_BYTES;
    public static final long MAX_RESPONSE_BYTES = 18L * 1024 * 1024;

    private final Undertow undertow;
    private final String host;
    private final WatchRoute watchRoute;

    private ClientApiServer(Undertow undertow, String host, WatchRoute watchRoute) {
        this.undertow = undertow;
        this.host = host;
        this.watchRoute = watchRoute;
    }

    /**
     * Starts serving on {@code host:port} (port 0 picks a free one).
     *
     * @param publicUrl the origin clients should use (behind a proxy), or null to answer with the
     *                  origin each client used
     */
    public static ClientApiServer start(Supplier<AppModel> app, Supplier<AuthService> auth, Supplier<ClientCalls> calls,
                                        String host, int port, String publicUrl) {
        return start(app, auth, calls, () -> null, host, port, publicUrl);
    }

    /**
     * Starts serving on {@code host:port} (port 0 picks a free one), with streaming watches.
     *
     * @param watches the watch service of the current app version, or null for none
     */
    public static ClientApiServer start(Supplier<AppModel> app, Supplier<AuthService> auth, Supplier<ClientCalls> calls,
                                        Supplier<ClientWatches> watches, String host, int port, String publicUrl) {
        return start(app, auth, calls, watches, () -> null, host, port, publicUrl);
    }

    /**
     * Starts serving on {@code host:port} (port 0 picks a free one), with streaming watches, incoming
     * webhooks and HTTPS endpoints.
     *
     * @param hooks the webhooks and endpoints of the current app version, or null for none
     */
    public static ClientApiServer start(Supplier<AppModel> app, Supplier<AuthService> auth, Supplier<ClientCalls> calls,
                                        Supplier<ClientWatches> watches, Supplier<ClientHooks> hooks,
                                        String host, int port, String publicUrl) {
        ServedApp served = new ServedApp(app);
        ClientApiServer[] self = new ClientApiServer[1];
        LocationHandler location = new LocationHandler(served, publicUrl, () -> self[0].baseUrl());
        WatchRoute watchRoute = new WatchRoute(served, auth, watches);
        RoutingHandler routes = Handlers.routing()
                .get(CLIENT_API + "/app/{appId}/location", location)
                .post(CLIENT_API + "/app/{appId}/functions/call", new FunctionCallRoute(served, auth, calls, MAX_BODY_BYTES))
                .get(CLIENT_API + "/app/{appId}/functions/call", watchRoute);
        new AuthRoutes(served, auth, MAX_BODY_BYTES).addTo(routes);
        new WebhookRoutes(served, hooks).addTo(routes);
        routes.setFallbackHandler(exchange -> {
                    throw ApiError.notFound("NotFound", "No route for " + exchange.getRequestMethod() + " "
                            + exchange.getRequestPath() + " on this Thimble server.");
                });
        routes.setInvalidMethodHandler(exchange -> {
            throw new ApiError(405, "BadRequest", exchange.getRequestMethod() + " is not allowed on "
                    + exchange.getRequestPath() + ".");
        });
        HttpHandler chain = new WorkerDispatchHandler(new ErrorMappingHandler(routes));
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, host)
                // Undertow's own default (2 MB) would cut bodies our routes accept; they enforce
                // MAX_BODY_BYTES themselves and answer 413, draining up to this much.
                .setServerOption(io.undertow.UndertowOptions.MAX_ENTITY_SIZE, DRAIN_LIMIT_BYTES)
                .setHandler(chain)
                .build();
        undertow.start();
        self[0] = new ClientApiServer(undertow, host, watchRoute);
        return self[0];
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
    }

    /** The base URL of this server as seen from this machine, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        String shownHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (shownHost.contains(":")) {
            shownHost = "[" + shownHost + "]";
        }
        return "http://" + shownHost + ":" + port();
    }

    /** How many clients are watching (streaming) right now. */
    public int openWatchStreams() {
        return watchRoute.openStreams();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
