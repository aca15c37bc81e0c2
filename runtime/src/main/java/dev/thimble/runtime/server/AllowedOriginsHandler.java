package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * CORS for one app's client API, by the app's allowed request origins
 * ({@code security.allowed_request_origins}). A request without an {@code Origin} header is not a
 * browser's cross-origin call (native SDKs, servers, curl) and passes untouched. A browser's request
 * from an allowed origin (any origin when the app lists none, as the vendor's servers did) passes with
 * {@code Access-Control-Allow-Origin} naming that origin; its preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) is answered here with 204 and the methods and headers the
 * SDKs send. A request or preflight from any other origin is refused with 403 {@code OriginNotAllowed}
 * in the protocol's error shape before a route sees it (so nothing changes), and the request log
 * records the refusal with the origin. Incoming webhooks and HTTPS endpoints are exempt: other
 * servers call them, and they authenticate callers themselves.
 */
final class AllowedOriginsHandler implements HttpHandler {
    static final HttpString ORIGIN = new HttpString("Origin");
    static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
    static final HttpString EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
    static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");
    static final HttpString REQUEST_HEADERS = new HttpString("Access-Control-Request-Headers");
    private static final HttpString VARY = new HttpString("Vary");
    private static final String METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    /** What the SDKs send beyond the safelisted headers, when a preflight does not say. */
    private static final String DEFAULT_HEADERS = "Authorization, Content-Type, X-Requested-With, Accept";
    /** A preflight's requested header names are echoed only when they are plain header tokens. */
    private static final Pattern HEADER_LIST = Pattern.compile("^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\\s*,\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$");
    private static final Pattern EXEMPT = Pattern.compile("^(?:/app/[^/]+/endpoint/.*|"
            + Pattern.quote(ClientApiServer.CLIENT_API) + "/app/[^/]+/service/[^/]+/incoming_webhook/.*)$");

    private final HttpHandler next;
    private final ServedApp app;

    AllowedOriginsHandler(HttpHandler next, ServedApp app) {
        this.next = next;
        this.app = app;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap request = exchange.getRequestHeaders();
        String origin = request.getFirst(ORIGIN);
        if (origin == null || EXEMPT.matcher(exchange.getRequestPath()).matches()) {
            next.handleRequest(exchange);
            return;
        }
        boolean preflight = exchange.getRequestMethod().equals(Methods.OPTIONS) && request.contains(REQUEST_METHOD);
        List<String> allowed = app.model().allowedRequestOrigins();
        if (!allows(allowed, origin)) {
            throw new ApiError(403, "OriginNotAllowed", "Requests from origin " + abbreviate(origin) + " are not allowed by app "
                    + app.model().clientAppId() + (preflight ? " (preflight of " + abbreviate(request.getFirst(REQUEST_METHOD)) + ")" : "")
                    + "; add it to the app's allowed request origins (security.allowed_request_origins) to let browsers there call it.");
        }
        HeaderMap response = exchange.getResponseHeaders();
        response.put(ALLOW_ORIGIN, origin);
        response.add(VARY, "Origin");
        if (preflight) {
            String asked = request.getFirst(REQUEST_HEADERS);
            response.put(ALLOW_METHODS, METHODS);
            response.put(ALLOW_HEADERS, asked != null && HEADER_LIST.matcher(asked.strip()).matches() ? asked.strip() : DEFAULT_HEADERS);
            response.put(MAX_AGE, "600");
            response.add(VARY, "Access-Control-Request-Method");
            response.add(VARY, "Access-Control-Request-Headers");
            exchange.setStatusCode(204);
            exchange.endExchange();
            return;
        }
        response.put(EXPOSE_HEADERS, "Retry-After, Location");
        next.handleRequest(exchange);
    }

    /** Whether {@code origin} may call: any when none is listed, else one listed equal to it (scheme, host, port). */
    static boolean allows(List<String> allowed, String origin) {
        if (allowed.isEmpty()) {
            return true;
        }
        String asked = normalise(origin);
        return asked != null && allowed.stream().anyMatch(a -> asked.equals(normalise(a)));
    }

    /**
     * {@code scheme://host[:port]} in lower case, without a default port or a trailing slash; null for
     * something that is not an origin (the literal {@code null} of sandboxed pages matches only itself).
     */
    static String normalise(String origin) {
        String text = origin.strip();
        if (text.equals("null")) {
            return "null";
        }
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        String clean = text.replaceAll("[\\p{Cntrl}]", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }
}
