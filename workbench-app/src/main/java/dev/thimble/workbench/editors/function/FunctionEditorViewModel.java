package dev.thimble.workbench.editors.function;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.FunctionSourceChecker.SyntaxError;
import dev.thimble.runtime.app.Json;
import dev.thimble.workbench.concurrent.Debouncer;
import dev.thimble.workbench.editors.EditorContext;
import dev.thimble.workbench.editors.EditorViewModelBase;
import dev.thimble.runtime.apps.EditRefusedException;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A function's source and settings as being edited. Every change to the source schedules a parse
 * (debounced by {@link #PARSE_DELAY}, run on the syntax-check thread) whose first error becomes
 * {@link #syntaxErrorProperty()}; an answer for text that has changed since is dropped.
 */
public final class FunctionEditorViewModel extends EditorViewModelBase<FunctionEditorViewModel.State> {
    private final java.util.function.Supplier<dev.thimble.runtime.app.AppModel> completionModel;
    /** How long typing must pause before the source is parsed. */
    public static final Duration PARSE_DELAY = Duration.ofMillis(300);

    /** The editable content of a function. */
    public record State(String source, boolean isPrivate, boolean runAsSystem, boolean disableArgLogs) {
    }

    private final String name;
    private final StringProperty source = new SimpleStringProperty(this, "source");
    private final BooleanProperty isPrivate = new SimpleBooleanProperty(this, "private");
    private final BooleanProperty runAsSystem = new SimpleBooleanProperty(this, "runAsSystem");
    private final BooleanProperty disableArgLogs = new SimpleBooleanProperty(this, "disableArgLogs");
    private final ObjectProperty<State> baseline = new SimpleObjectProperty<>(this, "baseline");
    private final ReadOnlyObjectWrapper<SyntaxError> syntaxError = new ReadOnlyObjectWrapper<>(this, "syntaxError");
    private final ReadOnlyBooleanWrapper checked = new ReadOnlyBooleanWrapper(this, "checked");
    private final ReadOnlyObjectWrapper<Integer> requestedLine = new ReadOnlyObjectWrapper<>(this, "requestedLine");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final Debouncer parse;
    /** Counts source changes (UI thread only), so a parse answer for an older text is recognised and dropped. */
    private long sourceVersion;

    public FunctionEditorViewModel(EditorContext context, FunctionDef function) {
        super(context, new EditableItem.Function(function.name()));
        this.completionModel = context.currentModel();
        this.name = function.name();
        this.parse = new Debouncer(context.timer(), PARSE_DELAY);
        source.set(function.source());
        isPrivate.set(function.isPrivate());
        runAsSystem.set(function.runAsSystem());
        disableArgLogs.set(function.config().bool("disable_arg_logs", false));
        baseline.set(snapshot());
        dirty.bind(Bindings.createBooleanBinding(() -> !snapshot().equals(baseline.get()),
                source, isPrivate, runAsSystem, disableArgLogs, baseline));
        source.addListener((obs, old, now) -> scheduleParse(PARSE_DELAY));
        scheduleParse(Duration.ZERO);
    }

    private void scheduleParse(Duration delay) {
        long version = ++sourceVersion;
        String text = source.get();
        Runnable check = () -> context.syntax().check(text, "functions/" + name + "/source.js")
                .whenComplete((error, failure) -> context.tasks().onUi(() -> {
                    if (version != sourceVersion) {
                        return; // the user typed since; a newer check is on its way
                    }
                    syntaxError.set(failure == null ? error.orElse(null) : null);
                    checked.set(true);
                }));
        if (delay.isZero()) {
            check.run();
        } else {
            parse.submit(check);
        }
    }

    @Override
    protected State snapshot() {
        return new State(source.get(), isPrivate.get(), runAsSystem.get(), disableArgLogs.get());
    }

    @Override
    protected String invalidReason(State state) {
        return state.source().isBlank() ? "The source is empty; a function needs exports = function(...) { ... }. Nothing was saved." : null;
    }

    @Override
    protected UnaryOperator<AppModel> edit(State state) {
        return model -> {
            FunctionDef old = model.function(name).orElseThrow(() ->
                    new EditRefusedException("The function " + name + " is no longer in the app; nothing was saved."));
            Json config = old.config();
            config = withFlag(config, "private", state.isPrivate());
            config = withFlag(config, "run_as_system", state.runAsSystem());
            config = withFlag(config, "disable_arg_logs", state.disableArgLogs());
            return ModelEdits.withFunction(model, new FunctionDef(config, state.source()));
        };
    }

    /** The function's source and flags as the renamed editor had them, unsaved; the baseline stays the file on disk. */
    @Override
    public boolean takeOver(dev.thimble.workbench.editors.EditorViewModel renamed) {
        if (!(renamed instanceof FunctionEditorViewModel old)) {
            return false;
        }
        State unsaved = old.snapshot();
        source.set(unsaved.source());
        isPrivate.set(unsaved.isPrivate());
        runAsSystem.set(unsaved.runAsSystem());
        disableArgLogs.set(unsaved.disableArgLogs());
        return true;
    }

    /** Sets a flag only when it changes, so a save does not add fields the file never had. */
    private static Json withFlag(Json config, String field, boolean value) {
        return config.bool(field, false) == value && (config.has(field) || !value)
                ? config : config.with(field, JsonNodeFactory.instance.booleanNode(value));
    }

    @Override
    protected void markSaved(State state) {
        baseline.set(state);
    }

    @Override
    protected String afterSaveMessage(State state) {
        SyntaxError error = syntaxError.get();
        return error != null && state.source().equals(source.get())
                ? "Saved, but line " + error.line() + " does not parse: calls to " + name + " fail until it does."
                : "";
    }

    /** Asks the view to show a line (from a problem's "line N"); 1-based. */
    /** Completion for this source: the context API, and the app's function, value and service names as now saved. */
    public dev.thimble.workbench.editors.code.Completions completions() {
        java.util.function.Supplier<dev.thimble.runtime.app.AppModel> app = completionModel;
        return new dev.thimble.workbench.editors.code.Completions(new dev.thimble.workbench.editors.code.Completions.AppNames(
                () -> app.get() == null ? java.util.List.of() : app.get().functions().stream().map(f -> f.name()).toList(),
                () -> app.get() == null ? java.util.List.of() : app.get().values().stream().map(v -> v.name()).toList(),
                () -> app.get() == null ? java.util.List.of() : app.get().services().stream().map(s -> s.name()).toList()));
    }

    public void revealLine(int line) {
        requestedLine.set(null);
        requestedLine.set(line);
    }

    public String name() {
        return name;
    }

    public StringProperty sourceProperty() {
        return source;
    }

    public BooleanProperty privateProperty() {
        return isPrivate;
    }

    public BooleanProperty runAsSystemProperty() {
        return runAsSystem;
    }

    public BooleanProperty disableArgLogsProperty() {
        return disableArgLogs;
    }

    /** The first syntax error of the source as last parsed, or null when it parses. */
    public ReadOnlyObjectProperty<SyntaxError> syntaxErrorProperty() {
        return syntaxError.getReadOnlyProperty();
    }

    /** True once the current source has been parsed at least once (the error property is meaningful). */
    public ReadOnlyBooleanProperty checkedProperty() {
        return checked.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Integer> requestedLineProperty() {
        return requestedLine.getReadOnlyProperty();
    }

    @Override
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    @Override
    public void dispose() {
        parse.cancel();
        sourceVersion++;
    }
}
