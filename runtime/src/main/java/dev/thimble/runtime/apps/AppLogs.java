package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.logs.LogPage;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogSubscription;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The log records of a running app: queries over what is stored (by type, status, user, function,
 * time and text, paged) and the live feed. Blocking; no UI.
 */
public final class AppLogs {
    private final Supplier<Optional<AppHost>> host;

    AppLogs(Supplier<Optional<AppHost>> host) {
        this.host = host;
    }

    /** One page of stored records matching {@code query}, newest first. */
    public LogPage query(LogQuery query) {
        AppHost running = host.get().orElseThrow(() -> new IllegalArgumentException(
                "The app is not being served; start the server to read its logs."));
        running.logs().flush(java.time.Duration.ofSeconds(5));
        return running.logs().query(query);
    }

    /** Up to {@code limit} stored records that started before {@code before}, newest first; empty when not served. */
    public List<LogRecord> olderThan(Instant before, int limit) {
        return host.get().map(h -> h.logs().query(LogQuery.all().withEndDate(before.minusMillis(1)).withLimit(limit)).records())
                .orElse(List.of());
    }

    /** Subscribes to the live feed, replaying the records still in memory first; empty when not served. */
    public Optional<LogSubscription> subscribe(Consumer<List<LogRecord>> listener) {
        return host.get().map(h -> h.logs().subscribe(listener, Integer.MAX_VALUE / 2));
    }
}
