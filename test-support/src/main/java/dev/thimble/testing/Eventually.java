package dev.thimble.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that background work makes true: polls it every few milliseconds and fails
 * with what was awaited after a generous limit. Tests wait for what they need, never for a fixed time.
 */
public final class Eventually {
    /** The limit when none is given: long enough for a loaded, shared machine. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(20);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Eventually() {
    }

    /** Polls until {@code condition} holds; fails naming {@code what} after {@code limit}. */
    public static void await(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + limit.toMillis() + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for: " + what);
            }
        }
    }

    /** As {@link #await(Duration, String, BooleanSupplier)} with the limit after the description. */
    public static void await(String what, Duration limit, BooleanSupplier condition) {
        await(limit, what, condition);
    }

    public static void await(String what, BooleanSupplier condition) {
        await(DEFAULT_LIMIT, what, condition);
    }

    /** Polls {@code value} until it gives non-null, and returns that. */
    public static <T> T awaitValue(Duration limit, String what, Supplier<T> value) {
        Object[] found = new Object[1];
        await(limit, what, () -> (found[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T result = (T) found[0];
        return result;
    }

    public static <T> T awaitValue(String what, Supplier<T> value) {
        return awaitValue(DEFAULT_LIMIT, what, value);
    }
}
