package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.auth.AuthService;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonValue;
import org.bson.json.JsonParseException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code POST /app/<id>/functions/call} {@code {name, arguments, service?}} (CLIENT-PROTOCOL route 20):
 * a function call, or with {@code service} a MongoDB action with exactly one argument document.
 * Answers the result as canonical Extended JSON.
 */
final class FunctionCallRoute implements HttpHandler {
    private final Supplier<ClientCalls> calls;
    private final long maxBodyBytes;

    /** Sits behind {@link Authentication}: the caller is the exchange's. */
    FunctionCallRoute(Supplier<ClientCalls> calls, long maxBodyBytes) {
        this.calls = calls;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        AuthService.Authenticated caller = Authentication.caller(exchange);
        BsonDocument body = parse(RequestBodies.text(exchange, maxBodyBytes));
        String name = string(body, "name");
        BsonArray arguments = body.containsKey("arguments") ? array(body.get("arguments")) : new BsonArray();
        ClientCalls.CallInfo info = new ClientCalls.CallInfo(exchange.getRequestMethod().toString(), exchange.getRequestURI(),
                exchange.getSourceAddress().getAddress().getHostAddress(), headers(exchange), exchange.getQueryString());
        BsonValue result;
        RequestLog log = RequestLog.of(exchange);
        if (body.containsKey("service")) {
            log.type(dev.thimble.runtime.logs.LogType.SERVICE_FUNCTION);
            String service = string(body, "service");
            if (caller.warmUp()) { // the warm-up calls functions only (decision record 0075): its caller reaches no data
                throw dev.thimble.runtime.errors.Unauthenticated.invalidSession("invalid session: log in again");
            }
            if (arguments.size() != 1 || !arguments.getFirst().isDocument()) {
                throw ApiError.badRequest("InvalidParameter", "a " + service + " action takes exactly one argument document "
                        + "({database, collection, ...}); got " + arguments.size() + " arguments");
            }
            log.handOver(); // the call service writes the record, with the action's rule decisions
            result = calls.get().callService(caller, service, name, arguments.getFirst().asDocument(), info);
        } else {
            log.handOver(); // the call service writes the record, with console output and the decisions inside
            // the start-time warm-up's own loopback call (decision record 0075) runs the warm-up's call, whatever it names
            result = caller.warmUp() ? calls.get().warmUpCall(arguments, info) : calls.get().callFunction(caller, name, arguments, info);
        }
        JsonResponses.sendEjson(exchange, 200, result);
    }

    /**
     * The route's own work on a warm-up call (decision record 0047), without an exchange: parses {@code bodyText} as a
     * client's request body, runs {@link ClientCalls#warmUpCall} and writes its answer as the response would carry it.
     */
    static String warmUp(ClientCalls calls, String bodyText, ClientCalls.CallInfo info) {
        BsonDocument body = parse(bodyText);
        string(body, "name");
        BsonArray arguments = body.containsKey("arguments") ? array(body.get("arguments")) : new BsonArray();
        return JsonResponses.ejsonText(calls.warmUpCall(arguments, info));
    }

    private static BsonDocument parse(String text) {
        if (text.isBlank()) {
            throw ApiError.badRequest("InvalidParameter", "the request body must be {\"name\": ..., \"arguments\": [...]}");
        }
        return RequestBodies.bsonDocument(text, "The request body");
    }

    private static String string(BsonDocument body, String field) {
        BsonValue value = body.get(field);
        if (value == null || !value.isString() || value.asString().getValue().isEmpty()) {
            throw ApiError.badRequest("InvalidParameter", "\"" + field + "\" is required and must be a string");
        }
        return value.asString().getValue();
    }

    private static BsonArray array(BsonValue value) {
        if (!value.isArray()) {
            throw ApiError.badRequest("InvalidParameter", "\"arguments\" must be an array");
        }
        return value.asArray();
    }

    private static Map<String, List<String>> headers(HttpServerExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            String name = values.getHeaderName().toString();
            if (!name.equalsIgnoreCase("Authorization")) {
                headers.put(name, List.copyOf(values));
            }
        }
        return headers;
    }
}
