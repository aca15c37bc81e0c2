package dev.thimble.runtime.triggers;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.logs.LogType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.Consumer;

/**
 * One running scheduled trigger on the node that holds its lease: the five-field cron of
 * {@code config.schedule}, evaluated in UTC, on the injected {@link TriggerClock}. Each run stores
 * its occurrence as {@code last_run}. On start, occurrences missed since the stored last run (the node
 * was down, or the trigger disabled) are made up by <b>one</b> run, unless {@code skip_catchup_events};
 * a trigger that never ran starts from now.
 */
final class ScheduledTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledTrigger.class);
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final TriggerDef trigger;
    private final ExecutionTime schedule;
    private final boolean skipCatchup;
    private final TriggerClock clock;
    private final TriggerState state;
    private final TriggerRuns runs;
    private final Consumer<String> onLost;
    private volatile boolean stopped;
    private volatile TriggerClock.Scheduled next;

    ScheduledTrigger(TriggerDef trigger, TriggerClock clock, TriggerState state, TriggerRuns runs, Consumer<String> onLost) {
        this.trigger = trigger;
        this.schedule = parse(trigger);
        this.skipCatchup = trigger.config().obj("config").bool("skip_catchup_events", false);
        this.clock = clock;
        this.state = state;
        this.runs = runs;
        this.onLost = onLost;
    }

    /** @throws IllegalArgumentException naming the trigger file when the schedule is not a valid cron */
    static ExecutionTime parse(TriggerDef trigger) {
        String cron = trigger.config().obj("config").text("schedule", "");
        try {
            return ExecutionTime.forCron(PARSER.parse(cron.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("triggers/" + trigger.name() + ".json, config.schedule \"" + cron
                    + "\": " + e.getMessage(), e);
        }
    }

    TriggerDef def() {
        return trigger;
    }

    void start() {
        String name = trigger.name();
        Instant now = clock.now();
        Instant lastRun = state.lastRun(name);
        boolean wasDisabled = state.takeDisabledMark(name);
        if (lastRun == null || wasDisabled && skipCatchup) {
            state.saveLastRun(name, now);
            scheduleAfter(now);
            return;
        }
        Instant missed = null;
        int count = 0;
        for (Instant due = nextAfter(lastRun); due != null && !due.isAfter(now) && count < 10_000; due = nextAfter(due)) {
            missed = due;
            count++;
        }
        if (missed == null) {
            scheduleAfter(lastRun);
        } else if (skipCatchup) {
            LOG.info("Trigger {}: skipping {} occurrence(s) missed since {}", name, count, lastRun);
            state.saveLastRun(name, missed);
            scheduleAfter(now);
        } else {
            Instant occurrence = missed;
            LOG.info("Trigger {}: {} occurrence(s) missed since {}; running once to catch up", name, count, lastRun);
            next = clock.schedule(now, () -> fire(occurrence, now));
        }
    }

    private void scheduleAfter(Instant after) {
        Instant due = nextAfter(after);
        if (due != null && !stopped) {
            next = clock.schedule(due, () -> fire(due, due));
        }
    }

    /** Runs the occurrence {@code occurrence}; the next is scheduled after {@code from}. */
    private void fire(Instant occurrence, Instant from) {
        if (stopped) {
            return;
        }
        runs.run(trigger, LogType.SCHEDULED_TRIGGER, trigger.functionName(), List.of(), null);
        if (!state.saveLastRun(trigger.name(), occurrence)) {
            LOG.warn("Trigger {}: this node lost its lease; another node continues it", trigger.name());
            stopped = true;
            onLost.accept(trigger.name());
            return;
        }
        scheduleAfter(from.isAfter(occurrence) ? from : occurrence);
    }

    private Instant nextAfter(Instant after) {
        return schedule.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC)).map(ZonedDateTime::toInstant).orElse(null);
    }

    void stop() {
        stopped = true;
        TriggerClock.Scheduled current = next;
        if (current != null) {
            current.cancel();
        }
    }

    boolean running() {
        return !stopped;
    }
}
