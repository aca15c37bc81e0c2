package dev.thimble.workbench.shell;

import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.apps.AppCreation;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An import as the window shows it: the step and the progress while it runs, a cancel that stops it
 * before anything is written, then what it imported, converted and keeps without serving.
 */
public final class ImportProgress {
    /** What the panel shows. */
    public enum State { IDLE, RUNNING, DONE, FAILED }

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyStringWrapper step = new ReadOnlyStringWrapper(this, "step", "");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction");
    private final ReadOnlyObjectWrapper<AppCreation.Imported> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyBooleanWrapper cancelling = new ReadOnlyBooleanWrapper(this, "cancelling");
    private volatile AtomicBoolean cancel = new AtomicBoolean();

    /** Starts showing an import; the returned progress reports from the import's thread through {@code ui}. */
    AppCreation.Progress start(Path source, java.util.function.Consumer<Runnable> ui) {
        AtomicBoolean stop = new AtomicBoolean();
        cancel = stop;
        cancelling.set(false);
        result.set(null);
        summary.set("");
        step.set("Importing " + source);
        fraction.set(-1);
        state.set(State.RUNNING);
        Executor onUi = ui::accept;
        return new AppCreation.Progress() {
            @Override
            public void step(String what, double done) {
                onUi.execute(() -> {
                    step.set(what);
                    fraction.set(done);
                });
            }

            @Override
            public boolean cancelled() {
                return stop.get();
            }
        };
    }

    /** Stops the import before it writes (once writing started, it finishes). */
    public void cancel() {
        cancel.set(true);
        cancelling.set(true);
        step.set("Cancelling ...");
    }

    void finished(AppCreation.Imported imported) {
        result.set(imported);
        fraction.set(1);
        long errors = imported.problems().stream().filter(Problem::isError).count();
        StringBuilder text = new StringBuilder("Imported " + imported.name() + " into " + imported.directory() + "\n\n");
        section(text, "Imported", imported.summary().imported());
        section(text, "Converted", imported.summary().converted());
        section(text, "Kept but not served by Thimble", imported.summary().keptNotServed());
        text.append(errors).append(" error(s) and ").append(imported.problems().size() - errors)
                .append(" warning(s) to look at: see the Problems panel (double-click one to open its file).");
        summary.set(text.toString());
        step.set("Imported");
        state.set(State.DONE);
    }

    private static void section(StringBuilder text, String title, java.util.List<String> lines) {
        if (!lines.isEmpty()) {
            text.append(title).append(":\n");
            lines.forEach(line -> text.append("  \u2022 ").append(line).append('\n'));
            text.append('\n');
        }
    }

    void failed(String why) {
        summary.set(why);
        step.set(cancelling.get() ? "Cancelled: nothing was written." : "The import failed: nothing was written.");
        state.set(State.FAILED);
    }

    /** Hides the panel. */
    public void close() {
        state.set(State.IDLE);
    }

    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stepProperty() { return step.getReadOnlyProperty(); }
    /** 0 to 1, or -1 while not known (an indeterminate bar). */
    public ReadOnlyDoubleProperty fractionProperty() { return fraction.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<AppCreation.Imported> resultProperty() { return result.getReadOnlyProperty(); }
    /** The summary as text: imported, converted, kept but not served, problems. */
    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty cancellingProperty() { return cancelling.getReadOnlyProperty(); }
}
