package dev.thimble.runtime.triggers;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told: {@link #advance} runs every task that falls due on the way, in
 * time order and on the calling thread, so when it returns the scheduled runs it caused have finished.
 * For tests and for the workbench ("run the next occurrences now").
 */
public final class ManualTriggerClock implements TriggerClock {
    private record Task(Instant at, long order, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at.equals(b.at)
            ? Long.compare(a.order, b.order) : a.at.compareTo(b.at));
    private final AtomicLong orders = new AtomicLong();
    private Instant now;

    public ManualTriggerClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Scheduled schedule(Instant at, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(at, orders.incrementAndGet(), task, cancelled));
        return () -> {
            synchronized (ManualTriggerClock.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves time forward by {@code step}, running what falls due (see {@link #advanceTo}). */
    public void advance(Duration step) {
        Instant target;
        synchronized (this) {
            target = now.plus(step);
        }
        advanceTo(target);
    }

    /**
     * Moves time to {@code target} (never back), running each task due by then at its own time, in
     * order; tasks those runs schedule are run too when they are due by {@code target}.
     */
    public void advanceTo(Instant target) {
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at.isAfter(target)) {
                    if (target.isAfter(now)) {
                        now = target;
                    }
                    return;
                }
                tasks.poll();
                if (next.at.isAfter(now)) {
                    now = next.at;
                }
                if (next.cancelled[0]) {
                    continue;
                }
            }
            next.run.run();
        }
    }

    /** How many tasks wait (cancelled ones included until their time). */
    public synchronized int pending() {
        return (int) tasks.stream().filter(t -> !t.cancelled[0]).count();
    }
}
