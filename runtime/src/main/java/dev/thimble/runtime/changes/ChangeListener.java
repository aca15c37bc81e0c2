package dev.thimble.runtime.changes;

/**
 * Receives the events of one subscription, one at a time and in order, on a thread of the
 * subscription's own (never a database or HTTP I/O thread). A slow listener delays only itself.
 */
@FunctionalInterface
public interface ChangeListener {
    void onEvent(ChangeEvent event);

    /**
     * The subscription ended with an error and delivers nothing more: its position left the
     * embedded event log ({@link ChangeHistoryLostException}), or the external change stream failed
     * for good. The default logs nothing and ignores it.
     */
    default void onError(RuntimeException error) {
    }
}
