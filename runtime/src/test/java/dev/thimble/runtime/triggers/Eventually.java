package dev.thimble.runtime.triggers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds, failing with {@code what} after a bounded wait. */
final class Eventually {
    private Eventually() {}

    static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) { throw new AssertionError("not within " + within + ": " + what); }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    static void await(String what, BooleanSupplier condition) { await(what, Duration.ofSeconds(10), condition); }
}
