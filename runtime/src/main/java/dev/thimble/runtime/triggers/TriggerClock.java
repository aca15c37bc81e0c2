package dev.thimble.runtime.triggers;

import java.time.Instant;

/**
 * The time scheduled triggers live by: what time it is, and "run this at that time". The system
 * clock in production; {@link ManualTriggerClock} in tests and in the workbench, where moving time
 * forward fires the occurrences that fall due.
 */
public interface TriggerClock {

    Instant now();

    /** Runs {@code task} once, at {@code at} or as soon after it as the clock allows (at once if it has passed). */
    Scheduled schedule(Instant at, Runnable task);

    /** A task handed to {@link #schedule}; cancelling a task that already ran does nothing. */
    interface Scheduled {
        void cancel();
    }

    /** Wall-clock time, tasks run on a daemon thread of its own. */
    static TriggerClock system() {
        return SystemTriggerClock.INSTANCE;
    }
}
