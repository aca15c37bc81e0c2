package dev.thimble.debugger;

import com.oracle.truffle.api.debug.Breakpoint;
import com.oracle.truffle.api.debug.DebugException;
import com.oracle.truffle.api.debug.DebugStackFrame;
import com.oracle.truffle.api.debug.Debugger;
import com.oracle.truffle.api.debug.DebuggerSession;
import com.oracle.truffle.api.debug.SourceElement;
import com.oracle.truffle.api.debug.SuspendedEvent;
import com.oracle.truffle.api.debug.SuspensionFilter;
import dev.thimble.runtime.functions.ExecutionHandle;
import dev.thimble.runtime.functions.ExecutionObserver;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.FunctionResult;
import org.graalvm.polyglot.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A debugging session on one app's {@link FunctionEngine}, turned on and off while the server
 * serves. {@link #attach} moves the app's functions onto a GraalJS Engine of the debugger's own and
 * starts a Truffle debugger session on it; {@link #close} moves them back. Requests in flight are
 * never dropped: each execution finishes on the Engine it started on.
 *
 * <p>A breakpoint, step or pause suspends the execution's thread (the request behind it waits, its
 * time limit stopped); listeners get a {@link PauseSnapshot}, and {@link #paused(long)} gives the
 * {@link PausedExecution} that takes the developer's commands. Thread-safe.
 */
public final class FunctionDebugger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionDebugger.class);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final FunctionEngine engine;
    private final Engine previousEngine;
    private final Engine debugEngine;
    private final DebuggerSession session;
    private final Breakpoints breakpoints;
    private final Duration commandTimeout;
    private final Runnable onBreakpointsChanged = this::syncBreakpoints;
    private final Map<Thread, ExecutionHandle> running = new ConcurrentHashMap<>();
    private final Map<Long, PausedExecution> paused = new ConcurrentHashMap<>();
    /** Why the next suspension of a thread happens when no breakpoint explains it. */
    private final Map<Thread, PauseReason> requested = new ConcurrentHashMap<>();
    /** Where a step over started: an async function resumed after an await lands on that line once more. */
    private final Map<Thread, String> steppedOverFrom = new ConcurrentHashMap<>();
    /** Re-entries of an await line when its async function resumes: not new arrivals. */
    private final AwaitResumptions awaitResumptions = new AwaitResumptions();
    private final List<DebugListener> listeners = new CopyOnWriteArrayList<>();
    private final List<String> watches = new CopyOnWriteArrayList<>();
    private final Map<String, Breakpoint> lineBreakpoints = new HashMap<>();
    private final Map<String, Breakpoint> entryBreakpoints = new HashMap<>();
    private final List<Breakpoint> entryBreakpointList = new CopyOnWriteArrayList<>();
    private Breakpoint exceptionBreakpoint;
    private String exceptionMode = "";
    private volatile boolean closed;

    private FunctionDebugger(FunctionEngine engine, Breakpoints breakpoints, Duration commandTimeout) {
        this.engine = engine;
        this.breakpoints = breakpoints;
        this.commandTimeout = commandTimeout;
        this.previousEngine = engine.graalEngine();
        this.debugEngine = FunctionEngine.newDebugGraalEngine();
        this.session = Debugger.find(debugEngine).startSession(this::onSuspend, SourceElement.STATEMENT);
        session.setSteppingFilter(SuspensionFilter.newBuilder().includeInternal(false).ignoreLanguageContextInitialization(true).build());
        syncBreakpoints();
        breakpoints.addListener(onBreakpointsChanged);
        engine.observe(new Observer());
        engine.switchGraalEngine(debugEngine, true);
    }

    /** Starts debugging {@code engine}'s functions with the user's {@code breakpoints}. */
    public static FunctionDebugger attach(FunctionEngine engine, Breakpoints breakpoints) {
        return new FunctionDebugger(engine, breakpoints, DEFAULT_COMMAND_TIMEOUT);
    }

    /** As {@link #attach(FunctionEngine, Breakpoints)}, with the time a query waits for a paused function to answer. */
    public static FunctionDebugger attach(FunctionEngine engine, Breakpoints breakpoints, Duration commandTimeout) {
        return new FunctionDebugger(engine, breakpoints, commandTimeout);
    }

    public Breakpoints breakpoints() {
        return breakpoints;
    }

    public FunctionEngine engine() {
        return engine;
    }

    public void addListener(DebugListener listener) {
        listeners.add(listener);
    }

    public void removeListener(DebugListener listener) {
        listeners.remove(listener);
    }

    /** Watch expressions, evaluated in the innermost frame at every pause. */
    public void addWatch(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a watch needs an expression");
        }
        watches.add(expression);
    }

    public void removeWatch(String expression) {
        watches.remove(expression);
    }

    public List<String> watches() {
        return List.copyOf(watches);
    }

    /** The paused execution with this id, if it is paused now. */
    public Optional<PausedExecution> paused(long executionId) {
        return Optional.ofNullable(paused.get(executionId));
    }

    /** Every paused execution now. */
    public List<PausedExecution> pausedExecutions() {
        return List.copyOf(paused.values());
    }

    /** Ids of the executions running (or paused) under the debugger now. */
    public List<Long> runningExecutions() {
        return running.values().stream().map(ExecutionHandle::id).sorted().toList();
    }

    /** Suspends a running execution at its next statement. */
    public void pause(long executionId) {
        ExecutionHandle execution = find(executionId);
        requested.put(execution.thread(), PauseReason.PAUSE);
        session.suspend(execution.thread());
    }

    /** Stops an execution, paused or running; its caller gets "stopped in the debugger". */
    public void stop(long executionId) {
        PausedExecution p = paused.get(executionId);
        if (p != null) {
            p.stop();
            return;
        }
        find(executionId).stopByDebugger(true);
    }

    /** How often the line breakpoint has been hit in this session (conditions met, ignore count included). */
    public int hitCount(String path, int line) {
        synchronized (lineBreakpoints) {
            Breakpoint b = lineBreakpoints.get(path + ":" + line);
            return b == null ? 0 : b.getHitCount();
        }
    }

    /** Moves the functions back to their own Engine and lets every paused execution run on. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        breakpoints.removeListener(onBreakpointsChanged);
        engine.switchGraalEngine(previousEngine, false);
        engine.observe(null);
        paused.values().forEach(PausedExecution::release);
        session.close();
        Thread.ofVirtual().name("thimble-debugger-close").start(this::closeEngineWhenIdle);
        listeners.forEach(l -> quietly(l::sessionEnded));
    }

    private void closeEngineWhenIdle() {
        long until = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!running.isEmpty() && System.nanoTime() < until) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
        try {
            debugEngine.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the debug engine failed", e);
        }
    }

    private ExecutionHandle find(long executionId) {
        return running.values().stream().filter(e -> e.id() == executionId).findFirst()
                .orElseThrow(() -> new DebuggerException("no execution " + executionId + " is running under the debugger"));
    }

    // ------------------------------------------------------------------ breakpoints

    private void syncBreakpoints() {
        synchronized (lineBreakpoints) {
            Map<String, Breakpoints.Line> wanted = new HashMap<>();
            breakpoints.lines().forEach(l -> wanted.put(l.key(), l));
            lineBreakpoints.entrySet().removeIf(e -> {
                if (!wanted.containsKey(e.getKey())) {
                    e.getValue().dispose();
                    return true;
                }
                return false;
            });
            for (Breakpoints.Line line : wanted.values()) {
                Breakpoint b = lineBreakpoints.get(line.key());
                if (b == null) {
                    URI uri = engine.sourceUri(line.path());
                    b = Breakpoint.newBuilder(uri).lineIs(line.line()).build();
                    session.install(b);
                    lineBreakpoints.put(line.key(), b);
                }
                if (!java.util.Objects.equals(b.getCondition(), line.condition())) {
                    b.setCondition(line.condition());
                }
                b.setIgnoreCount(line.ignoreCount());
                b.setEnabled(line.enabled());
            }
            syncEntries();
            syncExceptions();
        }
    }

    private void syncEntries() {
        var wanted = breakpoints.entryFunctions();
        entryBreakpoints.entrySet().removeIf(e -> {
            if (!wanted.contains(e.getKey())) {
                e.getValue().dispose();
                entryBreakpointList.remove(e.getValue());
                return true;
            }
            return false;
        });
        for (String function : wanted) {
            if (!entryBreakpoints.containsKey(function)) {
                Breakpoint b = Breakpoint.newBuilder(engine.sourceUri(Breakpoints.Line.pathOf(function)))
                        .sourceElements(SourceElement.ROOT).build();
                session.install(b);
                entryBreakpoints.put(function, b);
                entryBreakpointList.add(b);
            }
        }
    }

    private void syncExceptions() {
        boolean caught = breakpoints.breaksOnCaughtExceptions();
        boolean uncaught = breakpoints.breaksOnUncaughtExceptions();
        String mode = caught + "/" + uncaught;
        if (mode.equals(exceptionMode)) {
            return;
        }
        if (exceptionBreakpoint != null) {
            exceptionBreakpoint.dispose();
            exceptionBreakpoint = null;
        }
        if (caught || uncaught) {
            exceptionBreakpoint = Breakpoint.newExceptionBuilder(caught, uncaught).build();
            session.install(exceptionBreakpoint);
        }
        exceptionMode = mode;
    }

    // ------------------------------------------------------------------ suspension, on the execution's thread

    private void onSuspend(SuspendedEvent event) {
        try {
            suspended(event);
        } catch (RuntimeException | Error e) {
            // Truffle would swallow it and run on; say why the function did not stop
            LOG.error("the debugger failed at a suspension; the function runs on", e);
            throw e;
        }
    }

    private void suspended(SuspendedEvent event) {
        Thread thread = Thread.currentThread();
        ExecutionHandle execution = running.get(thread);
        PauseReason pending = requested.remove(thread);
        if (execution == null || closed) {
            event.prepareContinue();
            return;
        }
        DebugStackFrame top = event.getTopStackFrame();
        boolean byBreakpoint = !event.getBreakpoints().isEmpty();
        if (byBreakpoint && (top == null || !Frames.isUser(top))) {
            // a line breakpoint in module code, hit while the engine binds the functions up front
            event.prepareContinue();
            return;
        }
        if (!byBreakpoint && (top == null || !Frames.isUser(top))) {
            // a step or pause that ended in the engine's wrapper (module set-up): go on to the user's code
            requested.put(thread, pending == null ? PauseReason.STEP : pending);
            event.prepareStepInto(1);
            return;
        }
        String stepOrigin = steppedOverFrom.remove(thread);
        if (pending == PauseReason.STEP && stepOrigin != null && stepOrigin.equals(where(top))) {
            requested.put(thread, PauseReason.STEP);
            event.prepareStepOver(1);
            return;
        }
        PauseReason reason = reason(event, pending);
        if (reason == PauseReason.ENTRY && !isEntry(event)) {
            event.prepareContinue();
            return;
        }
        if (reason == null) {
            event.prepareContinue();
            return;
        }
        if (reason == PauseReason.BREAKPOINT && pending == null) {
            if (awaitResumptions.isResumption(top)) {
                event.prepareContinue();
                return;
            }
            awaitResumptions.stopped(top);
        }
        String exception = null;
        if (event.getException() != null) {
            exception = describe(event.getException());
        }
        for (Breakpoint b : event.getBreakpoints()) {
            Throwable failed = event.getBreakpointConditionException(b);
            if (failed != null) {
                // Truffle stops when a condition cannot be evaluated: say why, or the stop looks unexplained
                exception = "the breakpoint condition '" + b.getCondition() + "' failed: " + failed.getMessage();
            }
        }
        PausedExecution p = new PausedExecution(execution, commandTimeout);
        execution.pauseClock();
        PausedExecution.Resume command;
        try {
            p.capture(event, reason, watches(), exception);
            paused.put(execution.id(), p);
            PauseSnapshot snapshot = p.snapshot();
            listeners.forEach(l -> quietly(() -> l.paused(snapshot)));
            command = closed ? PausedExecution.Resume.CONTINUE : p.serve();
        } finally {
            paused.remove(execution.id());
            execution.resumeClock();
        }
        switch (command) {
            case CONTINUE -> event.prepareContinue();
            case STEP_OVER -> {
                steppedOverFrom.put(thread, where(top));
                step(thread, () -> event.prepareStepOver(1));
            }
            case STEP_INTO -> step(thread, () -> event.prepareStepInto(1));
            case STEP_OUT -> step(thread, () -> event.prepareStepOut(1));
            case KILL -> {
                execution.stopByDebugger(false);
                event.prepareKill();
            }
        }
        long id = execution.id();
        listeners.forEach(l -> quietly(() -> l.resumed(id)));
    }

    private static String where(DebugStackFrame frame) {
        var section = frame.getSourceSection();
        return section.getSource().getName() + ":" + section.getStartLine();
    }

    private void step(Thread thread, Runnable prepare) {
        requested.put(thread, PauseReason.STEP);
        prepare.run();
    }

    private PauseReason reason(SuspendedEvent event, PauseReason pending) {
        List<Breakpoint> hit = event.getBreakpoints();
        if (!hit.isEmpty()) {
            if (exceptionBreakpoint != null && hit.contains(exceptionBreakpoint)) {
                return PauseReason.EXCEPTION;
            }
            boolean onlyEntries = hit.stream().allMatch(entryBreakpointList::contains);
            return onlyEntries ? PauseReason.ENTRY : PauseReason.BREAKPOINT;
        }
        return pending;
    }

    /** An entry breakpoint fires at every function root of the source; stop only where the app function is entered. */
    private static boolean isEntry(SuspendedEvent event) {
        List<DebugStackFrame> user = new ArrayList<>();
        for (DebugStackFrame frame : event.getStackFrames()) {
            if (Frames.isUser(frame)) {
                user.add(frame);
            }
        }
        if (user.isEmpty()) {
            return false;
        }
        String path = user.getFirst().getSourceSection().getSource().getName();
        return user.stream().skip(1).noneMatch(f -> f.getSourceSection().getSource().getName().equals(path));
    }

    private static String describe(DebugException exception) {
        try {
            if (exception.getExceptionObject() != null) {
                return exception.getExceptionObject().toDisplayString();
            }
        } catch (DebugException ignored) {
            // fall back to the message
        }
        return exception.getMessage();
    }

    private static void quietly(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("a debugger listener failed", e);
        }
    }

    /** Tracks which thread runs which execution; the suspended callback needs it. */
    private final class Observer implements ExecutionObserver {
        @Override
        public void started(ExecutionHandle execution) {
            running.put(execution.thread(), execution);
        }

        @Override
        public void finished(ExecutionHandle execution, FunctionResult result) {
            running.remove(execution.thread());
            requested.remove(execution.thread());
            steppedOverFrom.remove(execution.thread());
        }
    }
}
