package dev.thimble.workbench.console;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.FunctionConsole;
import dev.thimble.runtime.apps.FunctionConsole.CallAs;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The console's state: the function to call, its arguments (Extended JSON array), whom it runs as,
 * the last call's result, console output and error, and the history of calls (newest first), any of
 * which can be loaded back to edit and run again. Calls run off the UI thread.
 */
public final class ConsoleViewModel {
    static final CallAs SYSTEM = new CallAs.System();
    static final CallAs ANONYMOUS = new CallAs.Anonymous();

    private final UiTasks tasks;
    private final ObservableList<String> functions = FXCollections.observableArrayList();
    private final ObservableList<CallAs> callers = FXCollections.observableArrayList(SYSTEM, ANONYMOUS);
    private final ObservableList<FunctionConsole.Outcome> history = FXCollections.observableArrayList();
    private final StringProperty function = new SimpleStringProperty(this, "function");
    private final StringProperty arguments = new SimpleStringProperty(this, "arguments", "[]");
    private final ObjectProperty<CallAs> callAs = new SimpleObjectProperty<>(this, "callAs", SYSTEM);
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper(this, "result", "");
    private final ReadOnlyStringWrapper output = new ReadOnlyStringWrapper(this, "output", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final javafx.beans.property.BooleanProperty snippet = new javafx.beans.property.SimpleBooleanProperty(this, "snippet");
    private final StringProperty code = new SimpleStringProperty(this, "code",
            "// Runs as the chosen user with the whole context, like a function; nothing is saved.\nreturn context.user;");
    /** The code each snippet of the history ran (an outcome names only console:snippet). */
    private final java.util.Map<FunctionConsole.Outcome, String> snippetCode = new java.util.IdentityHashMap<>();
    private AppSession session;

    public ConsoleViewModel(UiTasks tasks) {
        this.tasks = tasks;
    }

    /** Points the console at a newly opened app. */
    public void attach(AppSession newSession, AppModel app) {
        session = newSession;
        showFunctions(app);
    }

    public void detach() {
        session = null;
        functions.clear();
        callers.setAll(SYSTEM, ANONYMOUS);
        callAs.set(SYSTEM);
    }

    /** The functions of the app as now saved (keeps the chosen one when it still exists). */
    public void showFunctions(AppModel app) {
        String chosen = function.get();
        functions.setAll(app.functions().stream().map(FunctionDef::name).toList());
        if (chosen == null || !functions.contains(chosen)) {
            function.set(functions.isEmpty() ? null : functions.getFirst());
        }
    }

    /** Reads the app's users from the running server (the list of callers: system, anonymous, then each user). */
    public CompletableFuture<List<FunctionConsole.CallAs.ExistingUser>> refreshUsers() {
        AppSession target = session;
        if (target == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return tasks.run(() -> target.console().users(), users -> {
            CallAs chosen = callAs.get();
            List<CallAs> all = new ArrayList<>(List.of(SYSTEM, ANONYMOUS));
            all.addAll(users);
            callers.setAll(all);
            callAs.set(all.contains(chosen) ? chosen : SYSTEM);
        }, failure -> status.set("Could not read the app's users: " + UiTasks.describe(failure)));
    }

    /** Calls the chosen function, or runs the code in snippet mode; the outcome shows and goes to the top of the history. */
    public CompletableFuture<FunctionConsole.Outcome> call() {
        AppSession target = session;
        String name = function.get();
        if (target == null) {
            return refuse("Open an app first.");
        }
        if (snippet.get()) {
            return runSnippet(target);
        }
        if (name == null || name.isBlank()) {
            return refuse("Choose a function to call.");
        }
        if (running.get()) {
            return refuse("A call is still running; wait for it to finish.");
        }
        String args = arguments.get();
        CallAs as = callAs.get() == null ? SYSTEM : callAs.get();
        running.set(true);
        status.set("Calling " + name + " as " + as.label() + " ...");
        return tasks.run(() -> target.console().call(name, args, as), this::show, failure -> {
            running.set(false);
            result.set("");
            output.set("");
            error.set(UiTasks.describe(failure));
            status.set("Not called");
        });
    }

    private CompletableFuture<FunctionConsole.Outcome> runSnippet(AppSession target) {
        if (running.get()) {
            return refuse("A call is still running; wait for it to finish.");
        }
        String source = code.get();
        String args = arguments.get();
        CallAs as = callAs.get() == null ? SYSTEM : callAs.get();
        running.set(true);
        status.set("Running the code as " + as.label() + " ...");
        return tasks.run(() -> target.console().runSnippet(source, args, as), outcome -> {
            snippetCode.put(outcome, source);
            show(outcome);
        }, failure -> {
            running.set(false);
            result.set("");
            output.set("");
            error.set(UiTasks.describe(failure));
            status.set("Not run");
        });
    }

    private CompletableFuture<FunctionConsole.Outcome> refuse(String why) {
        error.set(why);
        return CompletableFuture.completedFuture(null);
    }

    private void show(FunctionConsole.Outcome outcome) {
        running.set(false);
        result.set(outcome.result() == null ? "" : outcome.result());
        output.set(String.join("\n", outcome.console()));
        error.set(outcome.error() == null ? "" : outcome.error());
        status.set((outcome.succeeded() ? "Returned" : "Failed") + " in " + outcome.duration().toMillis() + " ms ("
                + outcome.function() + " as " + outcome.as().label() + ")");
        history.addFirst(outcome);
        if (history.size() > 200) {
            snippetCode.remove(history.removeLast());
        }
        refreshUsers(); // a call may have created or deleted users: the run-as list stays current
    }

    /** Loads a call from the history into the fields, to edit and run again. */
    public void load(FunctionConsole.Outcome past) {
        if (past == null) {
            return;
        }
        String pastCode = snippetCode.get(past);
        if (pastCode != null) {
            snippet.set(true);
            code.set(pastCode);
        } else if (!functions.contains(past.function())) {
            error.set(past.function() + " is no longer in the app.");
            return;
        } else {
            snippet.set(false);
            function.set(past.function());
        }
        arguments.set(past.arguments());
        callAs.set(callers.contains(past.as()) ? past.as() : SYSTEM);
        result.set(past.result() == null ? "" : past.result());
        output.set(String.join("\n", past.console()));
        error.set(past.error() == null ? "" : past.error());
    }

    /** The code a snippet of the history ran, or null for a function call. */
    public String codeOf(FunctionConsole.Outcome outcome) {
        return snippetCode.get(outcome);
    }

    /** True: the console runs the code in {@link #codeProperty()} rather than a function of the app. */
    public javafx.beans.property.BooleanProperty snippetProperty() {
        return snippet;
    }

    /** Ad-hoc code: statements (return and await work) or a function source ({@code exports = ...}). */
    public StringProperty codeProperty() {
        return code;
    }

    public ObservableList<String> functions() {
        return functions;
    }

    public ObservableList<CallAs> callers() {
        return callers;
    }

    /** Past calls, newest first. */
    public ObservableList<FunctionConsole.Outcome> history() {
        return history;
    }

    public StringProperty functionProperty() {
        return function;
    }

    /** An Extended JSON array, e.g. {@code [{"$oid": "..."}, "milk"]}. */
    public StringProperty argumentsProperty() {
        return arguments;
    }

    public ObjectProperty<CallAs> callAsProperty() {
        return callAs;
    }

    /** The last result as Extended JSON, "" when it failed. */
    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The last call's console output, one line per {@code console.*} call. */
    public ReadOnlyStringProperty outputProperty() {
        return output.getReadOnlyProperty();
    }

    /** Why the last call failed (with the user's stack) or was not made, or "". */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }
}
