package dev.thimble.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} whose time moves only when a test moves it: what code under test
 * schedules (a debounce, a retry, a periodic flush) runs on the test's thread inside {@link #advance},
 * when its time has come. Tests of timing then say "after 299 ms nothing ran, after 300 ms it did"
 * instead of sleeping and hoping. {@link #execute} runs at the current time on the next advance.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>(Comparator.<Task<?>>comparingLong(t -> t.due).thenComparingLong(t -> t.order));
    private long now;
    private long order;
    private int ran;
    private boolean shutdown;

    /** Moves time forward by {@code by}, running every task that comes due, in time order. */
    public void advance(Duration by) {
        long until;
        synchronized (this) {
            until = now + by.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > until) {
                    now = until;
                    return;
                }
                queue.poll();
                now = next.due;
                ran++;
            }
            next.run();
        }
    }

    /** How many tasks wait (cancelled ones are gone). */
    public synchronized int pending() {
        return queue.size();
    }

    /** How many tasks have run so far. */
    public synchronized int ran() {
        return ran;
    }

    public synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<>(() -> {
            command.run();
            return null;
        }, unit.toNanos(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(new Task<>(() -> {
            command.run();
            return null;
        }, unit.toNanos(initialDelay), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    private synchronized <V> Task<V> add(Task<V> task) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("the scheduler is shut down");
        }
        task.due = now + task.delay;
        task.order = order++;
        queue.add(task);
        return task;
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> work;
        private final long delay;
        private final long period;
        private long due;
        private long order;
        private boolean cancelled;
        private boolean done;
        private V result;
        private Throwable failure;

        Task(Callable<V> work, long delay, long period) {
            this.work = work;
            this.delay = delay;
            this.period = period;
        }

        @Override
        public void run() {
            try {
                V value = work.call();
                synchronized (ManualScheduler.this) {
                    if (period > 0 && !cancelled) {
                        due += period;
                        order = ManualScheduler.this.order++;
                        queue.add(this);
                        return;
                    }
                    result = value;
                    done = true;
                }
            } catch (Exception | Error e) {
                synchronized (ManualScheduler.this) {
                    failure = e;
                    done = true;
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(due - now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduler.this) {
                if (done) {
                    return false;
                }
                cancelled = true;
                done = true;
                queue.remove(this);
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            synchronized (ManualScheduler.this) {
                return cancelled;
            }
        }

        @Override
        public boolean isDone() {
            synchronized (ManualScheduler.this) {
                return done;
            }
        }

        @Override
        public V get() throws ExecutionException {
            synchronized (ManualScheduler.this) {
                if (cancelled) {
                    throw new CancellationException();
                }
                if (!done) {
                    throw new IllegalStateException("not run yet: advance the scheduler's time first");
                }
                if (failure != null) {
                    throw new ExecutionException(failure);
                }
                return result;
            }
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws ExecutionException {
            return get();
        }
    }
}
