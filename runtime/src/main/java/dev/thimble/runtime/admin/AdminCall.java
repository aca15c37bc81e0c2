package dev.thimble.runtime.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.errors.ApiError;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.Map;

/**
 * One admin request: its path parameters, query, JSON body and the admin making it, and the ways to
 * answer. Every body is sent with {@code Content-Type: application/json} exactly (admin clients
 * compare the string).
 */
final class AdminCall {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/json";
    /** Bodies above this are refused (an import's zip has its own, larger limit). */
    static final int BODY_LIMIT = 4 * 1024 * 1024;

    private final HttpServerExchange exchange;
    private final Map<String, String> params;
    private AdminIdentities.Admin admin;
    private AppTarget app;
    private JsonNode body;

    AdminCall(HttpServerExchange exchange, Map<String, String> params) {
        this.exchange = exchange;
        this.params = params;
    }

    HttpServerExchange exchange() {
        return exchange;
    }

    String param(String name) {
        return params.get(name);
    }

    /** A query parameter, or null. */
    String query(String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    boolean flag(String name) {
        String value = query(name);
        return value != null && (value.isEmpty() || value.equalsIgnoreCase("true"));
    }

    AdminIdentities.Admin admin() {
        return admin;
    }

    void admin(AdminIdentities.Admin who) {
        this.admin = who;
    }

    /** The app the path names (routes of {@link AdminRoutes.Access#APP} only). */
    AppTarget app() {
        return app;
    }

    void app(AppTarget target) {
        this.app = target;
    }

    /** The bearer token of the request, or null. */
    String bearer() {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    /** The raw body, at most {@code limit} bytes (413 beyond). */
    byte[] bytes(int limit) {
        if (!exchange.isBlocking()) {
            exchange.startBlocking();
        }
        try (InputStream in = exchange.getInputStream()) {
            byte[] read = in.readNBytes(limit + 1);
            if (read.length > limit) {
                throw new ApiError(413, "RequestTooLarge", "The request body is larger than " + limit / 1024 + " KiB.");
            }
            return read;
        } catch (IOException e) {
            throw ApiError.badRequest("InvalidRequest", "The request body could not be read: " + e.getMessage());
        }
    }

    /** The JSON body (an empty body reads as {@code {}}). */
    JsonNode body() {
        if (body == null) {
            byte[] raw = bytes(BODY_LIMIT);
            if (raw.length == 0) {
                body = JSON.createObjectNode();
            } else {
                try {
                    body = JSON.readTree(raw);
                } catch (IOException e) {
                    throw ApiError.badRequest("InvalidRequest", "The request body is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
                }
            }
        }
        return body;
    }

    /** The JSON body, which must be an object. */
    ObjectNode object() {
        JsonNode node = body();
        if (!(node instanceof ObjectNode o)) {
            throw ApiError.badRequest("InvalidRequest", "The request body must be a JSON object.");
        }
        return o;
    }

    /** A required string field of the body. */
    String text(String field) {
        JsonNode value = object().get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiError.badRequest("InvalidRequest", "\"" + field + "\" is required (a non-empty string).");
        }
        return value.asText();
    }

    void json(int status, Object value) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body is not serialisable", e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    void ok(Object value) {
        json(200, value);
    }

    void created(Object value) {
        json(201, value);
    }

    /** 202 without a body (a workflow was started). */
    void accepted() {
        exchange.setStatusCode(202);
        exchange.endExchange();
    }

    void noContent() {
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    static void error(HttpServerExchange exchange, ApiError error) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error.getMessage());
        body.put("error_code", error.code());
        if (error.retryAfterSeconds() >= 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
        }
        new AdminCall(exchange, Map.of()).json(error.status(), body);
    }
}
