package dev.thimble.runtime.logs;

/** A live feed from {@link LogService#subscribe}; closing it ends the feed. */
public interface LogSubscription extends AutoCloseable {

    /**
     * Records this subscriber never got because it fell more than the ring's capacity behind
     * (it was slower than the records came). Counts what is already lost, even while the
     * subscriber is still busy with an earlier batch.
     */
    long overflowed();

    /** How many batches the listener threw on; the feed goes on after a failure. */
    long failures();

    /**
     * Starts no further batch; a batch being delivered may finish. Safe to call from the
     * listener itself, and more than once.
     */
    @Override
    void close();
}
