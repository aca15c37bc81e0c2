package dev.thimble.workbench.concurrent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items that arrive fast on other threads to the UI thread in batches: at most one hand-over is
 * queued on the UI thread at a time, and it takes everything that arrived until it runs. With
 * {@code Platform::runLater} that is one call per frame however fast items come.
 */
public final class UiBatcher<T> {
    private final Executor ui;
    private final Consumer<List<T>> onUi;
    private final ConcurrentLinkedQueue<T> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** @param onUi gets each batch, in arrival order, on the UI thread; never an empty one */
    public UiBatcher(Executor ui, Consumer<List<T>> onUi) {
        this.ui = ui;
        this.onUi = onUi;
    }

    /** Queues {@code items} (from any thread) for the next hand-over. */
    public void add(Collection<? extends T> items) {
        waiting.addAll(items);
        if (scheduled.compareAndSet(false, true)) {
            ui.execute(this::handOver);
        }
    }

    private void handOver() {
        // clear the flag first: what arrives while onUi runs schedules the next hand-over
        scheduled.set(false);
        List<T> batch = new ArrayList<>();
        for (T item; (item = waiting.poll()) != null; ) {
            batch.add(item);
        }
        if (!batch.isEmpty()) {
            onUi.accept(batch);
        }
    }
}
