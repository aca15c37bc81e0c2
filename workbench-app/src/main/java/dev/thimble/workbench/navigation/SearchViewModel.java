package dev.thimble.workbench.navigation;

import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.runtime.apps.AppSearch;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ctrl+Shift+F: searches the open app's files as the user types (debounced, off the UI thread; an
 * answer for text that changed since is dropped) and opens a hit at its line.
 */
public final class SearchViewModel {
    private final UiTasks tasks;
    private final ScheduledExecutorService timer;
    private final Consumer<AppSearch.Hit> opener;
    private final StringProperty query = new SimpleStringProperty(this, "query", "");
    private final ObservableList<AppSearch.Hit> results = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyBooleanWrapper showing = new ReadOnlyBooleanWrapper(this, "showing");
    private Path directory;
    private ScheduledFuture<?> pending;

    public SearchViewModel(UiTasks tasks, ScheduledExecutorService timer, Consumer<AppSearch.Hit> opener) {
        this.tasks = tasks;
        this.timer = timer;
        this.opener = opener;
        query.addListener((obs, old, now) -> schedule());
    }

    /** The bundle to search; null when no app is open. */
    public void show(Path appDirectory) {
        directory = appDirectory;
        results.clear();
    }

    public void open() {
        showing.set(true);
        if (!query.get().isBlank()) {
            search();
        }
    }

    public void cancel() {
        showing.set(false);
    }

    public void choose(AppSearch.Hit hit) {
        AppSearch.Hit chosen = hit != null ? hit : results.isEmpty() ? null : results.getFirst();
        showing.set(false);
        if (chosen != null) {
            opener.accept(chosen);
        }
    }

    private void schedule() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = timer.schedule(() -> tasks.onUi(this::search), 200, TimeUnit.MILLISECONDS);
    }

    /** Searches now for the current text. */
    public CompletableFuture<List<AppSearch.Hit>> search() {
        Path target = directory;
        String text = query.get();
        if (target == null || text == null || text.isBlank()) {
            results.clear();
            summary.set("");
            return CompletableFuture.completedFuture(List.of());
        }
        return tasks.run(() -> AppSearch.search(target, text), hits -> {
            if (text.equals(query.get())) {
                results.setAll(hits);
                summary.set(hits.isEmpty() ? "Nothing found" : hits.size() + (hits.size() >= AppSearch.MAX_HITS ? "+" : "") + " hits");
            }
        }, failure -> summary.set(UiTasks.describe(failure)));
    }

    public StringProperty queryProperty() {
        return query;
    }

    public ObservableList<AppSearch.Hit> results() {
        return results;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty showingProperty() {
        return showing.getReadOnlyProperty();
    }
}
