package dev.thimble.runtime.triggers;

import com.cronutils.model.time.ExecutionTime;
import dev.thimble.runtime.app.TriggerDef;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/** A scheduled trigger's occurrences, as its running instance computes them (five-field cron, UTC). */
public final class CronSchedule {
    private final ExecutionTime schedule;

    private CronSchedule(ExecutionTime schedule) {
        this.schedule = schedule;
    }

    /** @throws IllegalArgumentException naming the trigger file when the schedule is not a valid cron */
    public static CronSchedule of(TriggerDef trigger) {
        return new CronSchedule(ScheduledTrigger.parse(trigger));
    }

    /** Up to {@code count} occurrences strictly after {@code after}, in order. */
    public List<Instant> next(Instant after, int count) {
        List<Instant> out = new ArrayList<>();
        Instant at = after;
        while (out.size() < count) {
            Instant due = nextAfter(at);
            if (due == null) {
                break;
            }
            out.add(due);
            at = due;
        }
        return out;
    }

    /** The occurrences in ({@code from}, {@code to}], at most {@code limit}. */
    public List<Instant> between(Instant from, Instant to, int limit) {
        List<Instant> out = new ArrayList<>();
        for (Instant due = nextAfter(from); due != null && !due.isAfter(to) && out.size() < limit; due = nextAfter(due)) {
            out.add(due);
        }
        return out;
    }

    private Instant nextAfter(Instant after) {
        return schedule.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC)).map(ZonedDateTime::toInstant).orElse(null);
    }
}
