package dev.thimble.runtime.functions;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads on which a function execution may run in place instead of being handed to the engine's own
 * runner thread (decision record 0041): they have the stack an execution needs
 * ({@link FunctionLimits#stackSizeBytes()}), and the engine runs at most one entry execution on each at a
 * time. The client API's request threads are these, so a client's function call runs on the thread that
 * read its request: no hand-off to a runner and back (issue 18).
 */
public final class ExecutionThreads {
    private static final long STACK_BYTES = FunctionLimits.defaults().stackSizeBytes();
    /** {@code -Dthimble.functions.inPlace=false} hands every execution to a runner, as before decision 0041. */
    private static final boolean IN_PLACE = !"false".equals(System.getProperty("thimble.functions.inPlace"));

    private ExecutionThreads() {
    }

    /**
     * A pool of {@code threads} such threads (they end after a minute idle); the caller shuts it down.
     *
     * @param name the threads' name prefix, e.g. {@code thimble-request-}
     */
    public static ExecutorService pool(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Carrier thread = new Carrier(r, name + count.incrementAndGet(), STACK_BYTES);
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** As many request threads as Undertow's own worker pool would have: eight per core, at least 16. */
    public static int defaultRequestThreads() {
        return Math.max(Runtime.getRuntime().availableProcessors(), 2) * 8;
    }

    /**
     * The current thread, if an entry execution needing {@code stackBytes} may run on it now: it is one
     * of these threads, deep enough, and not running an execution already (a nested entry call goes to
     * a runner, as before).
     */
    static Carrier available(long stackBytes) {
        return IN_PLACE && Thread.currentThread() instanceof Carrier carrier && !carrier.busy && carrier.stackBytes >= stackBytes
                ? carrier : null;
    }

    /** One such thread running {@code task} (the engine's warm-up thread runs the call path as a request thread does). */
    static Carrier thread(Runnable task, String name, long stackBytes) {
        return new Carrier(task, name, stackBytes);
    }

    /** A thread of {@link #pool}; {@link #busy} is only touched by the thread itself. */
    static final class Carrier extends Thread {
        final long stackBytes;
        boolean busy;

        Carrier(Runnable task, String name, long stackBytes) {
            super(null, task, name, stackBytes);
            this.stackBytes = stackBytes;
        }
    }
}
