package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.changes.Subscription;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonParseException;
import org.bson.json.JsonWriterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code GET /app/<id>/functions/call} (CLIENT-PROTOCOL route 21, §6): a MongoDB {@code watch} as a
 * server-sent-events stream, in both SDK forms —
 * Stitch: {@code ?stitch_request=<base64 Extended JSON>&stitch_at=<access token>}, first with
 * {@code &stitch_validate=true} (answered 200 with no body once the token and request check out),
 * then without it from an EventSource; Realm: {@code ?baas_request=<base64>} with
 * {@code Authorization: Bearer <access token>}.
 *
 * <p>Everything that can fail — the app id, the token (401 InvalidSession), the request, the
 * service, the rules — fails before the stream opens, as the usual JSON error. Then the watch is
 * subscribed, and only then are the headers and the opening {@code :} comment sent, so a client that
 * saw the stream open will see every change made after that. Events are written by {@link SseStream}
 * from the subscription's own thread; no thread is held for the stream while it is idle.
 */
final class WatchRoute implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(WatchRoute.class);
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    /** How often an idle stream gets a {@code :} comment; tests shorten it. */
    static volatile long keepAliveMillis = SseStream.KEEP_ALIVE_MILLIS;

    private final Supplier<ClientWatches> watches;
    private final AtomicInteger openStreams = new AtomicInteger();

    WatchRoute(Supplier<ClientWatches> watches) {
        this.watches = watches;
    }

    /** The watch's access token: Stitch's {@code stitch_at} query parameter, or Realm's bearer header. */
    static String accessToken(HttpServerExchange exchange) {
        String token = query(exchange, "stitch_at");
        return token != null ? token : RequestBodies.bearer(exchange);
    }

    /** Sits behind {@link Authentication} ({@link #accessToken}): the caller is the exchange's. */
    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String stitchRequest = query(exchange, "stitch_request");
        String encoded = stitchRequest != null ? stitchRequest : query(exchange, "baas_request");
        if (encoded == null) {
            throw ApiError.badRequest("InvalidParameter", "GET functions/call opens a watch stream: give"
                    + " ?stitch_request=<base64 Extended JSON request>&stitch_at=<access token> (Stitch SDK) or"
                    + " ?baas_request=<base64 request> with an Authorization: Bearer <access token> header (Realm SDK);"
                    + " call functions with POST");
        }
        AuthService.Authenticated caller = Authentication.caller(exchange);
        BsonDocument body = decode(encoded);
        String name = string(body, "name");
        if (!name.equals("watch")) {
            throw ApiError.badRequest("InvalidParameter", "only \"watch\" can be streamed; \"" + name
                    + "\" is called with POST functions/call");
        }
        String service = string(body, "service");
        BsonValue arguments = body.get("arguments");
        if (arguments == null || !arguments.isArray() || arguments.asArray().size() != 1
                || !arguments.asArray().getFirst().isDocument()) {
            throw ApiError.badRequest("InvalidParameter", "watch takes exactly one argument document"
                    + " {database, collection, ids?, filter?}");
        }
        ClientWatches watchService = watches.get();
        if (watchService == null) {
            throw new ApiError(404, "ServiceCommandNotFound", "this server does not stream watches");
        }
        ClientCalls.CallInfo info = new ClientCalls.CallInfo(exchange.getRequestMethod().toString(), exchange.getRequestURI(),
                exchange.getSourceAddress().getAddress().getHostAddress(), headers(exchange), null);
        RequestLog.of(exchange).handOver(); // the watch service writes the record, with the rule filters
        ClientWatches.Watch watch = watchService.prepare(caller, service, arguments.asArray().getFirst().asDocument(), info);
        if ("true".equalsIgnoreCase(query(exchange, "stitch_validate"))) {
            JsonResponses.empty(exchange, 200);
            return;
        }
        SseStream stream = new SseStream(exchange, keepAliveMillis);
        Subscription subscription = watch.start(new ClientWatches.WatchSink() {
            @Override
            public void event(ClientWatches.ClientEvent event) {
                stream.sendFrame(event.frame(document -> SseStream.dataFrame(document.toJson(CANONICAL))));
            }

            @Override
            public void error(Failure error) {
                BsonDocument body = new BsonDocument("error", new org.bson.BsonString(ClientErrors.message(error, false)))
                        .append("error_code", new org.bson.BsonString(error.code()));
                stream.sendErrorAndFinish(body.toJson(CANONICAL));
            }
        });
        openStreams.incrementAndGet();
        stream.onClose(() -> {
            subscription.close();
            openStreams.decrementAndGet();
        });
        // Keeps the exchange open after this handler returns: it was dispatched to a task that
        // starts the stream on this same worker thread and leaves the rest to the I/O thread.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            try {
                stream.start();
            } catch (RuntimeException e) {
                log.error("Could not start a watch stream", e);
                subscription.close();
                stream.close();
            }
        });
    }

    /** The watch streams open now. */
    int openStreams() {
        return openStreams.get();
    }

    private static String query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** Standard or URL-safe base64, padded or not; a {@code +} turned into a space by form decoding is restored. */
    static BsonDocument decode(String encoded) {
        String text;
        try {
            String cleaned = encoded.strip().replace(' ', '+');
            byte[] bytes = cleaned.indexOf('-') >= 0 || cleaned.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(cleaned) : Base64.getMimeDecoder().decode(cleaned);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("InvalidParameter", "the stream request is not base64: " + e.getMessage());
        }
        return RequestBodies.bsonDocument(text, "the stream request");
    }

    private static String string(BsonDocument body, String field) {
        BsonValue value = body.get(field);
        if (value == null || !value.isString() || value.asString().getValue().isEmpty()) {
            throw ApiError.badRequest("InvalidParameter", "\"" + field + "\" is required in the stream request and must be a string");
        }
        return value.asString().getValue();
    }

    private static Map<String, List<String>> headers(HttpServerExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach(values -> {
            String name = values.getHeaderName().toString();
            if (!name.equalsIgnoreCase("Authorization")) {
                headers.put(name, List.copyOf(values));
            }
        });
        return headers;
    }
}
