package dev.thimble.workbench.fx;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The runtime-work thread with a gate: while it is held, each task waits before it runs, so a test can
 * prove the JavaFX thread keeps working while runtime work (a save) has not finished — without timing.
 */
final class SlowRuntimeWork extends ThreadPoolExecutor {
    private final Object gate = new Object();
    private boolean held;
    private volatile boolean taskWaiting;

    SlowRuntimeWork() {
        super(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "slow-runtime-work");
            t.setDaemon(true);
            return t;
        });
    }

    void hold() {
        synchronized (gate) {
            held = true;
        }
    }

    void release() {
        synchronized (gate) {
            held = false;
            gate.notifyAll();
        }
    }

    /** True while a task waits at the held gate. */
    boolean taskWaiting() {
        return taskWaiting;
    }

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
        synchronized (gate) {
            while (held) {
                taskWaiting = true;
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } finally {
                    taskWaiting = false;
                }
            }
        }
    }
}
