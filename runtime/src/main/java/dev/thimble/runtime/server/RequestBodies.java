package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.JsonNesting;
import org.bson.BsonDocument;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.bson.Document;
import org.bson.json.JsonParseException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads request bodies as (Extended) JSON documents, bounded in size, with errors a person can act on. */
final class RequestBodies {
    private RequestBodies() {
    }

    /** The body as a document; an empty body is an empty document. Needs a blocking exchange (a worker thread). */
    static Document json(HttpServerExchange exchange, long maxBytes) {
        String text = text(exchange, maxBytes);
        if (text.isBlank()) {
            return new Document();
        }
        JsonNesting.check(text, "The request body");
        try {
            return Document.parse(text);
        } catch (JsonParseException | org.bson.BSONException | IllegalArgumentException | IllegalStateException e) {
            throw ApiError.badRequest("BadRequest", "The request body is not a valid (Extended) JSON object: " + e.getMessage());
        }
    }

    /**
     * Parses (Extended) JSON from a client, which must be an object nested at most
     * {@link JsonNesting#MAX_DEPTH} levels; any failure is a 400 naming {@code what}.
     */
    static BsonDocument bsonDocument(String text, String what) {
        JsonNesting.check(text, what);
        try {
            return BsonDocument.parse(text);
        } catch (JsonParseException | org.bson.BSONException | IllegalArgumentException | IllegalStateException e) {
            throw ApiError.badRequest("BadRequest", what + " is not a valid (Extended) JSON object: " + e.getMessage());
        }
    }

    /** The body as {@code application/x-www-form-urlencoded} fields (first value of each). */
    static java.util.Map<String, String> formFields(HttpServerExchange exchange, long maxBytes) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String pair : text(exchange, maxBytes).strip().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            fields.putIfAbsent(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    static String text(HttpServerExchange exchange, long maxBytes) {
        return new String(bytes(exchange, maxBytes), StandardCharsets.UTF_8);
    }

    /**
     * The raw body, at most {@code maxBytes} (413 beyond). Needs a blocking exchange (a worker thread).
     * A body over the limit is read on and discarded (up to {@link ClientApiServer#DRAIN_LIMIT_BYTES})
     * when the input stream closes, so the client can finish sending and read the 413.
     */
    static byte[] bytes(HttpServerExchange exchange, long maxBytes) {
        if (exchange.getRequestContentLength() > maxBytes) {
            throw BodyLimitHandler.tooLarge(exchange, maxBytes);
        }
        try (InputStream in = exchange.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int read; (read = in.read(buffer)) != -1; ) {
                if (out.size() + read > maxBytes) {
                    throw BodyLimitHandler.tooLarge(exchange, maxBytes);
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiError.badRequest("BadRequest", "The request body could not be read: " + e.getMessage());
        }
    }


    /** The bearer token of the request, or null when there is none. */
    static String bearer(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
