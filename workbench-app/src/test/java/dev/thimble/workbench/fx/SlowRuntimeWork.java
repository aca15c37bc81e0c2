package dev.thimble.workbench.fx;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The runtime-work thread with an optional delay before each task: a save that takes long, to prove
 * the JavaFX thread never waits for runtime work.
 */
final class SlowRuntimeWork extends ThreadPoolExecutor {
    private volatile long delayMillis;

    SlowRuntimeWork() {
        super(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "slow-runtime-work");
            t.setDaemon(true);
            return t;
        });
    }

    void delayEachTaskBy(long millis) {
        delayMillis = millis;
    }

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
        long delay = delayMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
