package dev.thimble.debugger;

import com.oracle.truffle.api.debug.DebugException;
import com.oracle.truffle.api.debug.DebugScope;
import com.oracle.truffle.api.debug.DebugStackFrame;
import com.oracle.truffle.api.debug.DebugValue;
import com.oracle.truffle.api.debug.SuspendedEvent;
import dev.thimble.runtime.functions.ExecutionHandle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One execution stopped in the debugger, and the commands it takes. Its state may only be read on
 * the execution's own thread, which waits here; so every method queues a command to that thread.
 * Queries ({@link #scopes}, {@link #children}, {@link #evaluate}) wait for the answer up to the
 * debugger's command timeout; resuming commands ({@link #resume}, the steps, {@link #stop}) return at
 * once. After the execution resumes, every method throws {@link DebuggerException}.
 */
public final class PausedExecution {
    private static final int MAX_CHILDREN = 500;
    private static final int MAX_DISPLAY = 300;

    enum Resume { CONTINUE, STEP_OVER, STEP_INTO, STEP_OUT, KILL }

    private final ExecutionHandle execution;
    private final Duration timeout;
    private final BlockingQueue<Object> commands = new LinkedBlockingQueue<>();
    private volatile boolean done;
    private volatile PauseSnapshot snapshot;
    // touched only on the execution's thread
    private final List<DebugStackFrame> frames = new ArrayList<>();
    private final Map<Long, DebugValue> handles = new HashMap<>();
    private long nextHandle = 1;
    private final BsonDisplay bsonDisplay = new BsonDisplay();

    PausedExecution(ExecutionHandle execution, Duration timeout) {
        this.execution = execution;
        this.timeout = timeout;
    }

    public long executionId() {
        return execution.id();
    }

    /** Who the execution runs as: the very user object the runtime keys the request's database-call trail by. */
    public dev.thimble.runtime.functions.Caller caller() {
        return execution.caller();
    }

    /** The state at the pause. */
    public PauseSnapshot snapshot() {
        return snapshot;
    }

    public boolean isPaused() {
        return !done;
    }

    public void resume() {
        send(Resume.CONTINUE);
    }

    public void stepOver() {
        send(Resume.STEP_OVER);
    }

    public void stepInto() {
        send(Resume.STEP_INTO);
    }

    public void stepOut() {
        send(Resume.STEP_OUT);
    }

    /** Ends the execution; its caller gets the error "Function ... was stopped in the debugger". */
    public void stop() {
        send(Resume.KILL);
    }

    /** The scopes of frame {@code frameIndex} (0 is the innermost). */
    public List<ScopeSnapshot> scopes(int frameIndex) {
        return ask(() -> scopesOf(frame(frameIndex)));
    }

    /** The properties or elements of an expandable value from this pause. */
    public List<VariableSnapshot> children(long ref) {
        return ask(() -> {
            DebugValue value = handles.get(ref);
            if (value == null) {
                throw new DebuggerException("no expandable value " + ref + " at this pause");
            }
            return childrenOf(value);
        });
    }

    /** Evaluates {@code expression} in frame {@code frameIndex}, as a watch or the console does. */
    public EvaluationResult evaluate(String expression, int frameIndex) {
        return ask(() -> evaluateIn(frame(frameIndex), expression));
    }

    // ------------------------------------------------------------------ sending

    private void send(Resume command) {
        if (done) {
            throw new DebuggerException("execution " + executionId() + " is not paused any more");
        }
        commands.add(command);
    }

    private <T> T ask(Supplier<T> query) {
        if (done) {
            throw new DebuggerException("execution " + executionId() + " is not paused any more");
        }
        if (Thread.currentThread() == execution.thread()) {
            // a listener asking from inside paused(): the answer could only come after it returns
            throw new DebuggerException("ask a paused function from another thread than its own (hand the snapshot on first)");
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        commands.add((Runnable) () -> {
            try {
                answer.complete(query.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DebuggerException("the paused function did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DebuggerException("interrupted while waiting for the paused function");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new DebuggerException(String.valueOf(e.getCause()));
        }
    }

    // ------------------------------------------------------------------ on the execution's thread

    /** Takes the snapshot; called on the execution's thread right after it stopped. */
    void capture(SuspendedEvent event, PauseReason reason, List<String> watches, String exception) {
        String last = null;
        for (DebugStackFrame frame : event.getStackFrames()) {
            if (Frames.isUser(frame)) {
                FrameSnapshot s = Frames.snapshot(0, frame);
                // an async function shows as two frames on one line (its body and its start), and a
                // frame can be listed twice right after a return: show each once
                String key = s.path() + ":" + s.line() + ":" + s.frameName();
                boolean asyncStart = last != null && last.startsWith(s.path() + ":") && last.endsWith(":" + s.frameName())
                        && Frames.isAtFunctionStart(frame);
                if (!key.equals(last) && !asyncStart) {
                    frames.add(frame);
                }
                last = asyncStart ? last : key;
            }
        }
        List<FrameSnapshot> stack = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            stack.add(Frames.snapshot(i, frames.get(i)));
        }
        List<ScopeSnapshot> scopes = frames.isEmpty() ? List.of() : scopesOf(frames.getFirst());
        List<EvaluationResult> values = new ArrayList<>();
        for (String watch : watches) {
            values.add(frames.isEmpty() ? new EvaluationResult(watch, null, "no frame") : evaluateIn(frames.getFirst(), watch));
        }
        snapshot = new PauseSnapshot(execution.id(), execution.functionName(), execution.caller().userId(), execution.origin(),
                reason, stack, scopes, values, exception);
    }

    /** Runs queries until a resuming command comes, and returns it; on the execution's thread. */
    Resume serve() {
        try {
            while (true) {
                Object command;
                try {
                    command = commands.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Resume.CONTINUE;
                }
                if (command instanceof Resume resume) {
                    return resume;
                }
                ((Runnable) command).run();
            }
        } finally {
            done = true;
            handles.clear();
            // answer queries that raced with the resume
            for (Object left; (left = commands.poll()) != null; ) {
                if (left instanceof Runnable r) {
                    try {
                        r.run();
                    } catch (RuntimeException ignored) {
                        // the query's future already holds the failure
                    }
                }
            }
        }
    }

    /** Wakes the execution from outside, e.g. when the debugger closes. */
    void release() {
        commands.add(Resume.CONTINUE);
    }

    private DebugStackFrame frame(int index) {
        if (index < 0 || index >= frames.size()) {
            throw new DebuggerException("no frame " + index + " (the stack has " + frames.size() + ")");
        }
        return frames.get(index);
    }

    private List<ScopeSnapshot> scopesOf(DebugStackFrame frame) {
        List<ScopeSnapshot> scopes = new ArrayList<>();
        List<VariableSnapshot> module = new ArrayList<>();
        try {
            DebugScope scope = frame.getScope();
            while (scope != null) {
                DebugScope parent = scope.getParent();
                if ("global".equals(scope.getName())) {
                    break; // every built-in: not what anyone is looking for
                }
                List<VariableSnapshot> variables = new ArrayList<>();
                for (DebugValue value : scope.getDeclaredValues()) {
                    if (!value.isInternal()) {
                        variables.add(variable(value.getName(), value));
                    }
                }
                if (Frames.isWrapperScope(scope)) {
                    // the engine's wrapper: context, module and exports, shown as one scope
                    variables.stream().filter(v -> !v.name().equals("module")).forEach(module::add);
                } else if (!variables.isEmpty()) {
                    scopes.add(new ScopeSnapshot(scopeName(scope), variables));
                }
                scope = parent;
            }
            boolean hasContext = module.stream().anyMatch(v -> v.name().equals("context"))
                    || scopes.stream().flatMap(sc -> sc.variables().stream()).anyMatch(v -> v.name().equals("context"));
            if (!hasContext) {
                // a function that never names context does not capture the wrapper's; the name still
                // resolves (to the request's global context), and it is what people look for first
                contextOf(frame).ifPresent(module::add);
            }
            if (!module.isEmpty()) {
                scopes.add(new ScopeSnapshot("module", module));
            }
        } catch (DebugException e) {
            scopes.add(new ScopeSnapshot("(scopes unavailable: " + e.getMessage() + ")", List.of()));
        }
        return scopes;
    }

    private java.util.Optional<VariableSnapshot> contextOf(DebugStackFrame frame) {
        try {
            DebugValue value = frame.eval("context");
            return value == null || value.isNull() ? java.util.Optional.empty() : java.util.Optional.of(variable("context", value));
        } catch (DebugException e) {
            return java.util.Optional.empty();
        }
    }

    private static String scopeName(DebugScope scope) {
        String name = scope.getName();
        if (scope.isFunctionScope() && (name == null || name.isBlank() || name.equals("exports"))) {
            return "local";
        }
        return name == null || name.isBlank() ? "block" : name;
    }

    private List<VariableSnapshot> childrenOf(DebugValue value) {
        List<VariableSnapshot> children = new ArrayList<>();
        try {
            if (value.isArray()) {
                List<DebugValue> elements = value.getArray();
                for (int i = 0; i < elements.size() && i < MAX_CHILDREN; i++) {
                    children.add(variable("[" + i + "]", elements.get(i)));
                }
                return children;
            }
            var properties = value.getProperties();
            if (properties != null) {
                for (DebugValue property : properties) {
                    if (children.size() >= MAX_CHILDREN) {
                        break;
                    }
                    if (!property.isInternal()) {
                        children.add(variable(property.getName(), property));
                    }
                }
            }
        } catch (DebugException e) {
            children.add(new VariableSnapshot("(error)", "", e.getMessage(), 0));
        }
        return children;
    }

    private EvaluationResult evaluateIn(DebugStackFrame frame, String expression) {
        try {
            DebugValue value = frame.eval(expression);
            return new EvaluationResult(expression, variable(expression, value), null);
        } catch (DebugException e) {
            String message = e.getMessage();
            if (e.getExceptionObject() != null) {
                try {
                    message = e.getExceptionObject().toDisplayString();
                } catch (DebugException ignored) {
                    // keep the exception's own message
                }
            }
            return new EvaluationResult(expression, null, message);
        }
    }

    private VariableSnapshot variable(String name, DebugValue value) {
        String type = "";
        String display;
        boolean expandable = false;
        try {
            DebugValue meta = value.getMetaObject();
            type = meta == null ? "" : meta.getMetaSimpleName();
            display = value.toDisplayString();
            if (value.isString()) {
                display = quote(value.asString());
            }
            String bson = frames.isEmpty() ? null : bsonDisplay.display(frames.getFirst(), value, type);
            expandable = !value.isNull() && !value.isString() && (value.isArray() || hasProperties(value));
            if (bson != null) {
                display = bson;
                // an ObjectId, a Date, a Long, ... is a value: nothing inside it to open
                expandable = expandable && !BsonDisplay.isScalar(type, value);
            }
        } catch (DebugException e) {
            display = "(" + e.getMessage() + ")";
        }
        if (display.length() > MAX_DISPLAY) {
            display = display.substring(0, MAX_DISPLAY) + "…";
        }
        long ref = 0;
        if (expandable) {
            ref = nextHandle++;
            handles.put(ref, value);
        }
        return new VariableSnapshot(name == null ? "" : name, type == null ? "" : type, display, ref);
    }

    private static boolean hasProperties(DebugValue value) {
        var properties = value.getProperties();
        return properties != null && !properties.isEmpty();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
