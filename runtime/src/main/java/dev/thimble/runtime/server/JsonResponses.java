package dev.thimble.runtime.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Writes JSON bodies the way both SDK families read them. */
final class JsonResponses {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * Exactly {@code application/json}: the Stitch SDK reads an error body (and refreshes its token on
     * InvalidSession) only for this exact value, not with a charset parameter (CLIENT-PROTOCOL §3).
     */
    static final String CONTENT_TYPE = "application/json";

    private JsonResponses() {
    }

    static void send(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body is not serialisable", e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    static void sendError(HttpServerExchange exchange, ApiError error) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", error.getMessage());
        body.put("error_code", error.code());
        send(exchange, error.status(), body);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
