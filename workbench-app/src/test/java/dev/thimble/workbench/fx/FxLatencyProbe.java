package dev.thimble.workbench.fx;

import javafx.application.Platform;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Posts runnables to the JavaFX thread one after another while some work is still in progress and counts
 * how many ran: if the work blocked the thread (a save run on it), none would run until it finished.
 * The longest wait is printed for people; tests assert the count, never a time.
 */
final class FxLatencyProbe {
    long maxMillis;
    int samples;

    /** Samples while {@code running} holds, until {@code wanted} samples ran or {@code limitMillis} passed. */
    static FxLatencyProbe whileTrue(BooleanSupplier running, int wanted, long limitMillis) throws InterruptedException {
        FxLatencyProbe probe = new FxLatencyProbe();
        long end = System.currentTimeMillis() + limitMillis;
        while (probe.samples < wanted && running.getAsBoolean() && System.currentTimeMillis() < end) {
            long posted = System.nanoTime();
            CountDownLatch ran = new CountDownLatch(1);
            Platform.runLater(ran::countDown);
            if (!ran.await(5, TimeUnit.SECONDS)) {
                continue; // counted only when it ran; the loop's limit ends a thread that never answers
            }
            if (!running.getAsBoolean()) {
                break; // ran only after the work finished: proves nothing
            }
            probe.maxMillis = Math.max(probe.maxMillis, (System.nanoTime() - posted) / 1_000_000);
            probe.samples++;
            Thread.sleep(15);
        }
        return probe;
    }
}
