package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The top-level dispatch of a server that hosts several apps on one port: a request goes to the app
 * its client app id names. The id is in the path of every app-scoped route
 * ({@code /api/client/v2.0/app/<id>/…}); the user routes without it ({@code /auth/profile},
 * {@code /auth/session}, …) go by the issuer of their bearer token (read here unverified: the app
 * then verifies it with its own key, so a forged issuer only picks which app refuses it); the
 * redirect-OAuth callback goes by its {@code state}, remembered when the app's login redirect
 * passed through here. Apps are mounted and unmounted while the server runs.
 */
final class AppRouter implements HttpHandler {
    private static final Pattern APP_PATH = Pattern.compile("^" + Pattern.quote(ClientApiServer.CLIENT_API) + "/app/([^/]+)(/.*)?$");
    private static final Pattern STATE = Pattern.compile("(?:^|&)state=([^&]*)");
    private static final Pattern ISSUER = Pattern.compile("\"(?:iss|baas_domain_id)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration OAUTH_STATE_LIFETIME = Duration.ofMinutes(15);

    private final Map<String, HttpHandler> apps = new ConcurrentHashMap<>();
    /** Apps whose bundle is read but which are not mounted yet ({@link StartingApp}: location, else 503). */
    private final Map<String, HttpHandler> starting = new ConcurrentHashMap<>();
    /** While the server itself starts (its database opening, its first apps read), an unknown app id gets 503, not 404. */
    private volatile boolean serverStarting;
    /** The admin API ({@code /api/admin/…}, {@code /api/private/…}) beside the client API, once mounted. */
    private volatile HttpHandler admin;
    /** OAuth {@code state} → the client app id whose login sent it, until its callback or expiry. */
    private final Map<String, PendingState> oauthStates = new ConcurrentHashMap<>();

    private record PendingState(String appId, Instant expires) {
    }

    void mount(String clientAppId, HttpHandler routes) {
        if (apps.putIfAbsent(clientAppId, routes) != null) {
            throw new IllegalStateException("An app with client app id " + clientAppId + " is served here already.");
        }
    }

    void unmount(String clientAppId) {
        apps.remove(clientAppId);
    }

    /** Answers for {@code clientAppId} as a starting app until it is mounted or {@link #notStarting}. */
    void starting(String clientAppId, HttpHandler startingApp) {
        starting.put(clientAppId, startingApp);
    }

    /** The app is mounted now, or will not be: its starting answers end. */
    void notStarting(String clientAppId) {
        starting.remove(clientAppId);
    }

    void serverStarting(boolean on) {
        serverStarting = on;
    }

    /** Serves the admin API's paths with {@code routes} (set once, by the server home). */
    void mountAdmin(HttpHandler routes) {
        admin = routes;
    }

    int mounted() {
        return apps.size();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        Matcher app = APP_PATH.matcher(path);
        if (app.matches()) {
            String appId = app.group(1);
            HttpHandler routes = routesOf(appId);
            if (exchange.getRequestMethod().equals(Methods.GET) && path.endsWith("/login")) {
                rememberOAuthState(exchange, appId);
            }
            UnroutedRequests.routed(exchange);
            routes.handleRequest(exchange);
            return;
        }
        HttpHandler adminRoutes = admin;
        if (adminRoutes != null && (path.startsWith("/api/admin/") || path.startsWith("/api/private/") || path.equals("/api/admin"))) {
            UnroutedRequests.routed(exchange);
            adminRoutes.handleRequest(exchange);
            return;
        }
        if (path.equals(AuthRoutes.CALLBACK)) {
            HttpHandler routes = routesOf(appOfCallback(exchange));
            UnroutedRequests.routed(exchange);
            routes.handleRequest(exchange);
            return;
        }
        if (path.startsWith(ClientApiServer.CLIENT_API + "/auth/")) {
            HttpHandler routes = routesOf(appOfToken(exchange));
            UnroutedRequests.routed(exchange);
            routes.handleRequest(exchange);
            return;
        }
        throw ApiError.notFound("NotFound", "No route for " + exchange.getRequestMethod() + " " + path
                + " on this Thimble server; the client API of each app is under " + ClientApiServer.CLIENT_API + "/app/<client app id>.");
    }

    private HttpHandler routesOf(String appId) {
        HttpHandler routes = appId == null ? null : apps.get(appId);
        if (routes == null && appId != null) {
            routes = starting.get(appId); // a mount puts the app in apps before it leaves starting: no gap
        }
        if (routes == null && serverStarting) {
            return StartingApp::refuse;
        }
        if (routes == null) {
            throw ApiError.notFound("AppNotFound", "There is no app with client app id \"" + appId
                    + "\" on this server. Check the app id in your client's configuration.");
        }
        return routes;
    }

    /** The app that issued the request's bearer token; the only app when there is one and the token names none. */
    private String appOfToken(HttpServerExchange exchange) {
        String token = RequestBodies.bearer(exchange);
        String issuer = token == null ? null : issuer(token);
        if (issuer != null) {
            return issuer;
        }
        if (apps.size() == 1) {
            return apps.keySet().iterator().next();
        }
        throw ApiError.invalidSession("invalid session: the request's token does not say which app issued it; log in again");
    }

    /** The {@code iss} (or {@code baas_domain_id}) claim of a JWT, unverified; null when it has none. */
    static String issuer(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher issuer = ISSUER.matcher(payload);
            return issuer.find() ? issuer.group(1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Notes the {@code state} of a redirect-OAuth login's redirect to the IdP, once the app answered. */
    private void rememberOAuthState(HttpServerExchange exchange, String appId) {
        exchange.addResponseCommitListener(ex -> {
            String location = ex.getResponseHeaders().getFirst(Headers.LOCATION);
            if (location == null) {
                return;
            }
            try {
                String query = URI.create(location).getRawQuery();
                Matcher state = query == null ? null : STATE.matcher(query);
                if (state != null && state.find()) {
                    Instant now = Instant.now();
                    oauthStates.values().removeIf(p -> p.expires().isBefore(now));
                    oauthStates.put(java.net.URLDecoder.decode(state.group(1), StandardCharsets.UTF_8),
                            new PendingState(appId, now.plus(OAUTH_STATE_LIFETIME)));
                }
            } catch (IllegalArgumentException e) {
                // not a URL we can read: no OAuth state to remember
            }
        });
    }

    private String appOfCallback(HttpServerExchange exchange) {
        var state = exchange.getQueryParameters().get("state");
        PendingState pending = state == null || state.isEmpty() ? null : oauthStates.remove(state.getFirst());
        if (pending != null) {
            return pending.appId();
        }
        if (apps.size() == 1) {
            return apps.keySet().iterator().next();
        }
        throw ApiError.badRequest("AuthError", "unknown or expired OAuth state: this sign-in was not started on this server,"
                + " was already used, or took too long; start it again");
    }
}
