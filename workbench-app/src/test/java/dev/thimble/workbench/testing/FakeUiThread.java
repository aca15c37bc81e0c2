package dev.thimble.workbench.testing;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A stand-in for the JavaFX thread in view-model tests: one thread that runs everything the view-models
 * hand to "the UI", and on which the test reads and changes their state ({@link #call}, {@link #run}),
 * so properties are only ever touched by one thread, as in the real window.
 */
public final class FakeUiThread implements Executor, AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-ui");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void execute(Runnable command) {
        thread.execute(command);
    }

    /** Runs {@code read} on the UI thread and returns its result. */
    public <T> T call(Supplier<T> read) {
        try {
            return thread.submit(read::get).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the UI thread did not answer within 10 s", e);
        }
    }

    public void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
