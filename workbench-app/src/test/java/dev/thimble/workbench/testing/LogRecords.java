package dev.thimble.workbench.testing;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Log records as the request path makes them, at chosen times, for the logs panel's tests. */
public final class LogRecords {
    private LogRecords() {
    }

    /**
     * A function record (with arguments and a console line) when {@code function} is given, else a
     * {@code mongodb-atlas find} with a rule decision; an error when {@code error} is given.
     */
    public static LogRecord record(int i, Instant started, LogType type, String function, String user, String error, long ms) {
        Clock clock = new Clock() {
            private int calls;

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return calls++ == 0 ? started : started.plusMillis(ms);
            }
        };
        LogRecord.Builder b = LogRecord.start(type, clock).userId(user)
                .request("POST", "http://127.0.0.1:8080/api/client/v2.0/app/todo-thmbl/functions/call");
        if (function != null) {
            b.function(function, "id" + i).arguments(new BsonArray(List.of(new BsonString("arg" + i))), false).message("line of " + i);
        } else {
            b.service("mongodb-atlas", "find").namespace("todo.items")
                    .decision(new BsonDocument("documents", new BsonArray(List.of(new BsonDocument("role", new BsonString("owner"))))));
        }
        if (error != null) {
            b.error(error, "FunctionExecutionError");
        }
        return b.finish();
    }

    /**
     * {@code n} records started {@code secondsAgo} before {@code now}: every other one a function call
     * ({@code checkout} or {@code addItem}), the rest finds; users user0..user9; every 1000th an error "Error: boom i".
     */
    public static List<LogRecord> many(int n, Instant now, long secondsAgo) {
        List<LogRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean fn = i % 2 == 0;
            out.add(record(i, now.minusSeconds(secondsAgo), fn ? LogType.FUNCTION : LogType.SERVICE_FUNCTION,
                    fn ? (i % 4 == 0 ? "checkout" : "addItem") : null, "user" + (i % 10), i % 1000 == 0 ? "Error: boom " + i : null, 5));
        }
        return out;
    }
}
