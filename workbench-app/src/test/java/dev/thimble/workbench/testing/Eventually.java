package dev.thimble.workbench.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that background work makes true. */
public final class Eventually {
    private Eventually() {
    }

    /** Polls every 10 ms until {@code condition} holds; fails with {@code what} after {@code timeout}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }

    public static void await(String what, BooleanSupplier condition) {
        await(Duration.ofSeconds(20), what, condition);
    }
}
