package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.logs.LogType;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The routes of incoming webhooks ({@code /api/client/v2.0/app/<id>/service/<svc>/incoming_webhook/<hook>})
 * and HTTPS endpoints ({@code /app/<id>/endpoint/<route>}, also under {@code /api/client/v2.0}) for every
 * HTTP method; the hook's own {@code httpMethod} decides which it accepts. The Data API lives under the
 * endpoint prefix ({@code /endpoint/data/<version>/action/<action>}) and goes to its own handler.
 */
final class WebhookRoutes implements HttpHandler {
    static final String WEBHOOK = ClientApiServer.CLIENT_API + "/app/{appId}/service/{service}/incoming_webhook/{webhook}";
    static final String ENDPOINT = "/app/{appId}/endpoint/*";
    /** The Data API's routes under the endpoint prefix: {@code /data/<version>/action/<action>}. */
    private static final java.util.regex.Pattern DATA_API = java.util.regex.Pattern.compile("/data/([^/]+)/action/([^/]+)/?");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    private final ServedApp app;
    private final Supplier<ClientHooks> hooks;

    WebhookRoutes(ServedApp app, Supplier<ClientHooks> hooks) {
        this.app = app;
        this.hooks = hooks;
    }

    void addTo(RoutingHandler routes) {
        HttpHandler webhook = RequestLog.family(LogType.WEBHOOK, this);
        HttpHandler endpoint = RequestLog.family(LogType.ENDPOINT, this);
        for (String method : METHODS) {
            routes.add(method, WEBHOOK, webhook);
            routes.add(method, ENDPOINT, endpoint);
            routes.add(method, ClientApiServer.CLIENT_API + ENDPOINT, endpoint);
        }
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        ClientHooks current = hooks.get();
        if (current == null) {
            throw ApiError.notFound("IncomingWebhookNotFound", "this server serves no webhooks or endpoints");
        }
        Map<String, String> params = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters();
        byte[] body = RequestBodies.bytes(exchange, current.maxBodyBytes());
        // not exchange.getQueryParameters(): the router adds the path parameters to those
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String pair : exchange.getQueryString().split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                query.computeIfAbsent(decode(eq < 0 ? pair : pair.substring(0, eq)), k -> new ArrayList<>())
                        .add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            headers.put(values.getHeaderName().toString(), List.copyOf(values));
        }
        String url = exchange.getRequestURI() + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
        query.replaceAll((k, v) -> List.copyOf(v));
        ClientHooks.Request request = new ClientHooks.Request(exchange.getRequestMethod().toString(), url, exchange.getQueryString(),
                query, headers, body, exchange.getSourceAddress().getAddress().getHostAddress());
        String route = "/" + params.getOrDefault("*", "");
        java.util.regex.Matcher dataApi = DATA_API.matcher(route);
        RequestLog.of(exchange).handOver(); // the hook service writes the record, with its validation and run-as
        ClientHooks.Reply reply = params.containsKey("webhook")
                ? current.webhook(params.get("service"), params.get("webhook"), request)
                : dataApi.matches() ? current.dataApi(dataApi.group(1), dataApi.group(2), request)
                : current.endpoint(route, request);
        if (reply.body().length > ClientApiServer.MAX_RESPONSE_BYTES) {
            throw new ApiError(400, "ReadSizeLimitExceeded", "The response of this webhook is larger than this server sends ("
                    + (ClientApiServer.MAX_RESPONSE_BYTES >> 20) + " MB); have its function send less");
        }
        exchange.setStatusCode(reply.status());
        reply.headers().forEach((name, values) -> exchange.getResponseHeaders().putAll(HttpString.tryFromString(name), new ArrayList<>(values)));
        if (reply.body().length == 0 || exchange.getRequestMethod().equalToString("HEAD")) {
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(reply.body()));
    }

    private static String decode(String text) {
        try {
            return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
