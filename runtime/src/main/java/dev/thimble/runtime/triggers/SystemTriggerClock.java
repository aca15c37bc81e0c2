package dev.thimble.runtime.triggers;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Wall-clock time; due tasks start on virtual threads so a long run does not hold up the next task. */
final class SystemTriggerClock implements TriggerClock {
    static final SystemTriggerClock INSTANCE = new SystemTriggerClock();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("thimble-trigger-clock").daemon(true).factory());

    private SystemTriggerClock() {
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Scheduled schedule(Instant at, Runnable task) {
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        ScheduledFuture<?> future = timer.schedule(() -> Thread.ofVirtual().name("thimble-scheduled-run").start(task),
                delay, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
