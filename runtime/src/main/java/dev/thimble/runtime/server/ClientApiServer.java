package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.logs.LogType;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The HTTP server of one app: the client API under {@code /api/client/v2.0}, on a port of its own
 * ({@link #start}) or mounted on a server that hosts several apps ({@link #mount}). Requests pass
 * worker dispatch → the app's chain (request log → error mapping → allowed origins → app scope → body limit →
 * routes, see {@code appChain}); anything unrouted gets a JSON
 * 404 naming the route, and a log record.
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

    /** This app's own server; null when mounted on a shared one. */
    private final Undertow undertow;
    /** This app's own request threads; null when mounted on a shared server. */
    private final WorkerDispatchHandler dispatch;
    private final String host;
    private final WatchRoute watchRoute;
    /** The server hosting several apps this one is mounted on, or null. */
    private final MultiAppServer shared;
    private final String mountedAppId;
    private final java.util.concurrent.atomic.AtomicBoolean verboseErrors;

    private ClientApiServer(Undertow undertow, WorkerDispatchHandler dispatch, String host, WatchRoute watchRoute, MultiAppServer shared,
                            String mountedAppId, java.util.concurrent.atomic.AtomicBoolean verboseErrors) {
        this.undertow = undertow;
        this.dispatch = dispatch;
        this.host = host;
        this.watchRoute = watchRoute;
        this.shared = shared;
        this.mountedAppId = mountedAppId;
        this.verboseErrors = verboseErrors;
    }

    /**
     * Whether error messages carry their developer detail (the rule clause that was false, values left
     * out): on for the workbench and {@code thimble serve --verbose-errors}; off by default.
     */
    public void verboseErrors(boolean on) {
        verboseErrors.set(on);
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
        return start(app, auth, calls, watches, hooks, java.util.function.UnaryOperator.identity(), host, port, publicUrl);
    }

    /**
     * As above, with routes that must see a request before worker dispatch (WebSocket upgrades such as
     * Device Sync's {@code realm-sync}): {@code upgrades} wraps the whole chain.
     */
    public static ClientApiServer start(Supplier<AppModel> app, Supplier<AuthService> auth, Supplier<ClientCalls> calls,
                                        Supplier<ClientWatches> watches, Supplier<ClientHooks> hooks,
                                        java.util.function.UnaryOperator<HttpHandler> upgrades,
                                        String host, int port, String publicUrl) {
        return start(app, auth, calls, watches, hooks, upgrades, RequestLogging.NONE, host, port, publicUrl);
    }

    /** As above, with every request logged to {@code logging} ({@link RequestLogHandler}). */
    public static ClientApiServer start(Supplier<AppModel> app, Supplier<AuthService> auth, Supplier<ClientCalls> calls,
                                        Supplier<ClientWatches> watches, Supplier<ClientHooks> hooks,
                                        java.util.function.UnaryOperator<HttpHandler> upgrades, RequestLogging logging,
                                        String host, int port, String publicUrl) {
        ClientApiServer[] self = new ClientApiServer[1];
        Routes routes = routes(app, auth, calls, watches, hooks, publicUrl, () -> self[0].baseUrl());
        java.util.concurrent.atomic.AtomicBoolean verbose = new java.util.concurrent.atomic.AtomicBoolean();
        WorkerDispatchHandler dispatch = new WorkerDispatchHandler(appChain(routes, logging, verbose));
        HttpHandler chain = upgrades.apply(dispatch);
        Undertow undertow = listener(host, port, chain);
        undertow.start();
        self[0] = new ClientApiServer(undertow, dispatch, host, routes.watchRoute(), null, null, verbose);
        return self[0];
    }

    /**
     * As {@code start} with request logging, on a port that already listens ({@code thimble serve} binds it before the app is assembled): the
     * listener's requests go through this app's chain from now on, without the port ever closing.
     * {@code publicUrl} should be the one the listener was bound with.
     */
    public static ClientApiServer takeOver(EarlyListener listener, Supplier<AppModel> app, Supplier<AuthService> auth,
                                           Supplier<ClientCalls> calls, Supplier<ClientWatches> watches, Supplier<ClientHooks> hooks,
                                           java.util.function.UnaryOperator<HttpHandler> upgrades, RequestLogging logging,
                                           String publicUrl) {
        Routes routes = routes(app, auth, calls, watches, hooks, publicUrl, listener::baseUrl);
        java.util.concurrent.atomic.AtomicBoolean verbose = new java.util.concurrent.atomic.AtomicBoolean();
        WorkerDispatchHandler dispatch = new WorkerDispatchHandler(appChain(routes, logging, verbose));
        HttpHandler chain = upgrades.apply(dispatch);
        Undertow undertow = listener.handOver(chain);
        return new ClientApiServer(undertow, dispatch, listener.host(), routes.watchRoute(), null, null, verbose);
    }

    /** An HTTP listener on {@code host:port} (0 picks a free one) for {@code handler}, not started yet. */
    static Undertow listener(String host, int port, HttpHandler handler) {
        return Undertow.builder()
                .addHttpListener(port, host)
                // Undertow's own default (2 MB) would cut bodies our routes accept; they enforce
                // MAX_BODY_BYTES themselves and answer 413, draining up to this much.
                .setServerOption(io.undertow.UndertowOptions.MAX_ENTITY_SIZE, DRAIN_LIMIT_BYTES)
                .setHandler(handler)
                .build();
    }

    /**
     * Mounts an app on a server that hosts several ({@code thimble server}): requests whose client
     * app id is this app's come here. {@link #close()} unmounts it; the shared server keeps running.
     */
    public static ClientApiServer mount(MultiAppServer shared, Supplier<AppModel> app, Supplier<AuthService> auth,
                                        Supplier<ClientCalls> calls, Supplier<ClientWatches> watches, Supplier<ClientHooks> hooks,
                                        String publicUrl) {
        return mount(shared, app, auth, calls, watches, hooks, java.util.function.UnaryOperator.identity(), publicUrl);
    }

    /** As above, with routes that must see this app's requests first (Device Sync's WebSocket upgrade). */
    public static ClientApiServer mount(MultiAppServer shared, Supplier<AppModel> app, Supplier<AuthService> auth,
                                        Supplier<ClientCalls> calls, Supplier<ClientWatches> watches, Supplier<ClientHooks> hooks,
                                        java.util.function.UnaryOperator<HttpHandler> upgrades, String publicUrl) {
        return mount(shared, app, auth, calls, watches, hooks, upgrades, RequestLogging.NONE, publicUrl);
    }

    /** As above, with every request of this app logged to {@code logging} ({@link RequestLogHandler}). */
    public static ClientApiServer mount(MultiAppServer shared, Supplier<AppModel> app, Supplier<AuthService> auth,
                                        Supplier<ClientCalls> calls, Supplier<ClientWatches> watches, Supplier<ClientHooks> hooks,
                                        java.util.function.UnaryOperator<HttpHandler> upgrades, RequestLogging logging,
                                        String publicUrl) {
        Routes routes = routes(app, auth, calls, watches, hooks, publicUrl, shared::baseUrl);
        String clientAppId = app.get().clientAppId();
        java.util.concurrent.atomic.AtomicBoolean verbose = new java.util.concurrent.atomic.AtomicBoolean();
        // this app's errors are mapped here, with its own verbosity; the shared server maps the router's
        shared.router().mount(clientAppId, upgrades.apply(appChain(routes, logging, verbose)));
        return new ClientApiServer(null, null, shared.host(), routes.watchRoute(), shared, clientAppId, verbose);
    }

    /**
     * Where this app's request log records go: {@code sink} (the app's {@code LogService::append}),
     * with start and end times from {@code clock}.
     */
    public record RequestLogging(java.util.function.Consumer<dev.thimble.runtime.logs.LogRecord> sink, java.time.Clock clock) {
        /** No request records (tests of the routes alone). */
        public static final RequestLogging NONE = new RequestLogging(record -> { }, java.time.Clock.systemUTC());
    }

    /**
     * The handler chain of one app, outermost first: request log (one record per request) → error
     * mapping (exceptions become protocol error bodies, noted for the record) → allowed origins (CORS;
     * 403 for a browser origin the app does not allow) → app scope (404 for another app's id) → body
     * limit (413) → routes, where authentication is a step of the routes that need a caller
     * ({@link Authentication}).
     */
    private static HttpHandler appChain(Routes routes, RequestLogging logging, java.util.concurrent.atomic.AtomicBoolean verbose) {
        HttpHandler limited = new BodyLimitHandler(routes.handler(), MAX_BODY_BYTES);
        HttpHandler scoped = new AppScopeHandler(limited, routes.app());
        HttpHandler origins = new AllowedOriginsHandler(scoped, routes.app());
        return new RequestLogHandler(new ErrorMappingHandler(origins, verbose::get), logging.sink(), logging.clock());
    }

    /** One app's routes, and its watch route (which counts the open streams). */
    private record Routes(HttpHandler handler, WatchRoute watchRoute, ServedApp app) {
    }

    /** @param baseUrl this server's own base URL (asked per request: the port is known once listening) */
    private static Routes routes(Supplier<AppModel> app, Supplier<AuthService> auth, Supplier<ClientCalls> calls,
                                 Supplier<ClientWatches> watches, Supplier<ClientHooks> hooks, String publicUrl,
                                 Supplier<String> baseUrl) {
        ServedApp served = new ServedApp(app);
        LocationHandler location = new LocationHandler(served, publicUrl, baseUrl);
        WatchRoute watchRoute = new WatchRoute(watches);
        RoutingHandler routes = Handlers.routing()
                .get(CLIENT_API + "/app/{appId}/location", RequestLog.routine(location))
                .post(CLIENT_API + "/app/{appId}/functions/call", RequestLog.family(LogType.FUNCTION,
                        Authentication.requiredOrWarmUp(auth, new FunctionCallRoute(calls, MAX_BODY_BYTES))))
                .get(CLIENT_API + "/app/{appId}/functions/call", RequestLog.family(LogType.SERVICE_STREAM_FUNCTION,
                        Authentication.required(auth, WatchRoute::accessToken, watchRoute)));
        new AuthRoutes(served, auth, MAX_BODY_BYTES).addTo(routes);
        new WebhookRoutes(served, hooks).addTo(routes);
        // no route: logged as an API request (the default family)
        routes.setFallbackHandler(exchange -> {
                    throw ApiError.notFound("NotFound", "No route for " + exchange.getRequestMethod() + " "
                            + exchange.getRequestPath() + " on this Thimble server.");
                });
        routes.setInvalidMethodHandler(exchange -> {
            throw new ApiError(405, "BadRequest", exchange.getRequestMethod() + " is not allowed on "
                    + exchange.getRequestPath() + ".");
        });
        return new Routes(routes, watchRoute, served);
    }

    /**
     * One warm-up call through the function-call route's own code (decision record 0047): the request body's
     * parsing, {@link ClientCalls#warmUpCall} and the answer's EJSON text, without an exchange.
     */
    public static String warmUpFunctionCall(ClientCalls calls, String body, ClientCalls.CallInfo info) {
        return FunctionCallRoute.warmUp(calls, body, info);
    }

    /**
     * The requests the server this app is served on is handling now (all its apps' on a shared server): the
     * start-time warm-up yields to them (decision record 0060).
     */
    public RequestsInFlight requestsInFlight() {
        return shared != null ? shared.requestsInFlight() : dispatch.inFlight();
    }

    public int port() {
        return shared != null ? shared.port() : ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
    }

    /** The base URL of this server as seen from this machine, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return baseUrl(host, port());
    }

    /** {@code http://HOST:PORT} as a client on this machine reaches it (a wildcard address becomes 127.0.0.1). */
    static String baseUrl(String host, int port) {
        String shownHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (shownHost.contains(":")) {
            shownHost = "[" + shownHost + "]";
        }
        return "http://" + shownHost + ":" + port;
    }

    /** How many clients are watching (streaming) right now. */
    public int openWatchStreams() {
        return watchRoute.openStreams();
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.router().unmount(mountedAppId);
        } else {
            undertow.stop();
            dispatch.close();
        }
    }
}
