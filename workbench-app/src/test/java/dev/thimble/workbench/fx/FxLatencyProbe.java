package dev.thimble.workbench.fx;

import javafx.application.Platform;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Measures how long the JavaFX thread takes to run a posted runnable, repeatedly, while a condition
 * holds: if anything blocked the thread (a save run on it), the latency shows it.
 */
final class FxLatencyProbe {
    long maxMillis;
    int samples;

    /** Samples every ~15 ms while {@code running} holds, for at most {@code limitMillis}. */
    static FxLatencyProbe whileTrue(BooleanSupplier running, long limitMillis) throws InterruptedException {
        FxLatencyProbe probe = new FxLatencyProbe();
        long end = System.currentTimeMillis() + limitMillis;
        while (running.getAsBoolean() && System.currentTimeMillis() < end) {
            long posted = System.nanoTime();
            CountDownLatch ran = new CountDownLatch(1);
            Platform.runLater(ran::countDown);
            if (!ran.await(5, TimeUnit.SECONDS)) {
                probe.maxMillis = 5000;
                return probe;
            }
            probe.maxMillis = Math.max(probe.maxMillis, (System.nanoTime() - posted) / 1_000_000);
            probe.samples++;
            Thread.sleep(15);
        }
        return probe;
    }
}
