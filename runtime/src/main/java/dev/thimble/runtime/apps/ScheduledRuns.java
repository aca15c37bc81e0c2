package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.triggers.CronSchedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The app's scheduled triggers seen from a chosen moment: their next occurrences, "run now", and a
 * clock the workbench moves forward by hand to see (and run) what falls due on the way. The moved
 * clock is the caller's: the server's own schedule keeps real time. Blocking; no JavaFX.
 */
public final class ScheduledRuns {
    /** How many occurrences one advance runs at most (a minutely trigger over a week would be 10,080). */
    public static final int MAX_RUNS_PER_ADVANCE = 100;

    private final Supplier<AppModel> model;
    private final Supplier<Optional<AppHost>> host;

    ScheduledRuns(Supplier<AppModel> model, Supplier<Optional<AppHost>> host) {
        this.model = model;
        this.host = host;
    }

    /**
     * One occurrence of a scheduled trigger.
     *
     * @param error for an occurrence that ran: null when it succeeded, else what failed
     */
    public record Occurrence(String trigger, String function, Instant at, boolean disabled, String error) {
    }

    /** A scheduled trigger's next runs, or why it has none. */
    public record Upcoming(String trigger, String function, String schedule, boolean disabled, List<Instant> next, String problem) {
        public Upcoming {
            next = List.copyOf(next);
        }
    }

    /** Every scheduled trigger, by name, with its next {@code count} occurrences after {@code from}. */
    public List<Upcoming> upcoming(Instant from, int count) {
        List<Upcoming> out = new ArrayList<>();
        for (TriggerDef trigger : scheduled()) {
            String schedule = trigger.config().obj("config").text("schedule", "");
            try {
                out.add(new Upcoming(trigger.name(), trigger.functionName(), schedule, trigger.disabled(),
                        CronSchedule.of(trigger).next(from, count), null));
            } catch (IllegalArgumentException e) {
                out.add(new Upcoming(trigger.name(), trigger.functionName(), schedule, trigger.disabled(), List.of(), e.getMessage()));
            }
        }
        return out;
    }

    /** The enabled triggers' occurrences in ({@code from}, {@code to}], in time order (at most {@link #MAX_RUNS_PER_ADVANCE}). */
    public List<Occurrence> falling(Instant from, Instant to) {
        List<Occurrence> out = new ArrayList<>();
        for (TriggerDef trigger : scheduled()) {
            if (trigger.disabled()) {
                continue;
            }
            try {
                CronSchedule.of(trigger).between(from, to, MAX_RUNS_PER_ADVANCE)
                        .forEach(at -> out.add(new Occurrence(trigger.name(), trigger.functionName(), at, false, null)));
            } catch (IllegalArgumentException e) {
                // an invalid schedule never fires; upcoming() says why
            }
        }
        out.sort(Comparator.comparing(Occurrence::at).thenComparing(Occurrence::trigger));
        return out.size() > MAX_RUNS_PER_ADVANCE ? List.copyOf(out.subList(0, MAX_RUNS_PER_ADVANCE)) : out;
    }

    /**
     * Moves the caller's clock from {@code from} to {@code to}: runs every occurrence falling due on the
     * way, in time order, on the running server (each leaves a log record) and returns them with their
     * outcome.
     *
     * @throws IllegalArgumentException when the server is stopped or {@code to} is before {@code from}
     */
    public List<Occurrence> advance(Instant from, Instant to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("The workbench's clock only moves forward.");
        }
        AppHost running = requireRunning();
        List<Occurrence> ran = new ArrayList<>();
        for (Occurrence due : falling(from, to)) {
            String error = running.triggers().runNow(due.trigger());
            ran.add(new Occurrence(due.trigger(), due.function(), due.at(), false, error));
        }
        return ran;
    }

    /**
     * Runs a scheduled trigger's function once now (as an occurrence would; its schedule is not moved).
     *
     * @return null when it succeeded, else the error
     * @throws IllegalArgumentException when the server is stopped or there is no such scheduled trigger
     */
    public String runNow(String trigger) {
        return requireRunning().triggers().runNow(trigger);
    }

    private List<TriggerDef> scheduled() {
        return model.get().triggers().stream().filter(t -> "SCHEDULED".equals(t.type()))
                .sorted(Comparator.comparing(TriggerDef::name)).toList();
    }

    private AppHost requireRunning() {
        return host.get().orElseThrow(() -> new IllegalArgumentException(
                "The server is stopped; start it (Server > Start) to run triggers."));
    }
}
