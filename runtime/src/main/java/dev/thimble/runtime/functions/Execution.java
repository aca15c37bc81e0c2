package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.thimble.runtime.app.ValueDef;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One execution: a realm (a Context, fresh or reused: decision record 0030), the functions it calls
 * (entry and nested) and the host calls they make. Everything here runs on the execution's own thread except {@link #stop}, which the
 * watchdog calls, and the service calls, which run on I/O threads and post their results back to
 * {@link #queue}; the owner thread drains the queue while it waits for a Promise, so promises are
 * only ever resolved on the thread that owns the Context.
 */
final class Execution {
    /** Why the watchdog or the debugger stopped an execution; EXECUTION_MEMORY: it passed one execution's memory bound. */
    enum StopReason { TIME, MEMORY, EXECUTION_MEMORY, DEBUGGER }

    private static final Logger LOG = LoggerFactory.getLogger(Execution.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Pattern LOCATION = Pattern.compile("((?:functions|services)/.+?\\.js):(\\d+)(?::(\\d+))?");
    private static final int MAX_PENDING_OPERATIONS = 1000;

    private final FunctionEngine.Seams seams;
    private final FunctionSet set;
    private final Realm realm;
    private final Context context;
    private final String functionName;
    private final RequestInfo request;
    private final Duration timeLimit;
    private final long statementLimit;
    private final long baseDeadlineNanos;
    /** Time spent paused in a debugger, which the time limit does not count (guarded by this). */
    private long pausedNanos;
    private long pausedSince;
    private int pauses;
    private final Thread thread = Thread.currentThread();
    private final long allocatedAtStart;
    private final LogBuffer logs;
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Map<String, Value> contexts = new HashMap<>();
    private final Map<String, Value> bound = new HashMap<>();
    private final ExecutionTimers timers = new ExecutionTimers(queue);
    private final NodeCrypto nodeCrypto = new NodeCrypto();
    /** Modules resolved in this execution, by id, for {@code loadModule}. */
    private final Map<String, ModuleResolver.Resolved> resolvedModules = new HashMap<>();
    private int pendingOperations;
    private volatile StopReason stopReason;
    private boolean finished;
    private Value api;
    private HandlerResponse handlerResponse = HandlerResponse.UNTOUCHED;
    /**
     * What the realm's host bridge answers while this execution is attached to it; made on the first host call (a call
     * like {@code sum} makes none, and ~60 members are not worth making per call: decision 0047). Owner thread only.
     */
    private Map<String, Object> bridge;
    /** Whether the realm may serve another call after this one (decision record 0030). */
    private boolean realmReusable;
    /** Set when the realm ended the call itself (a primitive result, decision 0052): whether it put the globals back. */
    private Boolean globalsReset;
    /** The identity and function {@link #enterEntry} started, whose context and exports the realm made (or null). */
    private String entryCallerKey;
    private String entryBindKey;
    /** Database calls run on this execution's own thread and settle their promise at once (decision record 0042). */
    private final boolean databaseInPlace;

    Execution(FunctionEngine.Seams seams, FunctionSet set, Realm realm, String functionName, RequestInfo request,
              Duration timeLimit, long statementLimit, int logCap) {
        this(seams, set, realm, functionName, request, timeLimit, statementLimit, logCap, false);
    }

    /** @param databaseInPlace run the function's database calls on this thread (decision record 0042), not on an I/O thread */
    Execution(FunctionEngine.Seams seams, FunctionSet set, Realm realm, String functionName, RequestInfo request,
              Duration timeLimit, long statementLimit, int logCap, boolean databaseInPlace) {
        this.databaseInPlace = databaseInPlace;
        this.seams = seams;
        this.set = set;
        this.realm = realm;
        this.context = realm.context;
        this.functionName = functionName;
        this.request = request;
        this.timeLimit = timeLimit;
        this.statementLimit = statementLimit;
        this.baseDeadlineNanos = seams.ticker().nanos() + timeLimit.toNanos();
        this.allocatedAtStart = allocatedByThread();
        this.logs = new LogBuffer(logCap);
    }

    /** The members of the bootstrap's {@code host} for this execution. */
    Map<String, Object> bridgeMembers() {
        if (bridge == null) {
            bridge = hostBridge();
        }
        return bridge;
    }

    /** After {@link #run}: whether the realm was left clean, so that it may serve another call. */
    boolean realmReusable() {
        return realmReusable;
    }

    // ------------------------------------------------------------------ watchdog side

    /** The deadline, moved on by the time spent paused; an hour ahead while paused in a debugger. */
    synchronized long deadlineNanos() {
        if (pauses > 0) {
            return seams.ticker().nanos() + TimeUnit.HOURS.toNanos(1);
        }
        return baseDeadlineNanos + pausedNanos;
    }

    /** A debugger suspended the function: stop counting its time limit. */
    synchronized void pauseClock() {
        if (pauses++ == 0) {
            pausedSince = seams.ticker().nanos();
        }
    }

    synchronized void resumeClock() {
        if (pauses > 0 && --pauses == 0) {
            pausedNanos += seams.ticker().nanos() - pausedSince;
        }
    }

    /** The debugger stopped the function while it is suspended: the guest unwinds by itself, the caller is told why. */
    synchronized void markStopped(StopReason reason) {
        if (!finished && stopReason == null) {
            stopReason = reason;
        }
    }

    String functionName() {
        return functionName;
    }

    synchronized boolean isRunning() {
        return !finished && stopReason == null;
    }

    long allocatedBytes() {
        return allocatedByThread() - allocatedAtStart;
    }

    private long allocatedByThread() {
        long bytes = THREADS.getThreadAllocatedBytes(thread.threadId());
        return Math.max(bytes, 0);
    }

    /** Called from the watchdog: cancels the Context; the owner thread then reports {@code reason}. */
    void stop(StopReason reason) {
        synchronized (this) {
            if (finished || stopReason != null) {
                return;
            }
            stopReason = reason;
        }
        queue.add(() -> { });
        Thread.ofVirtual().name("thimble-functions-cancel").start(() -> {
            try {
                context.close(true);
            } catch (RuntimeException e) {
                LOG.debug("closing a stopped context failed", e);
            }
        });
    }

    // ------------------------------------------------------------------ the run

    /** Runs {@code fn}; never throws for anything the function does. */
    FunctionResult run(CompiledFunction fn, BsonArray arguments, Caller requested, BsonArray loggedArguments) {
        return run(fn, arguments, requested, loggedArguments, false);
    }

    /** What a handler run ({@code exports(payload, response)}) set on its response; untouched for plain runs. */
    HandlerResponse handlerResponse() {
        return handlerResponse;
    }

    /**
     * Runs {@code fn}; never throws for anything the function does. With {@code handler}, the one argument
     * is a webhook payload and the function gets a {@code response} object as its second argument.
     */
    FunctionResult run(CompiledFunction fn, BsonArray arguments, Caller requested, BsonArray loggedArguments, boolean handler) {
        long start = seams.ticker().nanos();
        Caller caller = requested;
        BsonValue value = null;
        FunctionError error;
        boolean internalFault = false;
        try {
            api = realm.api;
            String[] type = new String[1];
            Value settled;
            if (set.oneCrossing && !handler && !set.evaluateUpFront && fn.problem() == null && fn.runAsScript() == null) {
                // can_evaluate asks about who CALLS (%%user = the caller), never the identity the function runs as
                checkCanEvaluate(fn, arguments, requested);
                caller = callerFor(fn, requested, null);
                settled = enterEntry(fn, caller, arguments, type);
            } else {
                Object[] plain = Wire.plain(arguments);
                Value jsArguments = plain != null ? realm.attachPlain(this, statementLimit, plain)
                        : realm.attach(this, statementLimit, Wire.toWire(arguments));
                Value response = handler ? api.invokeMember("prepareHandler", jsArguments) : null;
                checkCanEvaluate(fn, arguments, requested);
                caller = callerFor(fn, requested, jsArguments);
                if (set.evaluateUpFront) {
                    bindAll(caller);
                }
                Value exports = bind(fn, caller);
                settled = runEntry(contextFor(caller), exports, jsArguments, type);
                if (response != null) {
                    handlerResponse = readResponse(response);
                }
            }
            BsonValue primitive = type[0] == null ? null : Wire.primitive(settled, type[0]);
            value = primitive != null ? primitive : toBson(settled);
            error = null;
        } catch (Refusal refusal) {
            error = refusal.error;
        } catch (Rejected rejected) {
            error = thrown(rejected.reason, null);
        } catch (Stopped stopped) {
            error = stoppedError();
        } catch (PolyglotException e) {
            internalFault = !e.isGuestException() || e.isCancelled() || e.isInterrupted() || e.isResourceExhausted() || e.isExit();
            error = polyglotError(e);
        } catch (RuntimeException e) {
            internalFault = true;
            error = stopReason != null ? stoppedError() : internal(e);
        } finally {
            timers.cancelAll();
            synchronized (this) {
                finished = true;
            }
            // in-flight service calls would settle promises of this call in the next one: such a realm is dropped
            boolean clean = !internalFault && stopReason == null && pendingOperations == 0;
            realmReusable = globalsReset != null ? realm.release(globalsReset && clean) : realm.detach(clean);
        }
        if (error != null && stopReason != null && error.kind() != FunctionError.Kind.TIME_LIMIT
                && error.kind() != FunctionError.Kind.MEMORY_LIMIT && error.kind() != FunctionError.Kind.STOPPED) {
            error = stoppedError();
        }
        return new FunctionResult(fn.name(), error == null ? value : null, error, logs.lines(), logs.truncated(),
                Duration.ofNanos(seams.ticker().nanos() - start), caller, loggedArguments);
    }

    /**
     * A debugger's step-into only lands in user code when the callee is loaded and bound before the
     * call: binding runs the wrapper's module code, re-entering JS from a host call, which the Truffle
     * debugger takes for the end of the step (STACK.md). Functions with a run-as script bind at call time.
     */
    private void bindAll(Caller entryCaller) {
        for (CompiledFunction fn : set.functions.values()) {
            if (fn.problem() != null || fn.runAsScript() != null) {
                continue;
            }
            try {
                bind(fn, callerFor(fn, entryCaller, null));
            } catch (Refusal | PolyglotException | UserError e) {
                // the call itself reports it, if the function is ever called
            }
        }
    }

    private BsonValue toBson(Value settled) {
        Value wire;
        try {
            wire = api.invokeMember("toWireValue", settled);
        } catch (PolyglotException e) {
            if (e.isGuestException() && !e.isCancelled() && !e.isResourceExhausted()) {
                FunctionError cause = thrown(e.getGuestObject(), e);
                throw new Refusal(new FunctionError(FunctionError.Kind.THROWN, cause.name(),
                        "function '" + functionName + "' returned a value that cannot be converted to BSON: " + cause.message(), List.of()));
            }
            throw e;
        }
        return Wire.fromWire(wire.asString());
    }

    /**
     * Calls the entry function as {@code context} in one call into the realm, which hands its outcome to the
     * callbacks: at once for a plain value, when settled for a Promise (or thenable). Until then, runs the
     * host-call completions posted to {@link #queue}.
     */
    private Value runEntry(Value context, Value exports, Value jsArguments, String[] type) {
        return awaitEntry(type, (onFulfilled, onRejected) -> api.invokeMember("run", context, exports, jsArguments, onFulfilled, onRejected));
    }

    /**
     * The entry call in one crossing into the realm (decision record 0052): the realm's {@code enter} begins the call,
     * makes the caller's {@code context}, runs the function's module wrapper with it and calls the exported function.
     * For a nested call of the same function and identity during the call, {@link #bind} and {@link #contextFor} ask
     * the realm for what {@code enter} made, so they share it as they did when the host made them one by one.
     */
    private Value enterEntry(CompiledFunction fn, Caller caller, BsonArray arguments, String[] type) {
        entryCallerKey = caller.key();
        entryBindKey = bindKey(fn, caller);
        Value factory = realm.factory(fn.source());
        ContextBridge bridge = new ContextBridge(caller);
        Object[] plain = Wire.plain(arguments);
        realm.prepare(this, statementLimit);
        return awaitEntry(type, (onFulfilled, onRejected) -> {
            Value exported;
            if (plain == null) {
                exported = api.invokeMember("enter", bridge, factory, onFulfilled, onRejected, Wire.toWire(arguments));
            } else {
                Object[] call = new Object[plain.length + 4];
                call[0] = bridge;
                call[1] = factory;
                call[2] = onFulfilled;
                call[3] = onRejected;
                System.arraycopy(plain, 0, call, 4, plain.length);
                exported = api.invokeMember("enterPlain", call);
            }
            if (!exported.canExecute()) {
                throw notAFunction(fn, exported);
            }
            bound.putIfAbsent(entryBindKey, exported);
        });
    }

    /** Starts the entry call in the realm with the two callbacks its outcome goes to. */
    private interface EntryStart {
        void start(ProxyExecutable onFulfilled, ProxyExecutable onRejected);
    }

    private Value awaitEntry(String[] type, EntryStart starter) {
        Value[] outcome = new Value[1];
        boolean[] state = new boolean[2]; // settled, fulfilled
        ProxyExecutable onFulfilled = a -> {
            outcome[0] = a.length > 0 ? a[0] : null;
            type[0] = a.length > 1 && a[1].isString() ? a[1].asString() : null;
            if (a.length > 2 && a[2].isBoolean()) {
                globalsReset = a[2].asBoolean(); // the realm already ended the call (a primitive result)
            }
            state[0] = true;
            state[1] = true;
            return null;
        };
        ProxyExecutable onRejected = a -> {
            outcome[0] = a.length > 0 ? a[0] : null;
            state[0] = true;
            return null;
        };
        starter.start(onFulfilled, onRejected);
        while (!state[0]) {
            checkStopped();
            if (pendingOperations == 0 && timers.pending() == 0 && queue.isEmpty()) {
                throw new Refusal(FunctionError.of(FunctionError.Kind.THROWN, "the promise returned by function '"
                        + functionName + "' never settles: nothing it waits for is pending"));
            }
            long remaining = deadlineNanos() - seams.ticker().nanos();
            if (remaining <= 0) {
                stop(StopReason.TIME);
                checkStopped();
            }
            Runnable next;
            try {
                next = queue.poll(remaining, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(StopReason.TIME);
                throw new Stopped();
            }
            if (next != null) {
                next.run();
            }
        }
        if (!state[1]) {
            throw new Rejected(outcome[0]);
        }
        return outcome[0];
    }

    private void checkStopped() {
        if (stopReason != null) {
            throw new Stopped();
        }
    }

    // ------------------------------------------------------------------ identities and function instances

    /** The identity {@code fn} runs as when {@code current} calls it (spec §3 run-as options). */
    private Caller callerFor(CompiledFunction fn, Caller current, Value jsArguments) {
        if (fn.def().config().bool("run_as_system", false)) {
            return current.asSystem();
        }
        String userId = fn.def().config().text("run_as_user_id", "");
        if (userId.isBlank() && fn.runAsScript() != null) {
            userId = runAsScript(fn, current, jsArguments);
        }
        if (!userId.isBlank()) {
            String id = userId;
            return current.runningAs(seams.users().find(id).orElseGet(() -> Principal.normal(id)));
        }
        return current;
    }

    private String runAsScript(CompiledFunction fn, Caller current, Value jsArguments) {
        Value factory = realm.factory(fn.runAsScript());
        Value script = factory.execute(contextFor(current));
        if (!api.invokeMember("isFunction", script).asBoolean()) {
            throw new Refusal(FunctionError.of(FunctionError.Kind.INVALID, "the run_as_user_id_script_source of function '"
                    + fn.name() + "' must be a function returning a user id"));
        }
        Value id = api.invokeMember("apply", script, jsArguments);
        if (id.isString()) {
            return id.asString();
        }
        if (id.hasMember("toHexString")) {
            return id.invokeMember("toHexString").asString();
        }
        throw new Refusal(FunctionError.of(FunctionError.Kind.INVALID, "the run_as_user_id_script_source of function '"
                + fn.name() + "' must return a user id string synchronously, not " + id));
    }

    /** @param caller who calls {@code fn}: the SDK's user, or the calling function's identity */
    private void checkCanEvaluate(CompiledFunction fn, BsonArray arguments, Caller caller) {
        BsonDocument expression = fn.canEvaluate();
        if (expression == null) {
            return;
        }
        boolean allowed;
        try {
            allowed = seams.canEvaluate().allows(fn.def(), expression.clone(), arguments.clone(), caller, request);
        } catch (UnsupportedOperationException e) {
            throw new Refusal(FunctionError.of(FunctionError.Kind.NOT_CALLABLE,
                    "function '" + fn.name() + "' has a can_evaluate expression: " + e.getMessage()));
        }
        if (!allowed) {
            throw new Refusal(FunctionError.of(FunctionError.Kind.NOT_CALLABLE,
                    "function '" + fn.name() + "' may not be called: its can_evaluate expression is false for this call"));
        }
    }

    /** {@code fn}'s exported function, instantiated with the context of {@code caller}; cached per execution. */
    private Value bind(CompiledFunction fn, Caller caller) {
        String key = bindKey(fn, caller);
        Value exports = bound.get(key);
        if (exports == null && key.equals(entryBindKey)) {
            exports = api.invokeMember("entryExports"); // made by enter; null while its wrapper still runs
            exports = exports.isNull() ? null : exports;
            if (exports != null) {
                bound.put(key, exports);
            }
        }
        if (exports != null) {
            return exports;
        }
        if (fn.problem() != null) {
            throw new Refusal(new FunctionError(FunctionError.Kind.SYNTAX_ERROR, "SyntaxError", fn.problem().message(),
                    List.of("at " + fn.problem().sourcePath() + ":" + fn.problem().line())));
        }
        Value factory = realm.factory(fn.source());
        exports = factory.execute(contextFor(caller));
        if (!exports.canExecute()) { // what typeof === 'function' says, without a call into the realm
            throw notAFunction(fn, exports);
        }
        bound.put(key, exports);
        return exports;
    }

    private static String bindKey(CompiledFunction fn, Caller caller) {
        return caller.key() + "\n" + fn.name();
    }

    private static Refusal notAFunction(CompiledFunction fn, Value exports) {
        return new Refusal(FunctionError.of(FunctionError.Kind.INVALID, fn.def().sourcePath()
                + " must assign a function to exports (it left exports " + (exports.isNull() ? "undefined" : "as " + exports) + ")"));
    }

    private Value contextFor(Caller caller) {
        Value existing = contexts.get(caller.key());
        if (existing == null && caller.key().equals(entryCallerKey)) {
            existing = api.invokeMember("entryContext"); // made by enter for the entry call's identity
            existing = existing.isNull() ? null : existing;
        }
        if (existing == null) {
            existing = api.invokeMember("makeContext", new ContextBridge(caller));
        }
        contexts.put(caller.key(), existing);
        return existing;
    }

    /**
     * What a {@code context} of one identity asks the host for (bootstrap.js {@code makeContext}): a fixed set of
     * members, each made on its first use (a {@code sum} call reads only {@code system}).
     */
    private final class ContextBridge implements ProxyObject {
        private static final String[] KEYS = {"system", "userWire", "mongo", "service", "resolveFunction"};
        private final Caller caller;
        private ProxyExecutable userWire;
        private ProxyExecutable mongo;
        private ProxyExecutable service;
        private ProxyExecutable resolveFunction;

        ContextBridge(Caller caller) {
            this.caller = caller;
        }

        @Override
        public Object getMember(String key) {
            return switch (key) {
                case "system" -> caller.isSystem();
                // read by the first use of context.user only: most calls never convert the user
                case "userWire" -> userWire != null ? userWire : (userWire = host(a -> Wire.toWire(caller.user().toContextUser())));
                case "mongo" -> mongo != null ? mongo : (mongo = host(a -> mongo(caller, a)));
                case "service" -> service != null ? service : (service = host(a -> service(caller, a)));
                case "resolveFunction" -> resolveFunction != null ? resolveFunction : (resolveFunction = host(a -> resolveFunction(caller, a)));
                default -> null;
            };
        }

        @Override
        public Object getMemberKeys() {
            return KEYS.clone();
        }

        @Override
        public boolean hasMember(String key) {
            return getMember(key) != null;
        }

        @Override
        public void putMember(String key, Value value) {
            throw new UnsupportedOperationException("a context's host bridge is read-only");
        }
    }

    private Object resolveFunction(Caller current, Value[] a) {
        String name = a[0].asString();
        CompiledFunction fn = set.get(name);
        if (fn == null) {
            throw new UserError("function not found: '" + name + "'");
        }
        if (fn.canEvaluate() != null) {
            // the calling function's identity is the caller here, not the callee's run-as identity
            checkCanEvaluate(fn, Wire.fromWire(api.invokeMember("toWireValue", a[1]).asString()).asArray(), current);
        }
        Caller caller = callerFor(fn, current, a[1]);
        return bind(fn, caller);
    }

    // ------------------------------------------------------------------ services

    private Object mongo(Caller caller, Value[] a) {
        String service = a[0].asString();
        String action = a[1].asString();
        BsonDocument arguments = serviceArguments(a[2]);
        if (databaseInPlace) {
            return answerInPlace(service, action, () -> seams.mongo().call(service, action, arguments, caller));
        }
        return serviceCall(service, action, a[3], () -> seams.mongo().call(service, action, arguments, caller));
    }

    /**
     * Runs a database call on this thread (decision record 0042): the guest gets the answer's wire text,
     * or the error marker its promise is rejected with, the very message the hand-off path would give.
     * A call made after the time limit passed is not run: the execution is being stopped.
     */
    private Object answerInPlace(String service, String action, java.util.function.Supplier<BsonValue> work) {
        if (stopReason == null && deadlineNanos() - seams.ticker().nanos() <= 0) {
            stop(StopReason.TIME);
        }
        if (stopReason != null) {
            return errorMarker("Error", stoppedError().message());
        }
        try {
            BsonValue result = work.get();
            return Wire.toWire(result == null ? BsonNull.VALUE : result);
        } catch (ServiceCallException e) {
            return errorMarker("Error", e.getMessage());
        } catch (RuntimeException e) {
            return errorMarker("Error", serviceFault(service, action, e));
        }
    }

    private String serviceFault(String service, String action, RuntimeException e) {
        String incident = incident();
        LOG.error("service {} action {} failed in function {} (incident {})", service, action, functionName, incident, e);
        return "internal error in service '" + service + "' (" + action + "); incident " + incident + ", details are in the server log";
    }

    /** {@code context.services.get(<non-MongoDB service>)} and {@code context.http} (service null). */
    private Object service(Caller caller, Value[] a) {
        String service = a[0].isNull() ? ServiceClient.CONTEXT_HTTP : a[0].asString();
        String action = a[1].asString();
        BsonDocument arguments = serviceArguments(a[2]);
        String region = a[3].isNull() ? null : a[3].asString();
        return serviceCall(service, action, a[4], () -> seams.services().call(service, action, arguments, region, caller, request));
    }

    private static BsonDocument serviceArguments(Value wire) {
        BsonValue parsed = Wire.fromWire(wire.asString());
        if (!parsed.isDocument()) {
            throw new UserError("TypeError", "service arguments must be a document");
        }
        return parsed.asDocument();
    }

    /**
     * Runs {@code work} on an I/O thread and posts its outcome to {@link #queue}, where the owner thread
     * calls {@code callback(ok, payload)}: a Promise is only ever settled on the thread that owns the Context.
     */
    private Object serviceCall(String service, String action, Value callback, java.util.function.Supplier<BsonValue> work) {
        if (pendingOperations >= MAX_PENDING_OPERATIONS) {
            throw new UserError("too many service calls in flight (the limit is " + MAX_PENDING_OPERATIONS + "); await some before starting more");
        }
        // counted after the hand-off succeeds; the completion can only run once this method returns
        seams.io().execute(() -> {
            boolean ok;
            String payload;
            try {
                BsonValue result = work.get();
                payload = Wire.toWire(result == null ? BsonNull.VALUE : result);
                ok = true;
            } catch (ServiceCallException e) {
                payload = e.getMessage();
                ok = false;
            } catch (RuntimeException e) {
                payload = serviceFault(service, action, e);
                ok = false;
            }
            boolean fulfilled = ok;
            String message = payload;
            queue.add(() -> {
                pendingOperations--;
                callback.execute(fulfilled, message);
            });
        });
        pendingOperations++;
        return null;
    }

    /** The state a handler left on its {@code response} object (bootstrap.js {@code responseWire}). */
    private HandlerResponse readResponse(Value response) {
        BsonDocument state = Wire.fromWire(api.invokeMember("responseWire", response).asString()).asDocument();
        Integer status = state.isNumber("statusCode") ? state.getNumber("statusCode").intValue() : null;
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        for (BsonValue entry : state.getArray("headers")) {
            BsonArray pair = entry.asArray();
            headers.computeIfAbsent(pair.get(0).asString().getValue(), k -> new ArrayList<>()).add(pair.get(1).asString().getValue());
        }
        byte[] body = state.isBinary("body") ? state.getBinary("body").getData() : null;
        return new HandlerResponse(status, headers, body);
    }

    // ------------------------------------------------------------------ the host bridge

    private Map<String, Object> hostBridge() {
        Crypto crypto = seams.crypto();
        Map<String, Object> members = new HashMap<>();
        members.put("log", host(a -> {
            logs.add(a[0].asString(), a[1].asString());
            return null;
        }));
        members.put("objectId", host(a -> new ObjectId().toHexString()));
        members.put("value", host(a -> value(a[0].asString())));
        members.put("decimal", host(a -> {
            try {
                return Decimal128.parse(a[0].asString().trim()).toString();
            } catch (NumberFormatException e) {
                throw new UserError("TypeError", "Decimal128: not a decimal number: " + a[0].asString());
            }
        }));
        members.put("normalizeBase64", host(a -> Crypto.b64(Crypto.bytes(a[0].asString()))));
        members.put("hexToBase64", host(a -> {
            try {
                return Crypto.b64(HexFormat.of().parseHex(a[0].asString()));
            } catch (IllegalArgumentException e) {
                throw new UserError("TypeError", "not a hex string: " + a[0].asString());
            }
        }));
        members.put("utf8ToBase64", host(a -> Crypto.b64(a[0].asString().getBytes(StandardCharsets.UTF_8))));
        members.put("base64ToHex", host(a -> HexFormat.of().formatHex(Crypto.bytes(a[0].asString()))));
        members.put("base64ToUtf8", host(a -> new String(Crypto.bytes(a[0].asString()), StandardCharsets.UTF_8)));
        members.put("base64Length", host(a -> Crypto.bytes(a[0].asString()).length));
        members.put("hash", host(a -> crypto.hash(a[0].asString(), a[1].asString())));
        members.put("hmac", host(a -> crypto.hmac(a[0].asString(), a[1].asString(), a[2].asString(), a[3].asString())));
        members.put("encrypt", host(a -> crypto.encrypt(a[0].asString(), a[1].asString(), a[2].asString())));
        members.put("decrypt", host(a -> crypto.decrypt(a[0].asString(), a[1].asString(), a[2].asString())));
        members.put("jwtEncode", host(a -> crypto.jwtEncode(a[0].asString(), a[1].asString(), a[2].asString(), a[3].asString())));
        members.put("jwtDecode", host(a -> crypto.jwtDecode(a[0].asString(), a[1].asString())));
        members.put("appWire", host(a -> set.appWire));
        members.put("requestWire", host(a -> Wire.toWire(request.toBson())));
        members.put("environmentJson", host(a -> set.environmentJson));
        members.put("servicesJson", host(a -> set.servicesJson));
        nodeMembers(members);
        return members;
    }

    /** What the Node built-ins and {@code require} need from the host: modules, timers, crypto, zlib. */
    private void nodeMembers(Map<String, Object> members) {
        members.put("resolveModule", host(a -> {
            ModuleResolver.Resolved resolved = set.modules.resolver().resolve(a[0].asString(), a[1].isNull() ? null : a[1].asString());
            resolvedModules.put(resolved.id(), resolved);
            return resolved.id();
        }));
        members.put("loadModule", host(a -> {
            ModuleResolver.Resolved resolved = resolvedModules.get(a[0].asString());
            if (resolved == null || resolved.files() == null) {
                throw new UserError("Error", "Cannot load module " + a[0].asString());
            }
            String json = set.modules.json(resolved);
            return json != null ? json : context.eval(set.modules.source(resolved));
        }));
        members.put("setTimer", host(a -> {
            Value callback = a[1];
            return timers.set(a[0].fitsInLong() ? a[0].asLong() : 0, () -> callback.executeVoid());
        }));
        members.put("clearTimer", host(a -> {
            if (a[0].fitsInInt()) {
                timers.clear(a[0].asInt());
            }
            return null;
        }));
        members.put("hashBytes", host(a -> nodeCrypto.hash(a[0].asString(), a[1].asString())));
        members.put("hmacBytes", host(a -> nodeCrypto.hmac(a[0].asString(), a[1].asString(), a[2].asString())));
        members.put("randomBytes", host(a -> nodeCrypto.randomBytes(a[0].asInt())));
        members.put("randomUUID", host(a -> nodeCrypto.randomUUID()));
        members.put("pbkdf2", host(a -> nodeCrypto.pbkdf2(a[0].asString(), a[1].asString(), a[2].asInt(), a[3].asInt(), a[4].asString())));
        members.put("cipherOpen", host(a -> nodeCrypto.cipherOpen(a[0].asString(), a[1].asBoolean(), a[2].asString(), a[3].asString(), a[4].asBoolean())));
        members.put("cipherAad", host(a -> {
            nodeCrypto.cipherAad(a[0].asInt(), a[1].asString());
            return null;
        }));
        members.put("cipherUpdate", host(a -> nodeCrypto.cipherUpdate(a[0].asInt(), a[1].asString())));
        members.put("cipherFinal", host(a -> nodeCrypto.cipherFinal(a[0].asInt(), a[1].isNull() ? null : a[1].asString())));
        members.put("keyType", host(a -> nodeCrypto.keyType(a[0].asString(), a[1].asBoolean())));
        members.put("signBytes", host(a -> nodeCrypto.sign(a[0].asString(), a[1].asString(), a[2].asString(), a[3].isNull() ? null : a[3].asString())));
        members.put("verifyBytes", host(a -> nodeCrypto.verify(a[0].asString(), a[1].asString(), a[2].asString(), a[3].asString(),
                a[4].isNull() ? null : a[4].asString())));
        members.put("zlib", host(a -> NodeZlib.process(a[0].asString(), a[1].asString(), a[2].fitsInInt() ? a[2].asInt() : -1)));
    }

    private Object value(String name) {
        ValueDef def = set.values.get(name);
        if (def == null) {
            return null;
        }
        JsonNode value = def.config().get("value");
        if (!def.fromSecret()) {
            return value == null ? null : value.toString();
        }
        String secretName = value != null && value.isTextual() ? value.asText() : name;
        return seams.secrets().secret(secretName).map(s -> TextNode.valueOf(s).toString()).orElseGet(() -> {
            LOG.warn("value {} refers to secret {}, which has no value here; the function sees undefined", name, secretName);
            return null;
        });
    }

    /** A host function: guest errors pass through, mistakes of the JS caller become JS errors, faults are logged. */
    private ProxyExecutable host(Function<Value[], Object> body) {
        return arguments -> {
            try {
                return body.apply(arguments);
            } catch (PolyglotException e) {
                throw e;
            } catch (UserError e) {
                return errorMarker(e.jsName(), e.getMessage());
            } catch (ModuleResolver.ModuleException e) {
                return ProxyObject.fromMap(Map.of("thimbleError", e.getMessage(), "errorName", e.jsName, "code", e.code));
            } catch (Refusal e) {
                return errorMarker("Error", e.error.message());
            } catch (StackOverflowError e) {
                return errorMarker("RangeError", "Maximum call stack size exceeded");
            } catch (RuntimeException e) {
                String incident = incident();
                LOG.error("host function failed in function {} (incident {})", functionName, incident, e);
                return errorMarker("Error", "internal error in Thimble (incident " + incident + "; details are in the server log)");
            }
        };
    }

    private static ProxyObject errorMarker(String name, String message) {
        return ProxyObject.fromMap(Map.of("thimbleError", message, "errorName", name));
    }

    // ------------------------------------------------------------------ errors

    private FunctionError polyglotError(PolyglotException e) {
        if (stopReason != null) {
            return stoppedError();
        }
        if (e.isResourceExhausted() && e.getMessage() != null && e.getMessage().startsWith("Statement count limit")) {
            return FunctionError.of(FunctionError.Kind.STATEMENT_LIMIT,
                    "Function " + functionName + " exceeded its statement limit of " + statementLimit + " statements");
        }
        if (e.isResourceExhausted() && e.getMessage() != null && e.getMessage().contains("Stack overflow")) {
            // the stack ran out in host code between JS frames (e.g. recursion through context.functions.execute)
            List<String> frames = userFrames(e);
            return new FunctionError(FunctionError.Kind.THROWN, "RangeError", "Maximum call stack size exceeded",
                    frames.subList(0, Math.min(10, frames.size())));
        }
        if (e.isResourceExhausted()) {
            return FunctionError.of(FunctionError.Kind.MEMORY_LIMIT, "Function " + functionName + " ran out of memory");
        }
        if (e.isCancelled() || e.isInterrupted()) {
            return stoppedError();
        }
        if (e.isSyntaxError()) {
            SourceSection at = e.getSourceLocation();
            List<String> where = at == null ? List.of() : List.of("at " + at.getSource().getName() + ":" + at.getStartLine());
            return new FunctionError(FunctionError.Kind.SYNTAX_ERROR, "SyntaxError", e.getMessage(), where);
        }
        if (e.isGuestException()) {
            return thrown(e.getGuestObject(), e);
        }
        return internal(e);
    }

    private FunctionError stoppedError() {
        if (stopReason == StopReason.DEBUGGER) {
            return FunctionError.of(FunctionError.Kind.STOPPED, "Function " + functionName + " was stopped in the debugger");
        }
        if (stopReason == StopReason.EXECUTION_MEMORY) {
            return FunctionError.of(FunctionError.Kind.MEMORY_LIMIT, "Function " + functionName
                    + " was stopped: it used more memory than one execution may (" + (Watchdog.executionMemoryLimit() >> 20)
                    + " MB, a quarter of the server's heap and at most 350 MB); keep less data in memory at once");
        }
        if (stopReason == StopReason.MEMORY) {
            return FunctionError.of(FunctionError.Kind.MEMORY_LIMIT, "Function " + functionName
                    + " was stopped: the server is short of memory and this execution had allocated the most ("
                    + (allocatedBytes() >> 20) + " MB)");
        }
        return FunctionError.of(FunctionError.Kind.TIME_LIMIT,
                "Function " + functionName + " exceeded its time limit of " + timeLimit.toMillis() + " ms");
    }

    /** A JS value that was thrown or rejected, described by its name, message and the user's frames. */
    private FunctionError thrown(Value reason, PolyglotException exception) {
        String name = "Error";
        String message;
        String stack = "";
        try {
            if (reason == null) {
                throw new IllegalStateException("no guest object");
            }
            JsonNode info = JSON.readTree(api.invokeMember("errorInfo", reason).asString());
            name = info.path("name").asText("Error");
            message = info.path("message").asText("");
            stack = info.path("stack").asText("");
        } catch (Exception e) {
            message = exception != null ? exception.getMessage() : String.valueOf(reason);
        }
        List<String> frames = userFrames(stack);
        if (frames.isEmpty() && exception != null) {
            frames = userFrames(exception);
        }
        return new FunctionError(FunctionError.Kind.THROWN, name, message, frames);
    }

    /** The lines of a JS {@code stack} that point into function sources; line-1 columns corrected for the wrapper. */
    static List<String> userFrames(String stack) {
        List<String> frames = new ArrayList<>();
        for (String line : stack.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("at ")) {
                continue;
            }
            Matcher m = LOCATION.matcher(trimmed);
            if (!m.find()) {
                continue;
            }
            String location = location(m.group(1), Integer.parseInt(m.group(2)), m.group(3) == null ? -1 : Integer.parseInt(m.group(3)));
            frames.add(trimmed.substring(0, m.start()) + location + trimmed.substring(m.end()));
        }
        return frames;
    }

    private static List<String> userFrames(PolyglotException exception) {
        List<String> frames = new ArrayList<>();
        for (PolyglotException.StackFrame frame : exception.getPolyglotStackTrace()) {
            SourceSection at = frame.getSourceLocation();
            if (frame.isGuestFrame() && at != null && (at.getSource().getName().startsWith("functions/") || at.getSource().getName().startsWith("services/"))) {
                frames.add("at " + frame.getRootName() + " ("
                        + location(at.getSource().getName(), at.getStartLine(), at.getStartColumn()) + ")");
            }
        }
        return frames;
    }

    private static String location(String path, int line, int column) {
        if (column < 0) {
            return path + ":" + line;
        }
        int col = line == 1 ? Math.max(1, column - JsRuntime.PREFIX.length()) : column;
        return path + ":" + line + ":" + col;
    }

    private FunctionError internal(Exception e) {
        String incident = incident();
        LOG.error("internal error running function {} (incident {})", functionName, incident, e);
        return FunctionError.of(FunctionError.Kind.INTERNAL, "internal error while running function '" + functionName
                + "' (incident " + incident + "; details are in the server log)");
    }

    private static String incident() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    // ------------------------------------------------------------------ control flow

    /** Ends the run with an error result the engine built itself. */
    static final class Refusal extends RuntimeException {
        final FunctionError error;

        Refusal(FunctionError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private static final class Rejected extends RuntimeException {
        final Value reason;

        Rejected(Value reason) {
            super(null, null, false, false);
            this.reason = reason;
        }
    }

    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
