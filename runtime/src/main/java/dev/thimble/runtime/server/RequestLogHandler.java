package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * Gives every request of one app exactly one log record. It attaches a {@link RequestLog} that the
 * handlers after it fill in, and writes the record when the response is committed (the status is
 * final then, and the record is in the log before the client can read the answer), unless a service
 * took the request over and wrote the record itself. So logins, registrations, refreshes, logouts and
 * refusals before any route (401, 400, 404, 413, 429) are logged too. A routine read's success
 * ({@link RequestLog#routine}: {@code location}, {@code profile}) is the one request left out. The request URL is logged
 * without its query: watch URLs carry access tokens there.
 */
final class RequestLogHandler implements HttpHandler {
    private final HttpHandler next;
    private final Consumer<LogRecord> sink;
    private final Clock clock;

    RequestLogHandler(HttpHandler next, Consumer<LogRecord> sink, Clock clock) {
        this.next = next;
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getAttachment(RequestLog.KEY) != null) {
            next.handleRequest(exchange); // an outer chain logs this request already
            return;
        }
        RequestLog log = new RequestLog();
        exchange.putAttachment(RequestLog.KEY, log);
        LogRecord.Builder record = LogRecord.start(log.type(), clock);
        exchange.addResponseCommitListener(committed -> {
            if (!log.handedOver() && !(log.routine() && committed.getStatusCode() < 400)) {
                sink.accept(finish(committed, log, record.type(log.type())));
            }
        });
        next.handleRequest(exchange);
    }

    private static LogRecord finish(HttpServerExchange exchange, RequestLog log, LogRecord.Builder record) {
        record.request(exchange.getRequestMethod().toString(), exchange.getRequestPath())
                .userId(log.userId())
                .remoteIpAddress(exchange.getSourceAddress() == null ? null : exchange.getSourceAddress().getAddress().getHostAddress());
        int status = exchange.getStatusCode();
        Failure failure = log.failure();
        String failMessage = null;
        if (failure != null) {
            failMessage = failure.logMessage();
            record.error(failMessage, failure.code());
        } else if (status >= 400) {
            failMessage = "HTTP " + status;
            record.error(failMessage, "HTTP" + status);
        }
        if (log.type() == dev.thimble.runtime.logs.LogType.AUTH) {
            record.authEvent(log.provider(), failMessage);
        }
        return record.finish(status >= 400 ? LogStatus.ERROR : LogStatus.SUCCESS);
    }
}
