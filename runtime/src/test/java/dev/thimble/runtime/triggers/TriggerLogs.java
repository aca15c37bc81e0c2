package dev.thimble.runtime.triggers;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonDocument;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The trigger runs a host logged, read from its in-memory log ring. */
final class TriggerLogs {
    private TriggerLogs() {
    }

    static List<LogRecord> runs(AppHost host, String trigger, LogType... types) {
        Set<LogType> wanted = Set.of(types);
        return host.logs().recent(100_000).stream()
                .filter(r -> trigger.equals(r.eventSubscriptionName()) && wanted.contains(r.type()))
                .sorted(Comparator.comparing(LogRecord::started))
                .toList();
    }

    /** The events the trigger's function was called with, in the order the runs started. */
    static List<BsonDocument> events(AppHost host, String trigger) {
        return runs(host, trigger, LogType.DB_TRIGGER, LogType.TRIGGER_FAILURE).stream()
                .map(r -> r.arguments().get(0).asDocument()).toList();
    }
}
