package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.Failure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.bson.BsonNull;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.nio.ByteBuffer;

/** Writes JSON bodies the way both SDK families read them. */
final class JsonResponses {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * Exactly {@code application/json}: the Stitch SDK reads an error body (and refreshes its token on
     * InvalidSession) only for this exact value, not with a charset parameter (CLIENT-PROTOCOL §3).
     */
    static final String CONTENT_TYPE = "application/json";
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

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

    static void sendError(HttpServerExchange exchange, Failure error) {
        sendError(exchange, error, false);
    }

    /** The protocol's error body, its text from {@link ClientErrors}. */
    static void sendError(HttpServerExchange exchange, Failure error, boolean verbose) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", ClientErrors.message(error, verbose));
        body.put("error_code", error.code());
        if (error.link() != null) {
            body.put("link", error.link());
        }
        if (error.retryAfterSeconds() >= 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
        }
        send(exchange, error.status(), body);
    }

    /**
     * Any BSON value as canonical Extended JSON (the safer choice: it round-trips every type;
     * CLIENT-PROTOCOL §4), at most {@link ClientApiServer#MAX_RESPONSE_BYTES}: a larger value is a
     * ReadSizeLimitExceeded error instead.
     */
    static void sendEjson(HttpServerExchange exchange, int status, BsonValue value) {
        String body = ejsonText(value);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getResponseSender().send(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What {@link #sendEjson} sends for {@code value}. */
    static String ejsonText(BsonValue value) {
        return BoundedJson.write(value == null ? BsonNull.VALUE : value, CANONICAL, ClientApiServer.MAX_RESPONSE_BYTES, "The result");
    }

    /**
     * A body-less answer with no Content-Type: realm-web reads it as null, while an empty body with
     * a JSON content type would make it throw (CLIENT-PROTOCOL §0).
     */
    static void empty(HttpServerExchange exchange, int status) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().remove(Headers.CONTENT_TYPE);
        exchange.endExchange();
    }

    /** A BSON document as plain JSON (relaxed Extended JSON), for auth responses the SDKs read with JSON.parse. */
    static JsonNode plain(Document document) {
        try {
            return MAPPER.readTree(document.toJson(RELAXED));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("document is not representable as JSON", e);
        }
    }
}
