package dev.thimble.workbench.logs;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;

import java.time.Instant;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * What the logs panel shows: records of a type, an outcome, a function, a user, containing a text,
 * started within a time range. A null or blank part matches everything; text matches case-insensitively.
 *
 * @param function matches the function name or, for a service call, its action ({@code find})
 * @param text     searched in the error, console output, function, service action, namespace and URL
 * @param from     records started at or after this instant
 * @param to       records started at or before this instant
 */
public record LogFilter(LogType type, LogStatus status, String function, String user, String text, Instant from, Instant to)
        implements Predicate<LogRecord> {

    public static final LogFilter ANY = new LogFilter(null, null, null, null, null, null, null);

    public LogFilter {
        function = lower(function);
        user = lower(user);
        text = lower(text);
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean test(LogRecord r) {
        return (type == null || r.type() == type)
                && (status == null || r.status() == status)
                && (function == null || contains(r.functionName(), function) || contains(r.serviceAction(), function))
                && (user == null || contains(r.userId(), user))
                && (from == null || !r.started().isBefore(from))
                && (to == null || !r.started().isAfter(to))
                && (text == null || mentions(r, text));
    }

    private static boolean mentions(LogRecord r, String text) {
        if (contains(r.error(), text) || contains(r.functionName(), text) || contains(r.serviceAction(), text)
                || contains(r.namespace(), text) || contains(r.requestUrl(), text) || contains(r.eventSubscriptionName(), text)) {
            return true;
        }
        for (String message : r.messages()) {
            if (contains(message, text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(String haystack, String lowerNeedle) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }
}
