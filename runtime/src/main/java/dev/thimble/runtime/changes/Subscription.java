package dev.thimble.runtime.changes;

/** One open subscription to change events. Closing it stops delivery; idempotent and safe from any thread. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();

    boolean isOpen();
}
