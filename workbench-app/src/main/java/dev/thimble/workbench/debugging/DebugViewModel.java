package dev.thimble.workbench.debugging;

import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.FunctionDebugger;
import dev.thimble.debugger.PauseSnapshot;
import dev.thimble.debugger.RecordedWrite;
import dev.thimble.debugger.ReplayRequest;
import dev.thimble.debugger.ReplayResult;
import dev.thimble.debugger.ui.DebuggerViewModel;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.logs.DecisionTree;
import dev.thimble.workbench.workspace.AppDebugging;
import dev.thimble.runtime.apps.ExtendedJson;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The window's debugging state: whether the debugger is on for the open app, the panels' view-model
 * of the attached session (a new one per attach), the paused line for the editors' gutters, and the
 * replay form. Starting, stopping and re-attaching run on the runtime-work thread; the server keeps serving.
 */
public final class DebugViewModel {
    private final UiTasks tasks;
    private final Executor queries;
    private AppDebugging debugging;
    private Breakpoints breakpoints = new Breakpoints();
    private final ObjectProperty<DebuggerViewModel> session = new SimpleObjectProperty<>(this, "session");
    private final BooleanProperty on = new SimpleBooleanProperty(this, "on");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final ObjectProperty<DebuggerViewModel.Location> currentLine = new SimpleObjectProperty<>(this, "currentLine");
    private final StringProperty message = new SimpleStringProperty(this, "message", "Debugging is off: Debug > Start Debugging");
    private final StringProperty replayFunction = new SimpleStringProperty(this, "replayFunction", "");
    private final StringProperty replayUser = new SimpleStringProperty(this, "replayUser", "");
    private final StringProperty replayArguments = new SimpleStringProperty(this, "replayArguments", "[]");
    private final BooleanProperty dryRun = new SimpleBooleanProperty(this, "dryRun", true);
    private final StringProperty replayResult = new SimpleStringProperty(this, "replayResult", "");
    private ReplayRequest prepared;
    private Consumer<DebuggerViewModel.Location> onPause = at -> { };
    /** The paused line moved (a pause, a step, another frame): the editor follows it. */
    private final ChangeListener<DebuggerViewModel.Location> followLine = (obs, was, now) -> {
        currentLine.set(now);
        if (now != null && paused.get()) {
            onPause.accept(now);
        }
    };
    /** The rule decisions of the debugged call's database calls: so far while paused, all of them after it ended. */
    private final ObservableList<DecisionTree.Node> decisions = FXCollections.observableArrayList();
    private final StringProperty decisionsTitle = new SimpleStringProperty(this, "decisionsTitle", "Rule decisions of the call's database calls");
    /** The call the decisions are of, kept after it resumes so its record can be found when it ends. */
    private PauseSnapshot decisionsOf;
    private Instant decisionsSince;
    /** The execution whose log record is awaited (one subscription per call, however often it is stepped). */
    private long awaitingRecordOf = -1;
    private final ChangeListener<PauseSnapshot> followDecisions = (obs, was, now) -> showDecisions(was, now);
    // the panels' view-model sets "paused" before the line, so the line's change finds it set
    private final ChangeListener<Boolean> followPause = (obs, was, now) -> paused.set(now);

    /** @param queries where the panels' questions to a paused function wait for their answers */
    public DebugViewModel(UiTasks tasks, Executor queries) {
        this.tasks = tasks;
        this.queries = queries;
    }

    /** Debugs the app that just opened, with its remembered breakpoints (not attached yet). */
    public void attach(AppDebugging appDebugging) {
        debugging = appDebugging;
        breakpoints = appDebugging.breakpoints();
    }

    /** The app closes: the debugger, if on, is stopped on the calling thread's behalf off the UI thread. */
    public void detach() {
        AppDebugging closing = debugging;
        debugging = null;
        show(null);
        if (closing != null) {
            tasks.run(() -> {
                closing.stop();
                return true;
            }, done -> { }, failure -> { });
        }
    }

    /** What happens when a function pauses (the window comes to the front and opens the line). */
    public void onPause(Consumer<DebuggerViewModel.Location> action) {
        onPause = action;
    }

    public CompletableFuture<FunctionDebugger> start() {
        AppDebugging target = debugging;
        if (target == null) {
            message.set("Open an app first: debugging works on the open app's running server.");
            return CompletableFuture.failedFuture(new IllegalStateException("no app"));
        }
        message.set("Starting the debugger ...");
        return tasks.run(target::start, debugger -> {
            if (debugging == target) {
                show(debugger);
            }
        }, failure -> message.set("Could not start debugging: " + UiTasks.describe(failure)));
    }

    public CompletableFuture<Boolean> stop() {
        AppDebugging target = debugging;
        if (target == null) {
            return CompletableFuture.completedFuture(false);
        }
        return tasks.run(() -> {
            target.stop();
            return true;
        }, done -> show(null), failure -> message.set("Could not stop debugging: " + UiTasks.describe(failure)));
    }

    /** The server runs again (a restart or another database): the debugger follows it onto the new host. */
    public void serverRunning() {
        AppDebugging target = debugging;
        if (target == null || !on.get()) {
            return;
        }
        tasks.run(target::follow, found -> found.ifPresent(debugger -> {
            DebuggerViewModel now = session.get();
            if (debugging == target && (now == null || shown != debugger)) {
                show(debugger);
            }
        }), failure -> message.set("Could not attach the debugger to the restarted server: " + UiTasks.describe(failure)));
    }

    /** The debugger the panels show now (a restart replaces it). */
    private FunctionDebugger shown;

    private void show(FunctionDebugger debugger) {
        DebuggerViewModel old = session.get();
        if (old != null) {
            old.currentLine().removeListener(followLine);
            old.paused().removeListener(followPause);
            old.selectedPause().removeListener(followDecisions);
            old.dispose();
        }
        shown = debugger;
        if (debugger == null) {
            session.set(null);
            on.set(false);
            paused.set(false);
            currentLine.set(null);
            message.set("Debugging is off: Debug > Start Debugging");
            return;
        }
        DebuggerViewModel vm = new DebuggerViewModel(debugger, tasks.ui(), queries);
        vm.currentLine().addListener(followLine);
        vm.paused().addListener(followPause);
        vm.selectedPause().addListener(followDecisions);
        currentLine.set(vm.currentLine().get());
        paused.set(vm.paused().get());
        session.set(vm);
        on.set(true);
        message.set("Debugging: breakpoints stop the functions clients call");
    }

    // ------------------------------------------------------------------ rule decisions of the debugged call

    /**
     * A pause shows the database calls its call made so far; when it resumes and the call ends, the
     * call's log record (the runtime writes every call's decisions there) replaces them with all of them.
     */
    private void showDecisions(PauseSnapshot was, PauseSnapshot now) {
        AppDebugging target = debugging;
        if (target == null) {
            return;
        }
        if (now != null) {
            if (decisionsOf == null || decisionsOf.executionId() != now.executionId()) {
                decisionsSince = Instant.now();
            }
            decisionsOf = now;
            long id = now.executionId();
            decisionsTitle.set("Rule decisions so far: " + now.entryFunction() + " (paused)");
            tasks.run(() -> target.databaseCallsSoFar(id), calls -> {
                if (decisionsOf != null && decisionsOf.executionId() == id) {
                    decisions.setAll(calls.map(DecisionTree::of).orElse(List.of(new DecisionTree.Node("No database call yet",
                            DecisionTree.Tone.NEUTRAL, List.of(new DecisionTree.Node("(a client's function call; a trigger's or a replay's calls are not gathered)",
                                    DecisionTree.Tone.NEUTRAL, List.of()))))));
                }
            }, failure -> { });
            return;
        }
        if (was == null || decisionsOf == null || was.executionId() != decisionsOf.executionId()) {
            return;
        }
        PauseSnapshot call = decisionsOf;
        if (awaitingRecordOf == call.executionId()) {
            return; // a step resumed it again: the record is already awaited
        }
        awaitingRecordOf = call.executionId();
        target.recordOf(call.entryFunction(), call.userId(), decisionsSince, Duration.ofMinutes(10)).thenAccept(record -> tasks.onUi(() -> {
            if (decisionsOf != null && decisionsOf.executionId() == call.executionId()) {
                decisionsTitle.set("Rule decisions: " + call.entryFunction() + " (ended, " + record.status().name().toLowerCase(java.util.Locale.ROOT) + ")");
                decisions.setAll(record.decision() == null
                        ? List.of(new DecisionTree.Node("The call made no database call", DecisionTree.Tone.NEUTRAL, List.of()))
                        : DecisionTree.of(record.decision()));
            }
        }));
    }

    /** The debugged call's database calls and their rule decisions, as a tree. */
    public ObservableList<DecisionTree.Node> decisions() {
        return decisions;
    }

    public ReadOnlyStringProperty decisionsTitleProperty() {
        return decisionsTitle;
    }

    // ------------------------------------------------------------------ commands for the menu, toolbar and keys

    public void stepOver() { withSession(DebuggerViewModel::stepOver); }
    public void stepInto() { withSession(DebuggerViewModel::stepInto); }
    public void stepOut() { withSession(DebuggerViewModel::stepOut); }
    public void resume() { withSession(DebuggerViewModel::resume); }
    public void stopExecution() { withSession(DebuggerViewModel::stop); }

    /** A breakpoint at a line of a bundle source, or none if there was one; works with debugging off too. */
    public void toggleBreakpoint(String path, int line) {
        breakpoints.toggle(path, line);
    }

    private void withSession(Consumer<DebuggerViewModel> action) {
        DebuggerViewModel vm = session.get();
        if (vm != null) {
            action.accept(vm);
        }
    }

    // ------------------------------------------------------------------ replay

    /** Fills the replay form from a logged function call, trigger run or webhook call. */
    public void prepareReplay(LogRecord record) {
        try {
            prepared = ReplayRequest.fromLog(record);
            if (isTriggerRun(record) && prepared.arguments().size() == 1 && prepared.arguments().get(0).isDocument()) {
                // a trigger's function gets its event: the debugger shows it as a trigger run beside the stack
                prepared = ReplayRequest.ofTriggerEvent(record.functionName(), prepared.arguments().get(0).asDocument());
            }
            replayArguments.set(ExtendedJson.format(prepared.arguments()));
            replayResult.set("Edit the arguments if you like, then Run.");
        } catch (IllegalArgumentException e) {
            if (record.functionName() == null || record.functionName().isBlank()) {
                replayResult.set(e.getMessage());
                return;
            }
            prepared = new ReplayRequest(record.functionName(), record.userId(), new org.bson.BsonArray(), true, null);
            replayArguments.set("[]");
            replayResult.set(e.getMessage());
        }
        replayFunction.set(prepared.functionName());
        replayUser.set(prepared.userId());
        dryRun.set(true);
    }

    private static boolean isTriggerRun(LogRecord record) {
        return switch (record.type()) {
            case DB_TRIGGER, AUTH_TRIGGER, SCHEDULED_TRIGGER, TRIGGER_FAILURE -> true;
            default -> false;
        };
    }

    /**
     * Runs the replay form under the debugger (starting it when off): the function stops at the
     * breakpoints; its result and the writes it made (or, dry-run, would have made) are shown.
     */
    public CompletableFuture<ReplayResult> runReplay() {
        AppDebugging target = debugging;
        if (target == null || replayFunction.get().isBlank()) {
            replayResult.set("Choose a logged call to replay first (Logs > Replay in debugger).");
            return CompletableFuture.failedFuture(new IllegalStateException("nothing to replay"));
        }
        org.bson.BsonArray arguments;
        try {
            arguments = ExtendedJson.parseArray(replayArguments.get(), "the replay's arguments");
        } catch (IllegalArgumentException e) {
            replayResult.set(e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        ReplayRequest base = prepared != null && prepared.functionName().equals(replayFunction.get().trim()) ? prepared
                : new ReplayRequest(replayFunction.get().trim(), "", new org.bson.BsonArray(), true, null);
        ReplayRequest request = base.withArguments(arguments).withUserId(replayUser.get().trim()).withDryRun(dryRun.get());
        replayResult.set("Replaying " + request.functionName() + (request.dryRun() ? " (dry run) ..." : " ..."));
        CompletableFuture<FunctionDebugger> debugger = on.get() ? CompletableFuture.completedFuture(null) : start();
        return debugger.thenCompose(d -> target.replay(request)).whenComplete((result, failure) -> tasks.onUi(() ->
                replayResult.set(failure != null ? "Replay failed: " + UiTasks.describe(failure) : describe(result))));
    }

    /** The replay's answer and its writes, one per line. */
    static String describe(ReplayResult result) {
        StringBuilder text = new StringBuilder();
        var r = result.result();
        text.append(r.succeeded() ? "Result: " + ExtendedJson.oneLine(r.value()) : "Error: " + r.error().message());
        text.append('\n').append(result.dryRun() ? "Writes it would make (dry run, nothing written): " : "Writes made: ")
                .append(result.writes().size());
        for (RecordedWrite w : result.writes()) {
            text.append("\n  ").append(w.describe());
        }
        return text.toString();
    }

    // ------------------------------------------------------------------ state

    public Breakpoints breakpoints() { return breakpoints; }
    public ReadOnlyObjectProperty<DebuggerViewModel> sessionProperty() { return session; }
    public ReadOnlyBooleanProperty onProperty() { return on; }
    public ReadOnlyBooleanProperty pausedProperty() { return paused; }
    public ReadOnlyObjectProperty<DebuggerViewModel.Location> currentLineProperty() { return currentLine; }
    public ReadOnlyStringProperty messageProperty() { return message; }
    public StringProperty replayFunctionProperty() { return replayFunction; }
    public StringProperty replayUserProperty() { return replayUser; }
    public StringProperty replayArgumentsProperty() { return replayArguments; }
    public BooleanProperty dryRunProperty() { return dryRun; }
    public ReadOnlyStringProperty replayResultProperty() { return replayResult; }
}
