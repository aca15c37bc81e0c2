package dev.thimble.runtime.logs;

import java.time.Instant;
import java.util.List;

/**
 * One page of a {@link LogQuery}, newest first, with the spec's pagination hints: when there are
 * more records, query again with {@code end_date = nextEndDate} and {@code skip = nextSkip}
 * ({@link LogQuery#next}); {@code nextEndDate} is {@code null} on the last page.
 */
public record LogPage(List<LogRecord> records, Instant nextEndDate, int nextSkip) {
    public LogPage {
        records = List.copyOf(records);
    }

    public boolean hasMore() { return nextEndDate != null; }
}
