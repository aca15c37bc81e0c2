package dev.thimble.runtime.logs;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A filter over stored log records, the Admin API's {@code GET .../logs} parameters (STITCH-SPEC
 * §7): results are newest first (by {@code started}, then id), {@code skip}ped and {@code limit}ed.
 * Every filter is optional; {@code null} or empty means "any". Start from {@link #all()}.
 *
 * @param types     any of these types
 * @param status    only this outcome ({@code errors_only} is {@code ERROR})
 * @param startDate records started at or after this instant
 * @param endDate   records started at or before this instant (inclusive, as pagination needs)
 * @param text      case-insensitive text contained in the error message or in a console message
 */
public record LogQuery(
        Set<LogType> types,
        LogStatus status,
        String userId,
        String functionName,
        String coId,
        Instant startDate,
        Instant endDate,
        String text,
        int skip,
        int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public LogQuery {
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        if (skip < 0) { throw new IllegalArgumentException("skip must not be negative, was " + skip); }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        text = text == null || text.isEmpty() ? null : text;
    }

    /** Every record, newest first, {@value #DEFAULT_LIMIT} at a time. */
    public static LogQuery all() {
        return new LogQuery(Set.of(), null, null, null, null, null, null, null, 0, DEFAULT_LIMIT);
    }

    public LogQuery withTypes(LogType... t) {
        return new LogQuery(t.length == 0 ? Set.of() : EnumSet.copyOf(Set.of(t)), status, userId, functionName, coId,
                startDate, endDate, text, skip, limit);
    }

    public LogQuery withStatus(LogStatus s) {
        return new LogQuery(types, s, userId, functionName, coId, startDate, endDate, text, skip, limit);
    }

    /** The spec's {@code errors_only=true}. */
    public LogQuery errorsOnly() { return withStatus(LogStatus.ERROR); }

    public LogQuery withUserId(String u) {
        return new LogQuery(types, status, u, functionName, coId, startDate, endDate, text, skip, limit);
    }

    public LogQuery withFunctionName(String f) {
        return new LogQuery(types, status, userId, f, coId, startDate, endDate, text, skip, limit);
    }

    public LogQuery withCoId(String c) {
        return new LogQuery(types, status, userId, functionName, c, startDate, endDate, text, skip, limit);
    }

    public LogQuery withStartDate(Instant d) {
        return new LogQuery(types, status, userId, functionName, coId, d, endDate, text, skip, limit);
    }

    public LogQuery withEndDate(Instant d) {
        return new LogQuery(types, status, userId, functionName, coId, startDate, d, text, skip, limit);
    }

    public LogQuery withText(String t) {
        return new LogQuery(types, status, userId, functionName, coId, startDate, endDate, t, skip, limit);
    }

    public LogQuery withSkip(int s) {
        return new LogQuery(types, status, userId, functionName, coId, startDate, endDate, text, s, limit);
    }

    public LogQuery withLimit(int l) {
        return new LogQuery(types, status, userId, functionName, coId, startDate, endDate, text, skip, l);
    }

    /**
     * The query for the page after {@code page}: the same filters with {@code end_date} and
     * {@code skip} taken from the page's hints.
     *
     * @throws IllegalStateException if the page was the last one
     */
    public LogQuery next(LogPage page) {
        Objects.requireNonNull(page, "page");
        if (!page.hasMore()) { throw new IllegalStateException("the page was the last one; there is no next page"); }
        return withEndDate(page.nextEndDate()).withSkip(page.nextSkip());
    }
}
