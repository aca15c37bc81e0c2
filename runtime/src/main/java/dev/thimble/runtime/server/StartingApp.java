package dev.thimble.runtime.server;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.errors.ApiError;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;

import java.util.function.Supplier;

/**
 * What answers for an app whose bundle is read but which is not assembled yet (its database opening,
 * its functions being parsed, its services built): the location route (the SDKs' first call), CORS by
 * the app's allowed origins and 404 for another app's id, as the assembled app answers them; every other
 * request gets 503 {@code ServiceUnavailable} in the protocol's error shape with {@code Retry-After},
 * and reaches nothing of the app. Errors are thrown for the chain's error mapping to answer.
 */
final class StartingApp implements HttpHandler {
    /** How long a client should wait before trying again while the app starts. */
    static final long RETRY_AFTER_SECONDS = 1;

    private final HttpHandler chain;

    /**
     * @param publicUrl the origin clients reach the server at (checked), or null
     * @param ownUrl    the server's own base URL, answered when a request's {@code Host} is not usable
     */
    StartingApp(AppModel app, String publicUrl, Supplier<String> ownUrl) {
        ServedApp served = new ServedApp(() -> app);
        RoutingHandler routes = Handlers.routing()
                .get(ClientApiServer.CLIENT_API + "/app/{appId}/location", new LocationHandler(served, publicUrl, ownUrl));
        routes.setFallbackHandler(StartingApp::refuse);
        routes.setInvalidMethodHandler(StartingApp::refuse);
        this.chain = new AllowedOriginsHandler(new AppScopeHandler(routes, served), served);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        chain.handleRequest(exchange);
    }

    /** The 503 of a request that needs the assembled app. */
    static void refuse(HttpServerExchange exchange) {
        throw new ApiError(503, "ServiceUnavailable", "The app is still starting on this Thimble server; try again in a moment.")
                .withRetryAfterSeconds(RETRY_AFTER_SECONDS);
    }
}
