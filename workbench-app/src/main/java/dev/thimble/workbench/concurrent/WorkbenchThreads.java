package dev.thimble.workbench.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The workbench's few background threads: one for runtime work (saves, reloads, validation, server
 * start and stop, in the order asked) and one timer for debouncing. Daemon threads, so a forgotten
 * task never keeps the JVM alive after the window closed.
 */
public final class WorkbenchThreads implements AutoCloseable {
    private final ExecutorService runtimeWork;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(named("thimble-timer"));
    private final ExecutorService calls = Executors.newSingleThreadExecutor(named("thimble-calls"));

    public WorkbenchThreads() {
        this(Executors.newSingleThreadExecutor(named("thimble-runtime-work")));
    }

    /** With a runtime-work executor of the caller's (a test slows it down to prove the UI never waits on it). */
    public WorkbenchThreads(ExecutorService runtimeWork) {
        this.runtimeWork = runtimeWork;
    }

    public ExecutorService runtimeWork() {
        return runtimeWork;
    }

    /** Console calls and data-browser queries: apart from the runtime work, so a slow function never delays a save. */
    public ExecutorService calls() {
        return calls;
    }

    public ScheduledExecutorService timer() {
        return timer;
    }

    /** Lets queued runtime work finish (a save in progress completes) for up to {@code seconds}. */
    public void close(long seconds) {
        timer.shutdownNow();
        calls.shutdownNow();
        runtimeWork.shutdown();
        try {
            runtimeWork.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(10);
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
