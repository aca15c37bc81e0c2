package dev.thimble.debugger.ui;

import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.DebugListener;
import dev.thimble.debugger.EvaluationResult;
import dev.thimble.debugger.FrameSnapshot;
import dev.thimble.debugger.FunctionDebugger;
import dev.thimble.debugger.PauseSnapshot;
import dev.thimble.debugger.PausedExecution;
import dev.thimble.debugger.ScopeSnapshot;
import dev.thimble.debugger.VariableSnapshot;
import dev.thimble.runtime.functions.ExecutionOrigin;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * All state of the debugger panels, and the only class of them that talks to the debugger. Runtime
 * events arrive on execution threads and are handed to the UI thread through {@code uiThread}
 * ({@code Platform::runLater} in the app); commands that wait for the paused function run on
 * {@code background}, so the UI thread never waits on the runtime. Several executions may be paused
 * at once; the panels show the selected one.
 */
public final class DebuggerViewModel implements DebugListener {
    /** The line a paused function stands on, for the editor's current-line marker. */
    public record Location(String path, int line) {
    }

    private final FunctionDebugger debugger;
    private final Executor uiThread;
    private final Executor background;
    private final Map<Long, PauseSnapshot> pausedById = new LinkedHashMap<>();
    private final ObservableList<PauseSnapshot> paused = FXCollections.observableArrayList();
    private final ObjectProperty<PauseSnapshot> selected = new SimpleObjectProperty<>();
    private final ObservableList<FrameSnapshot> frames = FXCollections.observableArrayList();
    private final IntegerProperty selectedFrame = new SimpleIntegerProperty(-1);
    private final ObservableList<VariableNode> scopes = FXCollections.observableArrayList();
    private final ObservableList<EvaluationResult> watches = FXCollections.observableArrayList();
    private final ObservableList<Breakpoints.Line> breakpoints = FXCollections.observableArrayList();
    private final ObservableList<String> console = FXCollections.observableArrayList();
    private final StringProperty origin = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("Running: no function is paused");
    private final BooleanProperty isPaused = new SimpleBooleanProperty(false);
    private final ObjectProperty<Location> currentLine = new SimpleObjectProperty<>();
    private final Runnable syncBreakpoints;

    public DebuggerViewModel(FunctionDebugger debugger, Executor uiThread, Executor background) {
        this.debugger = debugger;
        this.uiThread = uiThread;
        this.background = background;
        debugger.addListener(this);
        syncBreakpoints = () -> {
            List<Breakpoints.Line> lines = debugger.breakpoints().lines();
            uiThread.execute(() -> breakpoints.setAll(lines));
        };
        debugger.breakpoints().addListener(syncBreakpoints);
        syncBreakpoints.run();
        selectedFrame.addListener((obs, was, now) -> showFrame(now.intValue()));
    }

    /**
     * Stops following the debugger and its breakpoints (the breakpoints outlive a session: the
     * workbench keeps them per app and hands them to the next one).
     */
    public void dispose() {
        debugger.removeListener(this);
        debugger.breakpoints().removeListener(syncBreakpoints);
    }

    // ------------------------------------------------------------------ state for the views

    public ObservableList<PauseSnapshot> pausedExecutions() { return paused; }
    public ReadOnlyObjectProperty<PauseSnapshot> selectedPause() { return selected; }
    public ObservableList<FrameSnapshot> frames() { return frames; }
    public IntegerProperty selectedFrame() { return selectedFrame; }
    public ObservableList<VariableNode> scopes() { return scopes; }
    public ObservableList<EvaluationResult> watches() { return watches; }
    public ObservableList<Breakpoints.Line> breakpoints() { return breakpoints; }
    public ObservableList<String> console() { return console; }
    public ReadOnlyStringProperty origin() { return origin; }
    public ReadOnlyStringProperty status() { return status; }
    public ReadOnlyBooleanProperty paused() { return isPaused; }
    public ReadOnlyObjectProperty<Location> currentLine() { return currentLine; }

    // ------------------------------------------------------------------ commands (from the UI thread)

    public void stepOver() { command(PausedExecution::stepOver); }
    public void stepInto() { command(PausedExecution::stepInto); }
    public void stepOut() { command(PausedExecution::stepOut); }
    public void resume() { command(PausedExecution::resume); }
    public void stop() { command(PausedExecution::stop); }

    /** Shows another paused execution. */
    public void select(PauseSnapshot snapshot) {
        show(snapshot);
    }

    /** Ctrl+F8: a breakpoint at the line, or none if there was one. */
    public void toggleBreakpoint(String path, int line) {
        debugger.breakpoints().toggle(path, line);
    }

    /** Ctrl+F8 with no editor: toggles a breakpoint at the line the selected frame stands on. */
    public void toggleBreakpointAtCurrentLine() {
        Location at = currentLine.get();
        if (at != null) {
            toggleBreakpoint(at.path(), at.line());
        }
    }

    public void addWatch(String expression) {
        if (expression == null || expression.isBlank()) {
            return;
        }
        debugger.addWatch(expression.trim());
        refreshWatches();
    }

    public void removeWatch(String expression) {
        debugger.removeWatch(expression);
        refreshWatches();
    }

    /** The console: evaluates in the selected frame and appends {@code > expr} and its value. */
    public void evaluate(String expression) {
        if (expression == null || expression.isBlank()) {
            return;
        }
        Optional<PausedExecution> target = target();
        if (target.isEmpty()) {
            console.add("> " + expression);
            console.add("nothing is paused: evaluation needs a paused function");
            return;
        }
        int frame = Math.max(0, selectedFrame.get());
        background.execute(() -> {
            String answer;
            try {
                answer = target.get().evaluate(expression, frame).display();
            } catch (RuntimeException e) {
                answer = e.getMessage();
            }
            String shown = answer;
            uiThread.execute(() -> {
                console.add("> " + expression);
                console.add(shown);
            });
        });
    }

    // ------------------------------------------------------------------ debugger events (execution threads)

    @Override
    public void paused(PauseSnapshot snapshot) {
        uiThread.execute(() -> {
            pausedById.put(snapshot.executionId(), snapshot);
            paused.setAll(pausedById.values());
            show(snapshot);
        });
    }

    @Override
    public void resumed(long executionId) {
        uiThread.execute(() -> {
            pausedById.remove(executionId);
            paused.setAll(pausedById.values());
            PauseSnapshot current = selected.get();
            if (current != null && current.executionId() == executionId) {
                show(pausedById.values().stream().findFirst().orElse(null));
            }
        });
    }

    @Override
    public void sessionEnded() {
        uiThread.execute(() -> {
            pausedById.clear();
            paused.clear();
            show(null);
            status.set("Debugging is off");
        });
    }

    // ------------------------------------------------------------------

    private void show(PauseSnapshot snapshot) {
        selected.set(snapshot);
        isPaused.set(snapshot != null);
        if (snapshot == null) {
            frames.clear();
            scopes.clear();
            watches.clear();
            origin.set("");
            currentLine.set(null);
            status.set("Running: no function is paused");
            return;
        }
        frames.setAll(snapshot.stack());
        watches.setAll(snapshot.watches());
        origin.set(describe(snapshot));
        FrameSnapshot top = snapshot.top();
        String where = top == null ? snapshot.entryFunction() : top.functionName() + ":" + top.line();
        status.set("Paused at " + where + " (" + snapshot.reason().name().toLowerCase() + ")"
                + (snapshot.exception() != null ? ": " + snapshot.exception() : ""));
        if (selectedFrame.get() == 0) {
            showFrame(0);
        } else {
            selectedFrame.set(0);
        }
    }

    private void showFrame(int index) {
        PauseSnapshot snapshot = selected.get();
        if (snapshot == null || index < 0 || index >= snapshot.stack().size()) {
            scopes.clear();
            return;
        }
        FrameSnapshot frame = snapshot.stack().get(index);
        currentLine.set(new Location(frame.path(), frame.line()));
        if (index == 0) {
            scopes.setAll(nodes(snapshot.scopes()));
            return;
        }
        PausedExecution execution = debugger.paused(snapshot.executionId()).orElse(null);
        if (execution == null) {
            return;
        }
        background.execute(() -> {
            List<ScopeSnapshot> fetched;
            try {
                fetched = execution.scopes(index);
            } catch (RuntimeException e) {
                fetched = List.of(new ScopeSnapshot("(" + e.getMessage() + ")", List.of()));
            }
            List<ScopeSnapshot> result = fetched;
            uiThread.execute(() -> {
                if (selected.get() == snapshot && selectedFrame.get() == index) {
                    scopes.setAll(nodes(result));
                }
            });
        });
    }

    private List<VariableNode> nodes(List<ScopeSnapshot> scopeSnapshots) {
        List<VariableNode> result = new ArrayList<>();
        for (ScopeSnapshot scope : scopeSnapshots) {
            List<VariableNode> vars = scope.variables().stream().map(v -> new VariableNode(v.name(), v, List.of(), this)).toList();
            result.add(new VariableNode(scope.name(), null, vars, this));
        }
        return result;
    }

    void expand(VariableNode node, Consumer<List<VariableNode>> onUiThread) {
        PauseSnapshot snapshot = selected.get();
        Optional<PausedExecution> execution = snapshot == null ? Optional.empty() : debugger.paused(snapshot.executionId());
        if (execution.isEmpty()) {
            onUiThread.accept(List.of());
            return;
        }
        background.execute(() -> {
            List<VariableNode> children;
            try {
                children = execution.get().children(node.value().ref()).stream()
                        .map(v -> new VariableNode(v.name(), v, List.of(), this)).toList();
            } catch (RuntimeException e) {
                children = List.of(new VariableNode(e.getMessage(), new VariableSnapshot("(error)", "", e.getMessage(), 0), List.of(), this));
            }
            List<VariableNode> result = children;
            uiThread.execute(() -> onUiThread.accept(result));
        });
    }

    private void refreshWatches() {
        Optional<PausedExecution> target = target();
        List<String> expressions = debugger.watches();
        if (target.isEmpty()) {
            watches.setAll(expressions.stream().map(e -> new EvaluationResult(e, null, "not paused")).toList());
            return;
        }
        int frame = Math.max(0, selectedFrame.get());
        background.execute(() -> {
            List<EvaluationResult> values = new ArrayList<>();
            for (String expression : expressions) {
                try {
                    values.add(target.get().evaluate(expression, frame));
                } catch (RuntimeException e) {
                    values.add(new EvaluationResult(expression, null, e.getMessage()));
                }
            }
            uiThread.execute(() -> watches.setAll(values));
        });
    }

    private Optional<PausedExecution> target() {
        PauseSnapshot snapshot = selected.get();
        return snapshot == null ? Optional.empty() : debugger.paused(snapshot.executionId());
    }

    private void command(Consumer<PausedExecution> action) {
        target().ifPresent(execution -> {
            try {
                action.accept(execution);
            } catch (RuntimeException e) {
                status.set(e.getMessage());
            }
        });
    }

    /** The origin line beside the stack: what started the paused call, and for whom. */
    static String describe(PauseSnapshot snapshot) {
        ExecutionOrigin o = snapshot.origin();
        String kind = switch (o.kind()) {
            case SDK_CALL -> "SDK call";
            case RULE -> "rule (%function)";
            case TRIGGER -> "trigger";
            case WEBHOOK -> "webhook";
            case ENDPOINT -> "HTTPS endpoint";
            case CONSOLE -> "console";
            case AUTH -> "login";
            case REPLAY -> "replay";
            case SERVER -> "server";
        };
        String user = snapshot.userId().isEmpty() ? "system" : "user " + snapshot.userId();
        String text = kind + " · " + snapshot.entryFunction() + " · " + user;
        if (!o.summary().isEmpty()) {
            text += "\n" + o.summary();
        }
        if (!o.detail().isEmpty()) {
            String detail = o.detail().toJson();
            text += "\n" + (detail.length() > 400 ? detail.substring(0, 400) + "…" : detail);
        }
        return text;
    }
}
