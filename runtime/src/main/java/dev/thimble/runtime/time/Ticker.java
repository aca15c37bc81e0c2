package dev.thimble.runtime.time;

/**
 * Where elapsed time comes from: a monotonic nanosecond count, like {@link System#nanoTime()}, whose
 * origin means nothing; only differences do. Code that measures "how long since" (cache lifetimes,
 * retention intervals, back-offs) asks an injected ticker instead of the system, so a test moves time
 * by a minute in a microsecond instead of sleeping. Wall-clock time (what a token's {@code exp} or a
 * record's date says) is a {@link java.time.Clock}, not this.
 */
@FunctionalInterface
public interface Ticker {
    /** The system's monotonic time. */
    Ticker SYSTEM = System::nanoTime;

    /** Nanoseconds since an arbitrary fixed origin; never goes backwards. */
    long nanos();
}
