package dev.thimble.runtime.server;

import dev.thimble.runtime.auth.AuthService;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The authentication step of a route that needs a signed-in caller: verifies the access token
 * (401 InvalidSession when it is missing, expired or revoked), attaches the caller to the exchange
 * for the route ({@link #caller}) and names the user in the request's log record.
 */
final class Authentication implements HttpHandler {
    private static final AttachmentKey<AuthService.Authenticated> CALLER = AttachmentKey.create(AuthService.Authenticated.class);

    private final HttpHandler next;
    private final Supplier<AuthService> auth;
    private final Function<HttpServerExchange, String> token;
    private final boolean warmUpAccepted;

    private Authentication(HttpHandler next, Supplier<AuthService> auth, Function<HttpServerExchange, String> token,
                           boolean warmUpAccepted) {
        this.next = next;
        this.auth = auth;
        this.token = token;
        this.warmUpAccepted = warmUpAccepted;
    }

    /** {@code route} for callers with an access token in {@code Authorization: Bearer}. */
    static HttpHandler required(Supplier<AuthService> auth, HttpHandler route) {
        return new Authentication(route, auth, RequestBodies::bearer, false);
    }

    /** {@code route} for callers whose access token {@code token} finds (e.g. a watch's {@code stitch_at} query). */
    static HttpHandler required(Supplier<AuthService> auth, Function<HttpServerExchange, String> token, HttpHandler route) {
        return new Authentication(route, auth, token, false);
    }

    /**
     * The function-call route's step: also lets the start-time warm-up's own loopback call through as the warm-up's
     * caller ({@link AuthService#authenticateCallOrWarmUp}, decision record 0075); the route sends it to the warm-up call.
     */
    static HttpHandler requiredOrWarmUp(Supplier<AuthService> auth, HttpHandler route) {
        return new Authentication(route, auth, RequestBodies::bearer, true);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String presented = token.apply(exchange);
        AuthService.Authenticated caller = warmUpAccepted ? auth.get().authenticateCallOrWarmUp(presented)
                : auth.get().authenticate(presented);
        exchange.putAttachment(CALLER, caller);
        RequestLog.of(exchange).userId(caller.user().id());
        next.handleRequest(exchange);
    }

    /** The caller this step authenticated; only routes behind it may ask. */
    static AuthService.Authenticated caller(HttpServerExchange exchange) {
        AuthService.Authenticated caller = exchange.getAttachment(CALLER);
        if (caller == null) {
            throw new IllegalStateException("route " + exchange.getRequestPath() + " is not behind the authentication step");
        }
        return caller;
    }
}
