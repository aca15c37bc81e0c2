package dev.thimble.runtime.triggers;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Scheduled triggers on a clock the test moves: occurrences in UTC, stored last runs, catch-up after downtime. */
class ScheduledTriggersTest {
    static final Instant NEW_YEAR = Instant.parse("2026-01-01T00:00:00Z"); // a Thursday

    @TempDir
    Path temp;
    final List<AppHost> hosts = new ArrayList<>();

    @AfterEach
    void stop() {
        hosts.forEach(AppHost::close);
    }

    TriggerBundle bundle(String schedule, boolean skipCatchup) {
        return TriggerBundle.in(temp.resolve("app"))
                .function("tick", "exports = async function() {\n"
                        + "  await context.services.get('mongodb-atlas').db('sink').collection('ticks').insertOne({args: arguments.length});\n};")
                .trigger("ticker", "{\"name\": \"ticker\", \"type\": \"SCHEDULED\", \"function_name\": \"tick\","
                        + " \"config\": {\"schedule\": \"" + schedule + "\", \"skip_catchup_events\": " + skipCatchup + "}}");
    }

    AppHost serve(TriggerBundle bundle, ManualTriggerClock clock) {
        AppHost host = TriggerBundle.serve(bundle.read(), temp.resolve("data"), TriggerBundle.quick().withClock(clock));
        hosts.add(host);
        return host;
    }

    static int runs(AppHost host) {
        return TriggerLogs.runs(host, "ticker", LogType.SCHEDULED_TRIGGER, LogType.TRIGGER_FAILURE).size();
    }

    static Instant lastRun(AppHost host) {
        var state = host.database().database(AppHost.stateDatabaseName(TriggerBundle.APP_ID)).getCollection("trigger_state")
                .find(new org.bson.Document("_id", "ticker")).first();
        return state.get("last_run", Date.class).toInstant();
    }

    @Test
    void firesEachOccurrenceAsTheClockAdvances() {
        ManualTriggerClock clock = new ManualTriggerClock(NEW_YEAR);
        AppHost host = serve(bundle("*/5 * * * *", false), clock);
        clock.advance(Duration.ofMinutes(4));
        assertThat(runs(host)).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(runs(host)).isEqualTo(1);
        clock.advance(Duration.ofMinutes(10).plusSeconds(30));
        assertThat(runs(host)).isEqualTo(3);
        assertThat(lastRun(host)).isEqualTo(Instant.parse("2026-01-01T00:15:00Z"));
        LogRecord run = TriggerLogs.runs(host, "ticker", LogType.SCHEDULED_TRIGGER).getFirst();
        assertThat(run.status()).isEqualTo(LogStatus.SUCCESS);
        assertThat(run.functionName()).isEqualTo("tick");
        assertThat(host.database().database("sink").getCollection("ticks").countDocuments(new org.bson.Document("args", 0))).isEqualTo(3);
    }

    @Test
    void theScheduleIsUtcAndTakesWeekdayNames() {
        ManualTriggerClock clock = new ManualTriggerClock(NEW_YEAR);
        AppHost host = serve(bundle("30 9 * * MON", false), clock);
        clock.advanceTo(Instant.parse("2026-01-05T09:29:59Z"));
        assertThat(runs(host)).isZero();
        clock.advanceTo(Instant.parse("2026-01-05T09:30:00Z"));
        assertThat(runs(host)).isEqualTo(1);
        assertThat(lastRun(host)).isEqualTo(Instant.parse("2026-01-05T09:30:00Z"));
    }

    @Test
    void missedOccurrencesAfterDowntimeRunOnceOnStart() {
        ManualTriggerClock before = new ManualTriggerClock(NEW_YEAR);
        AppHost first = serve(bundle("*/5 * * * *", false), before);
        before.advance(Duration.ofMinutes(5));
        assertThat(runs(first)).isEqualTo(1);
        first.close();
        hosts.remove(first);

        ManualTriggerClock after = new ManualTriggerClock(Instant.parse("2026-01-01T01:02:00Z")); // 11 occurrences missed
        AppHost second = serve(bundle("*/5 * * * *", false), after);
        after.advance(Duration.ZERO);
        assertThat(runs(second)).as("one catch-up run for all missed occurrences").isEqualTo(1);
        assertThat(lastRun(second)).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
        after.advance(Duration.ofMinutes(3));
        assertThat(runs(second)).isEqualTo(2);
    }

    @Test
    void skipCatchupEventsSkipsWhatWasMissed() {
        ManualTriggerClock before = new ManualTriggerClock(NEW_YEAR);
        AppHost first = serve(bundle("*/5 * * * *", true), before);
        before.advance(Duration.ofMinutes(5));
        first.close();
        hosts.remove(first);

        ManualTriggerClock after = new ManualTriggerClock(Instant.parse("2026-01-01T01:02:00Z"));
        AppHost second = serve(bundle("*/5 * * * *", true), after);
        after.advance(Duration.ZERO);
        assertThat(runs(second)).isZero();
        after.advance(Duration.ofMinutes(3));
        assertThat(runs(second)).isEqualTo(1);
        assertThat(lastRun(second)).isEqualTo(Instant.parse("2026-01-01T01:05:00Z"));
    }
}
