package dev.thimble.runtime.changes;

/**
 * A resume token names a position the event log no longer holds (it keeps the newest events only,
 * see {@link ChangeEventSource}), so the events after it cannot all be delivered. MongoDB reports
 * this as {@code ChangeStreamHistoryLost}; the subscriber must start again from now and catch up on
 * what it missed by other means.
 */
public final class ChangeHistoryLostException extends RuntimeException {
    public ChangeHistoryLostException(String message) {
        super(message);
    }
}
