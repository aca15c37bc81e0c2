package dev.thimble.workbench.triggers;

import dev.thimble.runtime.apps.AppEditor;
import dev.thimble.runtime.apps.ScheduledRuns;
import dev.thimble.workbench.concurrent.UiTasks;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Schedule panel: the scheduled triggers with their next runs as seen from the workbench's clock,
 * "run now", and moving that clock forward to see (and run) what falls due on the way. The clock is the
 * panel's own: it starts at real time, and the server's real schedule keeps real time.
 */
public final class ScheduleViewModel {
    /** How many next runs each trigger lists. */
    public static final int NEXT_RUNS = 3;

    private final UiTasks tasks;
    private final Supplier<Optional<AppEditor>> editor;
    private final Clock realTime;
    private final ReadOnlyObjectWrapper<Instant> clock = new ReadOnlyObjectWrapper<>(this, "clock");
    private final ObservableList<ScheduledRuns.Upcoming> upcoming = FXCollections.observableArrayList();
    private final ObservableList<ScheduledRuns.Occurrence> fired = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");

    public ScheduleViewModel(UiTasks tasks, Supplier<Optional<AppEditor>> editor, Clock realTime) {
        this.tasks = tasks;
        this.editor = editor;
        this.realTime = realTime;
        clock.set(realTime.instant());
    }

    /** Lists the scheduled triggers' next runs after the workbench's clock (call after the app changes). */
    public CompletableFuture<List<ScheduledRuns.Upcoming>> refresh() {
        Optional<AppEditor> open = editor.get();
        if (open.isEmpty()) {
            upcoming.clear();
            return CompletableFuture.completedFuture(List.of());
        }
        Instant from = clock.get();
        return tasks.run(() -> open.get().schedules().upcoming(from, NEXT_RUNS), upcoming::setAll,
                failure -> status.set(UiTasks.describe(failure)));
    }

    /** Moves the workbench's clock forward by {@code step}, running every occurrence that falls due on the way. */
    public CompletableFuture<List<ScheduledRuns.Occurrence>> advance(Duration step) {
        Optional<AppEditor> open = editor.get();
        if (open.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Instant from = clock.get();
        Instant to = from.plus(step);
        status.set("Moving the clock to " + to + " ...");
        return tasks.run(() -> open.get().schedules().advance(from, to), ran -> {
            clock.set(to);
            fired.addAll(0, ran.reversed());
            long failed = ran.stream().filter(o -> o.error() != null).count();
            status.set(ran.isEmpty() ? "Nothing fell due before " + to
                    : ran.size() + " run(s) fell due and ran" + (failed > 0 ? ", " + failed + " failed (see Logs)" : "") + ".");
            refresh();
        }, failure -> status.set(UiTasks.describe(failure)));
    }

    /** Back to real time (nothing runs). */
    public void resetClock() {
        clock.set(realTime.instant());
        status.set("The workbench's clock is back at real time.");
        refresh();
    }

    /** Runs a scheduled trigger's function once now. */
    public CompletableFuture<String> runNow(String trigger) {
        Optional<AppEditor> open = editor.get();
        if (open.isEmpty() || trigger == null) {
            return CompletableFuture.completedFuture(null);
        }
        status.set("Running " + trigger + " ...");
        return tasks.run(() -> Optional.ofNullable(open.get().schedules().runNow(trigger)).orElse(""),
                error -> status.set(error.isEmpty() ? "Ran " + trigger + " (see Logs)." : trigger + " failed: " + error),
                failure -> status.set(UiTasks.describe(failure)));
    }

    /** The workbench's clock: real time until moved. */
    public ReadOnlyObjectProperty<Instant> clockProperty() {
        return clock.getReadOnlyProperty();
    }

    public ObservableList<ScheduledRuns.Upcoming> upcoming() {
        return upcoming;
    }

    /** The occurrences the clock's moves ran, newest first. */
    public ObservableList<ScheduledRuns.Occurrence> fired() {
        return fired;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }
}
