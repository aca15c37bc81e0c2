package dev.thimble.workbench.concurrent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs work off the UI thread and hands its outcome back on the UI thread. View-models take one of
 * these instead of calling {@code Platform.runLater} themselves, so they run without a window in
 * tests (where the "UI thread" is any executor the test chooses).
 */
public final class UiTasks {
    private static final Logger LOG = LoggerFactory.getLogger(UiTasks.class);

    private final Executor background;
    private final Executor ui;

    /**
     * @param background where blocking work runs (the workbench uses one thread, so saves, reloads and
     *                   server starts happen in the order they were asked for)
     * @param ui         the UI thread ({@code Platform::runLater} in the workbench)
     */
    public UiTasks(Executor background, Executor ui) {
        this.background = background;
        this.ui = ui;
    }

    /**
     * Runs {@code work} in the background, then {@code onDone} or {@code onFailure} on the UI thread.
     * The failure handed over is the work's own exception, never a wrapper.
     */
    public <T> CompletableFuture<T> run(Callable<T> work, Consumer<? super T> onDone, Consumer<? super Throwable> onFailure) {
        CompletableFuture<T> result = new CompletableFuture<>();
        background.execute(() -> {
            try {
                T value = work.call();
                ui.execute(() -> {
                    try {
                        onDone.accept(value);
                    } finally {
                        result.complete(value);
                    }
                });
            } catch (Throwable e) {
                Throwable cause = unwrap(e);
                LOG.debug("Background work failed", cause);
                ui.execute(() -> {
                    try {
                        onFailure.accept(cause);
                    } finally {
                        result.completeExceptionally(cause);
                    }
                });
            }
        });
        return result;
    }

    /** Runs {@code action} on the UI thread. */
    public void onUi(Runnable action) {
        ui.execute(action);
    }

    public Executor ui() {
        return ui;
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A message for a user from a failure: its own message, or its type when it has none. */
    public static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
