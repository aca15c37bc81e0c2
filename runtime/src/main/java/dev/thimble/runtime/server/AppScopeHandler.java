package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a request to the app it names: an app-scoped path ({@code /api/client/v2.0/app/<id>/…}, or an
 * endpoint's {@code /app/<id>/endpoint/…}) whose client app id is not this app's is answered 404
 * AppNotFound before any route sees it. Paths without an app id (the user routes under
 * {@code /auth/…}, the OAuth callback) pass: they find their app by token or state.
 */
final class AppScopeHandler implements HttpHandler {
    private static final Pattern APP_PATH = Pattern.compile("^(?:" + Pattern.quote(ClientApiServer.CLIENT_API) + ")?/app/([^/]+)(?:/.*)?$");

    private final HttpHandler next;
    private final ServedApp app;

    AppScopeHandler(HttpHandler next, ServedApp app) {
        this.next = next;
        this.app = app;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Matcher scoped = APP_PATH.matcher(exchange.getRequestPath());
        if (scoped.matches()) {
            String requested = scoped.group(1);
            String served = app.model().clientAppId();
            if (!served.equals(requested)) {
                throw ApiError.notFound("AppNotFound", "There is no app with client app id \"" + requested
                        + "\" on this server; it serves \"" + served + "\". Check the app id in your client's configuration.");
            }
        }
        next.handleRequest(exchange);
    }
}
