package dev.thimble.workbench.concurrent;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs only the last of a burst of actions, once no new one arrived for a quiet period (e.g. a
 * parse ~300 ms after the user stops typing, not one per keystroke).
 */
public final class Debouncer {
    private final ScheduledExecutorService scheduler;
    private final Duration quietPeriod;
    private ScheduledFuture<?> pending;

    public Debouncer(ScheduledExecutorService scheduler, Duration quietPeriod) {
        this.scheduler = scheduler;
        this.quietPeriod = quietPeriod;
    }

    /** Schedules {@code action} after the quiet period, replacing any action still waiting. */
    public synchronized void submit(Runnable action) {
        cancel();
        pending = scheduler.schedule(action, quietPeriod.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Drops the waiting action, if any. */
    public synchronized void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
