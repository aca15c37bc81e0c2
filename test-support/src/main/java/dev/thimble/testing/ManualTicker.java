package dev.thimble.testing;

import dev.thimble.runtime.time.Ticker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Elapsed time that moves only when a test moves it: give it to the code under test (e.g.
 * {@code HostSettings.withTicker}) and {@link #advance} past a cache lifetime instead of sleeping
 * through it. Thread-safe; starts at an arbitrary non-zero origin, as {@link System#nanoTime()} does.
 */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    /** Moves time forward by {@code by}. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time does not go backwards: " + by);
        }
        nanos.addAndGet(by.toNanos());
    }
}
