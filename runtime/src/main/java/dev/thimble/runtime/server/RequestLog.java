package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.logs.LogType;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

/**
 * What the handler chain learns about one request for its log record, carried as an exchange
 * attachment: the route family (the record's type), the provider and user of an auth request, the
 * failure the error mapping answered with, and whether a service wrote the request's record itself.
 * {@link RequestLogHandler} writes the record from it; everything else only fills it in.
 */
final class RequestLog {
    static final AttachmentKey<RequestLog> KEY = AttachmentKey.create(RequestLog.class);

    private volatile LogType type = LogType.API;
    private volatile String provider;
    private volatile String userId;
    private volatile Failure failure;
    private volatile boolean handedOver;
    private volatile boolean routine;

    /** The request's log, or a detached one when the chain has no request logging (it is then dropped). */
    static RequestLog of(HttpServerExchange exchange) {
        RequestLog log = exchange.getAttachment(KEY);
        return log != null ? log : new RequestLog();
    }

    /** A route of family {@code type}: its requests are logged as that type, refusals included. */
    static HttpHandler family(LogType type, HttpHandler route) {
        return exchange -> {
            of(exchange).type = type;
            route.handleRequest(exchange);
        };
    }

    /** An auth route: logged as {@link LogType#AUTH} with the provider named in the path (if any). */
    static HttpHandler auth(HttpHandler route) {
        return exchange -> {
            RequestLog log = of(exchange);
            log.type = LogType.AUTH;
            var match = exchange.getAttachment(io.undertow.util.PathTemplateMatch.ATTACHMENT_KEY);
            log.provider = match == null ? null : match.getParameters().get("provider");
            route.handleRequest(exchange);
        };
    }

    /**
     * A routine read the SDKs make around every login and start ({@code location}, the user's
     * {@code profile}): its success leaves no record, since a log full of them hides the requests a
     * person looks for; its failure (a 401, a 404) is recorded like any other.
     */
    static HttpHandler routine(HttpHandler route) {
        return exchange -> {
            of(exchange).routine = true;
            route.handleRequest(exchange);
        };
    }

    boolean routine() {
        return routine;
    }

    /** The request turned out to be of another family (a {@code functions/call} naming a service). */
    void type(LogType type) {
        this.type = type;
    }

    void userId(String id) {
        this.userId = id;
    }

    void failed(Failure error) {
        this.failure = error;
    }

    /**
     * A service takes the request over and writes its record itself (function calls, MongoDB actions,
     * watches, webhooks and endpoints write theirs with arguments, console output and rule decisions);
     * from here on the chain writes none, so the request still has exactly one.
     */
    void handOver() {
        this.handedOver = true;
    }

    LogType type() {
        return type;
    }

    String provider() {
        return provider;
    }

    String userId() {
        return userId;
    }

    Failure failure() {
        return failure;
    }

    boolean handedOver() {
        return handedOver;
    }
}
