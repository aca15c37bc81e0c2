package dev.thimble.runtime.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.net.URI;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code GET /api/client/v2.0/app/<client app id>/location}: the first call of both SDKs. They send
 * every later request (and the user's tokens) to the {@code hostname} it returns, so when a public
 * URL is configured that is the answer whatever the request's {@code Host} header says; without
 * one it is the origin the client used, if its {@code Host} is a plain host and port, else this
 * server's own address.
 */
final class LocationHandler implements HttpHandler {
    /** A DNS name, an IPv4 address or a bracketed IPv6 address, with an optional port: nothing else is echoed. */
    private static final Pattern PLAIN_AUTHORITY =
            Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}])(?::[0-9]{1,5})?");

    private final ServedApp app;
    private final String publicUrl;
    private final Supplier<String> ownUrl;

    /**
     * @param publicUrl the configured public origin ({@code http(s)://host[:port]}), or null
     * @param ownUrl    this server's own address, answered when the request's {@code Host} is not usable
     */
    LocationHandler(ServedApp app, String publicUrl, Supplier<String> ownUrl) {
        this.app = app;
        this.publicUrl = publicUrl == null ? null : checkedPublicUrl(publicUrl);
        this.ownUrl = ownUrl;
    }

    /** The public URL as an origin without a trailing slash; refuses anything but {@code http(s)://host[:port]}. */
    static String checkedPublicUrl(String url) {
        String trimmed = url.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The public URL '" + url + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getRawAuthority() == null
                || !PLAIN_AUTHORITY.matcher(uri.getRawAuthority()).matches()
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("The public URL '" + url + "' must be an origin: http:// or https://, a host"
                    + " and an optional port, no path (e.g. https://app.example.com).");
        }
        return trimmed;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String origin = publicUrl != null ? publicUrl : requestOrigin(exchange);
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        body.put("deployment_model", app.model().deploymentModel());
        body.put("location", app.model().location());
        body.put("hostname", origin);
        body.put("ws_hostname", origin.replaceFirst("^http", "ws"));
        JsonResponses.send(exchange, 200, body);
    }

    private String requestOrigin(HttpServerExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (host == null || !PLAIN_AUTHORITY.matcher(host).matches()) {
            return ownUrl.get();
        }
        return exchange.getRequestScheme() + "://" + host;
    }
}
