package dev.thimble.runtime.functions;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one execution ({@code setTimeout}, {@code setInterval}, {@code setImmediate}): when one
 * is due, its callback is posted to the execution's own queue, so it runs on the thread that owns the
 * Context, like a service call's completion. Only the owner thread calls {@link #set} and
 * {@link #clear}; one shared daemon thread does the waiting for every execution. Timers still pending
 * when the function's result settles are dropped with the Context (App Services ended a function there too).
 */
final class ExecutionTimers {
    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "thimble-functions-timers");
        thread.setDaemon(true);
        return thread;
    });
    /** The most timers one execution may have pending. */
    static final int MAX_PENDING = 10_000;

    private final BlockingQueue<Runnable> queue;
    private final Map<Integer, ScheduledFuture<?>> pending = new HashMap<>();
    private int nextId = 1;

    ExecutionTimers(BlockingQueue<Runnable> queue) {
        this.queue = queue;
    }

    /** Schedules {@code fire} (run on the owner thread) after {@code delayMillis}; answers the timer's id. */
    int set(long delayMillis, Runnable fire) {
        if (pending.size() >= MAX_PENDING) {
            throw new UserError("RangeError", "too many timers pending in one function (the limit is " + MAX_PENDING + ")");
        }
        int id = nextId++;
        Runnable post = () -> queue.add(() -> {
            if (pending.containsKey(id)) {
                pending.remove(id);
                fire.run();
            }
        });
        pending.put(id, delayMillis <= 0 ? null : CLOCK.schedule(post, delayMillis, TimeUnit.MILLISECONDS));
        if (delayMillis <= 0) {
            post.run();
        }
        return id;
    }

    void clear(int id) {
        if (!pending.containsKey(id)) {
            return;
        }
        ScheduledFuture<?> future = pending.remove(id);
        if (future != null) {
            future.cancel(false);
        }
    }

    /** Timers set and neither fired nor cleared: the execution still waits for these. */
    int pending() {
        return pending.size();
    }

    /** The execution ended: nothing it scheduled may fire any more. */
    void cancelAll() {
        pending.values().forEach(f -> {
            if (f != null) {
                f.cancel(false);
            }
        });
        pending.clear();
    }
}
