package dev.thimble.runtime.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * {@code GET /api/client/v2.0/app/<client app id>/location}: the first call of both SDKs. They send
 * every later request to the {@code hostname} it returns, so that is this server's own origin as
 * the client reached it (or the configured public URL behind a proxy).
 */
final class LocationHandler implements HttpHandler {
    private final ServedApp app;
    private final String publicUrl;

    LocationHandler(ServedApp app, String publicUrl) {
        this.app = app;
        this.publicUrl = publicUrl;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        app.requireClientAppId(exchange);
        String origin = publicUrl != null ? publicUrl : exchange.getRequestScheme() + "://" + exchange.getHostAndPort();
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        body.put("deployment_model", app.model().deploymentModel());
        body.put("location", app.model().location());
        body.put("hostname", origin);
        body.put("ws_hostname", origin.replaceFirst("^http", "ws"));
        JsonResponses.send(exchange, 200, body);
    }
}
