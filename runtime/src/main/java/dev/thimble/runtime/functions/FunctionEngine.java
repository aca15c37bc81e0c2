package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.time.Ticker;

import dev.thimble.runtime.app.AppModel;
import org.bson.BsonArray;
import org.bson.BsonValue;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the functions of one app on GraalJS. Sources are parsed once per app version on a shared
 * {@link Engine}; each execution runs in a sandboxed realm of its app version, reused from call to call
 * under the isolation contract of decision record 0030 (a fresh one for apps that patch built-ins;
 * decision 0004), on an engine-owned thread with a deep stack, and is answered synchronously. {@link #reload} swaps in a
 * new app version without a restart, re-parsing only the functions whose source changed; running
 * executions finish on the version they started with.
 *
 * <p>Thread-safe. {@link #execute} and {@link #executeFromClient} never throw for anything the
 * function does: failures come back in {@link FunctionResult#error()}. They throw only
 * {@link TooManyExecutionsException} when the engine is at its concurrency limit.
 */
public final class FunctionEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionEngine.class);
    /** How long a caller waits past the time limit for a stopped execution to wind down. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** {@code -Dthimble.functions.databaseInPlace=false} hands every database call to an I/O thread, as before decision 0042. */
    private static final boolean DATABASE_IN_PLACE = !"false".equals(System.getProperty("thimble.functions.databaseInPlace"));
    private static final AtomicInteger ENGINES = new AtomicInteger();

    /** The collaborators an execution calls out to. */
    record Seams(MongoServiceClient mongo, SecretsLookup secrets, CanEvaluate canEvaluate, UserDirectory users,
                 Crypto crypto, Executor io, ServiceClient services, Ticker ticker) {
    }

    /**
     * One round of the host's warm-up of a client's whole call path (decision record 0047): the route's parsing,
     * the call service and {@link #executeWarmUp}, run on the engine's warm-up thread after each load; it must
     * leave no log record, write nothing and touch no user data.
     */
    public interface CallPathRound {
        void run(int round) throws Exception;

        /** The warm-up ended (its budget, a newer version, the engine closing): let go of what the rounds held. */
        default void finished() {
        }

        /**
         * Whether the host is serving requests now (any request, not only function calls): the warm-up waits
         * before its next round then (decision record 0060). Asked before every round.
         */
        default boolean serving() {
            return false;
        }
    }

    /** The outcome of a webhook or endpoint function: its result and what it set on {@code response}. */
    public record HandlerResult(FunctionResult result, HandlerResponse response) {
    }

    private static final AtomicLong EXECUTION_IDS = new AtomicLong();

    private final FunctionLimits limits;
    private final Builder settings;
    private final URI sourceRoot;
    private final AppInfo appInfoOverride;
    private final Seams seams;
    private final Semaphore permits;
    private final ExecutorService runners;
    private final ExecutorService io;
    private final Watchdog watchdog;
    /** Says when a call spent long on the CPU on the servers' interpreter-only default (decision 0077). */
    private final InterpreterHint interpreterHint;
    private final AtomicLong parses = new AtomicLong();
    private volatile FunctionSet functions;
    /** When the last entry call came in ({@link System#nanoTime}); the warm-up yields to calls. */
    private volatile long lastCallNanos = System.nanoTime() - QUIET_NANOS;
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private volatile boolean closed;
    private final boolean warmUp;
    /** Runs warm-ups one at a time, off the request path (null when warm-up is off). */
    private final ExecutorService warmer;
    /** Null unless a debugger watches: then every entry execution is reported to it. */
    private volatile ExecutionObserver observer;
    /** The host's round of its call path, run by the warm-up when set (decision 0047). */
    private volatile CallPathRound callPath;
    /** The warm-up thread. */
    private volatile Thread warmerThread;
    /**
     * Whether a warm-up runs now: only then may a request thread run a warm-up call, the one answering the warm-up's
     * own loopback call (decision record 0075).
     */
    private volatile boolean warming;
    /** Guards the three fields below: warm-up calls run one at a time, on the warm-up thread or a request thread. */
    private final Object warmUpCallLock = new Object();
    /** Warm-up executions so far, and of the built-in functions: what the next one runs. */
    private long warmUpCalls;
    private long builtInWarmUpCalls;
    /** The app functions the warm-up may run, for the version it was made for. */
    private WarmableFunctions warmableFunctions;
    private final AtomicLong appWarmUpCalls = new AtomicLong();
    /** {@code -Dthimble.functions.warmUpAppFunctions=false}: the built-in functions only, as before decision 0060 (A/B). */
    private static final boolean WARM_APP_FUNCTIONS = !"false".equals(System.getProperty("thimble.functions.warmUpAppFunctions"));
    /** A warm-up call of an app function stops after this long (and the function is not run by the warm-up again). */
    private static final Duration APP_WARM_UP_LIMIT = Duration.ofSeconds(1);
    /** Rounds the warm-ups ran through the host's call path (tests pin that it ran). */
    private final AtomicLong callPathRounds = new AtomicLong();

    private FunctionEngine(Builder b) {
        Engine graal = b.graal != null ? b.graal : JsRuntime.sharedEngine();
        this.settings = b;
        this.limits = b.limits;
        this.interpreterHint = b.interpreterHint != null ? b.interpreterHint : InterpreterHint.forEngine(graal, b.app.name());
        this.appInfoOverride = b.appInfo;
        this.sourceRoot = b.sourceRoot != null ? b.sourceRoot : defaultRoot(b.app);
        int id = ENGINES.incrementAndGet();
        this.io = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("thimble-functions-io-" + id + "-", 0).factory());
        this.seams = new Seams(b.mongo, b.secrets, b.canEvaluate, b.users, new Crypto(b.clock), io, b.services, b.ticker);
        this.permits = new Semaphore(limits.maxConcurrentExecutions());
        AtomicInteger threads = new AtomicInteger();
        this.runners = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(null, r, "thimble-functions-" + id + "-" + threads.incrementAndGet(), limits.stackSizeBytes());
            thread.setDaemon(true);
            return thread;
        });
        this.watchdog = new Watchdog(String.valueOf(id), limits.heapGuardBytes(), b.ticker);
        this.observer = b.observer;
        this.functions = FunctionSet.load(b.app, null, graal, sourceRoot, appInfo(b.app), parses, b.evaluateUpFront,
                b.functionsDirectory == null ? ModuleFiles.NONE : ModuleFiles.directory(b.functionsDirectory));
        logProblems(functions);
        this.warmUp = b.warmUp;
        // a request thread's kind (ExecutionThreads): the call-path warm-up runs its executions in place, as requests do
        this.warmer = warmUp ? Executors.newSingleThreadExecutor(r -> {
            Thread thread = ExecutionThreads.thread(r, "thimble-functions-warm-up-" + id, limits.stackSizeBytes());
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            warmerThread = thread;
            return thread;
        }) : null;
        warmUp(functions);
    }

    /** Whether hosts warm their function engines at start: on unless {@code -Dthimble.functions.warmUp=false}. */
    public static boolean warmUpByDefault() {
        return !"false".equals(System.getProperty("thimble.functions.warmUp"));
    }

    /**
     * Pre-creates realms for {@code set} and runs the engine's whole execution path (bridge, conversions,
     * promises, console, BSON) on a built-in function of its own in them, on a background thread, so the
     * first requests after a start or a reload do not pay for a cold engine. App functions that could write data
     * or reach anything outside their call are never run; the host's call-path rounds also run those a scan finds
     * cannot ({@link #executeWarmUp}, decision 0060).
     */
    private void warmUp(FunctionSet set) {
        if (!warmUp || !set.realms.reuses()) {
            return;
        }
        set.realms.fillOn(warmer);
        java.time.Duration budget = WarmUp.budget();
        try {
            warmer.execute(() -> {
                WarmUp warm = new WarmUp(seams, limits, () -> observer == null ? callPath : null, budget, JitActivity.ofThisJvm());
                warming = true;
                try {
                    warm.run(set, () -> closed || functions != set, this::servingCalls);
                } finally {
                    warming = false;
                }
                callPathRounds.addAndGet(warm.callPathRounds());
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /**
     * From now on, each warm-up (after this version's and every later load) runs {@code round} instead of the
     * engine's own round when no debugger observes the engine; null: the engine's rounds only.
     */
    public void warmCallPathWith(CallPathRound round) {
        this.callPath = round;
    }

    /**
     * Runs a warm-up call as a client's call runs, in place on the calling thread: only on the warm-up thread, from a
     * {@link CallPathRound}, or while a warm-up runs on the request thread that answers its own loopback call (decision
     * record 0075; the host lets only the warm-up's caller reach this). Every other call runs one of the app's own functions that a scan finds cannot reach out
     * ({@link WarmableFunctions}, decision record 0060), with arguments of its choosing instead of {@code arguments} and a
     * short time limit; the others run the engine's built-in functions. No debugger sees it, it counts neither as a
     * running execution nor as a call the warm-up would yield to.
     *
     * @throws IllegalStateException on any other thread, or when no warm-up runs and this is not the warm-up thread
     */
    public FunctionResult executeWarmUp(List<BsonValue> arguments, ExecutionRequest request) {
        ExecutionThreads.Carrier here = ExecutionThreads.available(limits.stackSizeBytes());
        if (here == null || (here != warmerThread && !warming)) {
            throw new IllegalStateException("the warm-up function runs only during a warm-up, on its thread or a request thread");
        }
        synchronized (warmUpCallLock) {
            return executeWarmUp(here, arguments, request);
        }
    }

    private FunctionResult executeWarmUp(ExecutionThreads.Carrier here, List<BsonValue> arguments, ExecutionRequest request) {
        FunctionSet set = functions;
        long call = warmUpCalls++;
        WarmableFunctions.Pick pick = WARM_APP_FUNCTIONS && call % 2 == 1 ? warmable(set).next(call) : null;
        here.busy = true;
        try {
            if (pick == null) {
                return run(set, WarmUp.function(builtInWarmUpCalls++), new BsonArray(List.copyOf(arguments)), request, false,
                        limits.timeLimit(), null, new java.util.concurrent.atomic.AtomicReference<>(), false);
            }
            Duration limit = limits.timeLimit().compareTo(APP_WARM_UP_LIMIT) < 0 ? limits.timeLimit() : APP_WARM_UP_LIMIT;
            FunctionResult result = run(set, pick.function(), new BsonArray(pick.arguments()), request, false, limit, null,
                    new java.util.concurrent.atomic.AtomicReference<>(), false);
            if (result.error() != null) {
                warmableFunctions.failed(pick, result.error());
            } else {
                appWarmUpCalls.incrementAndGet();
            }
            return result;
        } finally {
            here.busy = false;
        }
    }

    /** The current version's app functions the warm-up may run (made once per version, on the warm-up thread). */
    private WarmableFunctions warmable(FunctionSet set) {
        if (warmableFunctions == null || !warmableFunctions.isFor(set)) {
            warmableFunctions = WarmableFunctions.of(set);
        }
        return warmableFunctions;
    }

    /** Warm-up calls of the app's own functions that succeeded so far (decision record 0060). */
    public long appFunctionWarmUpCalls() {
        return appWarmUpCalls.get();
    }

    public static Builder builder(AppModel app) {
        return new Builder(app);
    }

    /** The process-wide GraalJS Engine engines use unless given one: sandbox policy CONSTRAINED. */
    public static Engine sharedGraalEngine() {
        return JsRuntime.sharedEngine();
    }

    /**
     * A new GraalJS Engine a Truffle debugger may attach to (policy TRUSTED, which the debugger
     * requires; Contexts keep the same explicit restrictions); close it yourself.
     */
    public static Engine newDebugGraalEngine() {
        return JsRuntime.newDebugEngine();
    }

    /** A new GraalJS Engine configured as functions need it (e.g. one per host); close it yourself. */
    public static Engine newGraalEngine() {
        return JsRuntime.newEngine();
    }

    /**
     * Runs {@code name} for a server-side caller (another service, a trigger, a webhook, a rule):
     * private functions are allowed.
     *
     * @throws TooManyExecutionsException when {@link FunctionLimits#maxConcurrentExecutions()} are running
     */
    public FunctionResult execute(String name, List<BsonValue> arguments, ExecutionRequest request) {
        return submit(name, arguments, request, false);
    }

    /**
     * Runs ad-hoc code (the console's snippet) as a private function of the current app version:
     * {@code source} is a function source ({@code exports = function(...) {...}}), run with
     * {@code arguments} like any function, with the whole {@code context}. Nothing of it stays.
     *
     * @throws TooManyExecutionsException when {@link FunctionLimits#maxConcurrentExecutions()} are running
     */
    public FunctionResult executeSnippet(String source, List<BsonValue> arguments, ExecutionRequest request) {
        FunctionSet withSnippet = functions.withSnippet(source, sourceRoot, parses);
        return submit(FunctionSet.SNIPPET_NAME, arguments, request, false, null, withSnippet);
    }

    /** The name a snippet's log lines and errors carry. */
    public static String snippetName() {
        return FunctionSet.SNIPPET_NAME;
    }

    /**
     * Runs {@code name} for a client SDK: refuses private functions ({@code FunctionNotCallable}).
     *
     * @throws TooManyExecutionsException when {@link FunctionLimits#maxConcurrentExecutions()} are running
     */
    public FunctionResult executeFromClient(String name, List<BsonValue> arguments, ExecutionRequest request) {
        return submit(name, arguments, request, true);
    }

    /**
     * Runs a webhook's source or an endpoint's function as {@code exports(payload, response)}: private
     * functions are allowed; the result carries what the function set on {@code response}.
     *
     * @param name an app function, or {@link #webhookFunctionName} of an incoming webhook
     * @throws TooManyExecutionsException when {@link FunctionLimits#maxConcurrentExecutions()} are running
     */
    public HandlerResult executeHandler(String name, org.bson.BsonDocument payload, ExecutionRequest request) {
        HandlerResponse[] response = {HandlerResponse.UNTOUCHED};
        FunctionResult result = submit(name, List.of(payload), request, false, response);
        return new HandlerResult(result, response[0]);
    }

    /** The name under which an incoming webhook's {@code source.js} runs (clients cannot call it: it is private). */
    public static String webhookFunctionName(String service, String webhook) {
        return FunctionSet.WEBHOOK_PREFIX + service + "/" + webhook;
    }

    /** Swaps in the next app version. Functions whose source is unchanged keep their parsed Source. */
    public void reload(AppModel next) {
        synchronized (this) {
            FunctionSet previous = functions;
            FunctionSet loaded = FunctionSet.load(next, previous, previous.engine, sourceRoot, appInfo(next), parses);
            functions = loaded;
            previous.realms.close();
            logProblems(loaded);
            warmUp(loaded);
        }
    }

    /**
     * Moves the app's functions to another GraalJS Engine (from {@link #newGraalEngine()}), e.g. one a
     * debugger session watches: every source is parsed on it now, new executions run there, running
     * ones finish where they started. With {@code evaluateUpFront} every function is loaded into each
     * execution's Context before the call, so a debugger's step-into lands in user code.
     */
    public void switchGraalEngine(Engine engine, boolean evaluateUpFront) {
        Objects.requireNonNull(engine, "engine");
        synchronized (this) {
            FunctionSet current = functions;
            functions = FunctionSet.load(current.app, null, engine, sourceRoot, appInfo(current.app), parses, evaluateUpFront,
                    current.modules.resolver().app());
            current.realms.close();
        }
    }

    /** The GraalJS Engine new executions run on. */
    public Engine graalEngine() {
        return functions.engine;
    }

    /** Reports every entry execution from now on to {@code observer}; null to stop. */
    public void observe(ExecutionObserver observer) {
        this.observer = observer;
    }

    /** What source paths resolve against: a function's Source URI is this plus {@code functions/<name>/source.js}. */
    public URI sourceRoot() {
        return sourceRoot;
    }

    /** The URI of the Source of the function at bundle path {@code path} (what breakpoints match). */
    public URI sourceUri(String path) {
        return JsRuntime.uri(sourceRoot, path);
    }

    /** How many characters the engine's wrapper puts before the user's line 1 (its columns shift by that). */
    public static int lineOneColumnShift() {
        return JsRuntime.PREFIX.length();
    }

    /** A user as {@code run_as_user_id} would find them, e.g. to replay a logged call as its user. */
    public java.util.Optional<Principal> findUser(String id) {
        return seams.users().find(id);
    }

    /**
     * A second engine for the same app version and Engine, with the same seams but the database
     * client {@code wrap} gives (a replay's dry run); it shares this engine's observer. Close it after use.
     */
    public FunctionEngine withMongo(java.util.function.UnaryOperator<MongoServiceClient> wrap) {
        FunctionSet current = functions;
        Builder b = settings.copyFor(current.app);
        b.graal = current.engine;
        b.mongo = Objects.requireNonNull(wrap.apply(seams.mongo()), "wrapped client");
        b.sourceRoot = sourceRoot;
        b.observer = observer;
        b.evaluateUpFront = current.evaluateUpFront;
        return b.build();
    }

    /** Functions of the current version that cannot run (syntax errors), found when it was loaded. */
    public List<FunctionProblem> problems() {
        return functions.problems;
    }

    public AppModel app() {
        return functions.app;
    }

    /**
     * The current version's app function named {@code name}: what {@code app().function(name)} finds, from the
     * version's map instead of a scan of the app's list (once per client call and trigger run).
     */
    public java.util.Optional<dev.thimble.runtime.app.FunctionDef> function(String name) {
        CompiledFunction fn = functions.get(name);
        return fn == null || name.startsWith(FunctionSet.WEBHOOK_PREFIX) || name.equals(FunctionSet.SNIPPET_NAME)
                ? java.util.Optional.empty() : java.util.Optional.of(fn.def());
    }

    public FunctionLimits limits() {
        return limits;
    }

    /**
     * Whether calls are coming in: one runs now or one started within {@link #QUIET_NANOS}, or the host serves a
     * request ({@link CallPathRound#serving}). The warm-up then waits: on a small machine it would take the CPU from
     * the calls it is meant to speed up.
     */
    private boolean servingCalls() {
        CallPathRound host = callPath;
        return (host != null && host.serving()) || runningExecutions() > 0 || System.nanoTime() - lastCallNanos < QUIET_NANOS;
    }

    /** Executions running now (entry calls; nested calls run inside them). */
    public int runningExecutions() {
        return limits.maxConcurrentExecutions() - permits.availablePermits();
    }

    @Override
    public void close() {
        closed = true;
        if (warmer != null) {
            warmer.shutdownNow();
        }
        functions.realms.close();
        watchdog.close();
        runners.shutdownNow();
        io.shutdownNow();
    }

    // ------------------------------------------------------------------ for tests in this package

    /** The parsed Source of a function in the current version. */
    Source compiledSource(String name) {
        CompiledFunction fn = functions.get(name);
        return fn == null ? null : fn.source();
    }

    /** How many realms the current app version has made so far, and whether its calls share them. */
    long realmsCreated() {
        return functions.realms.created();
    }

    /** The current app version (its realm pool, for tests of the pool). */
    FunctionSet currentVersion() {
        return functions;
    }

    /** How many calls of the current app version got their realm by waiting for another call to give one back. */
    long realmsWaitedFor() {
        return functions.realms.waitedFor();
    }

    /** Rounds the finished warm-ups ran through the host's call path ({@link #warmCallPathWith}). */
    public long callPathWarmUpRounds() {
        return callPathRounds.get();
    }

    /**
     * Waits until the warm-ups queued so far have finished (benchmarks measure the first calls after it); false if
     * {@code limit} passed first.
     */
    public boolean awaitWarmUp(Duration limit) throws InterruptedException {
        if (warmer == null) {
            return true;
        }
        try {
            warmer.submit(() -> { }).get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** Idle realms of the current app version (pre-created ones included). */
    int idleRealms() {
        return functions.realms.idle();
    }

    boolean reusesRealms() {
        return functions.realms.reuses();
    }

    /** How many sources this engine has parsed so far. */
    long parseCount() {
        return parses.get();
    }

    // ------------------------------------------------------------------

    private FunctionResult submit(String name, List<BsonValue> arguments, ExecutionRequest request, boolean fromClient) {
        return submit(name, arguments, request, fromClient, null);
    }

    /** @param handlerResponse null for a plain call; else receives what a handler set on {@code response} */
    private FunctionResult submit(String name, List<BsonValue> arguments, ExecutionRequest request, boolean fromClient,
                                  HandlerResponse[] handlerResponse) {
        return submit(name, arguments, request, fromClient, handlerResponse, null);
    }

    /** @param set the functions to run from, or null for the current version's */
    private FunctionResult submit(String name, List<BsonValue> arguments, ExecutionRequest request, boolean fromClient,
                                  HandlerResponse[] handlerResponse, FunctionSet set) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        BsonArray args = new BsonArray(List.copyOf(arguments));
        lastCallNanos = System.nanoTime();
        if (!permits.tryAcquire()) {
            throw new TooManyExecutionsException(limits.maxConcurrentExecutions());
        }
        Duration timeLimit = request.timeLimit() != null ? request.timeLimit() : limits.timeLimit();
        java.util.concurrent.atomic.AtomicReference<Execution> started = new java.util.concurrent.atomic.AtomicReference<>();
        ExecutionThreads.Carrier here = observer == null ? ExecutionThreads.available(limits.stackSizeBytes()) : null;
        if (here != null) {
            return runHere(here, set, name, args, request, fromClient, timeLimit, handlerResponse, started);
        }
        Future<FunctionResult> future;
        try {
            future = runners.submit(() -> {
                try {
                    return run(set, name, args, request, fromClient, timeLimit, handlerResponse, started);
                } finally {
                    permits.release();
                }
            });
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        try {
            return awaitResult(future, timeLimit, started, seams.ticker());
        } catch (TimeoutException e) {
            LOG.error("function {} did not stop within {} ms of its time limit; its thread is abandoned", name, STOP_GRACE.toMillis());
            return failure(name, FunctionError.of(FunctionError.Kind.TIME_LIMIT,
                    "Function " + name + " exceeded its time limit of " + timeLimit.toMillis() + " ms"), request.caller(), args, timeLimit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return failure(name, FunctionError.of(FunctionError.Kind.INTERNAL, "the call of function '" + name + "' was interrupted"),
                    request.caller(), args, Duration.ZERO);
        } catch (ExecutionException e) {
            LOG.error("function engine failed running {}", name, e.getCause());
            return failure(name, FunctionError.of(FunctionError.Kind.INTERNAL, "internal error while running function '" + name
                    + "'; details are in the server log"), request.caller(), args, Duration.ZERO);
        }
    }

    /**
     * Runs the execution on the calling thread (a request thread deep enough for it, decision 0041): no
     * hand-off to a runner and back. The watchdog stops it as it stops a runner's; the caller's own
     * wait past the time limit does not apply, the caller being the execution's thread.
     */
    private FunctionResult runHere(ExecutionThreads.Carrier here, FunctionSet set, String name, BsonArray args, ExecutionRequest request,
                                   boolean fromClient, Duration timeLimit, HandlerResponse[] handlerResponse,
                                   java.util.concurrent.atomic.AtomicReference<Execution> started) {
        here.busy = true;
        try {
            return run(set, name, args, request, fromClient, timeLimit, handlerResponse, started);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("function engine failed running {}", name, e);
            return failure(name, FunctionError.of(FunctionError.Kind.INTERNAL, "internal error while running function '" + name
                    + "'; details are in the server log"), request.caller(), args, Duration.ZERO);
        } finally {
            here.busy = false;
            permits.release();
        }
    }

    private FunctionResult run(FunctionSet given, String name, BsonArray args, ExecutionRequest request, boolean fromClient, Duration timeLimit,
                               HandlerResponse[] handlerResponse, java.util.concurrent.atomic.AtomicReference<Execution> started) {
        FunctionSet set = given != null ? given : functions;
        CompiledFunction fn = set.get(name);
        if (fn == null) {
            return failure(name, FunctionError.of(FunctionError.Kind.NOT_FOUND, "function not found: '" + name + "'"),
                    request.caller(), args, Duration.ZERO);
        }
        return run(set, fn, args, request, fromClient, timeLimit, handlerResponse, started, true);
    }

    /** @param observable whether a debugger's observer sees it (not the warm-up's) */
    private FunctionResult run(FunctionSet set, CompiledFunction fn, BsonArray args, ExecutionRequest request, boolean fromClient, Duration timeLimit,
                               HandlerResponse[] handlerResponse, java.util.concurrent.atomic.AtomicReference<Execution> started,
                               boolean observable) {
        long start = seams.ticker().nanos();
        String name = fn.name();
        BsonArray logged = fn.def().config().bool("disable_arg_logs", false) ? null : args;
        if (fromClient && fn.def().isPrivate()) {
            return failure(name, FunctionError.of(FunctionError.Kind.NOT_CALLABLE, "function '" + name
                            + "' is private: client SDKs cannot call it (other functions, rules, triggers and webhooks can)"),
                    request.caller(), logged, Duration.ofNanos(seams.ticker().nanos() - start));
        }
        Realm realm = set.realms.take(limits.statementLimit());
        ExecutionObserver watching = observable ? observer : null;
        // a debugger session keeps the hand-off it was built against (decision 0042)
        boolean databaseInPlace = DATABASE_IN_PLACE && watching == null && seams.mongo().inProcess();
        Execution execution = new Execution(seams, set, realm, name, request.request(), timeLimit,
                limits.statementLimit(), limits.logCapChars(), databaseInPlace);
        started.set(execution);
        watchdog.register(execution);
        Observed observed = watching == null ? null : new Observed(execution, name, request, args);
        long cpuStarted = observable ? interpreterHint.started() : 0; // not the warm-up's: a cold engine's first rounds
        try {
            if (observed != null) {
                notify(() -> watching.started(observed));
            }
            FunctionResult result = handlerResponse != null
                    ? execution.run(fn, args, request.caller(), logged, true)
                    : execution.run(fn, args, request.caller(), logged);
            if (handlerResponse != null) {
                handlerResponse[0] = execution.handlerResponse();
            }
            if (observed != null) {
                notify(() -> watching.finished(observed, result));
            }
            if (observable) {
                interpreterHint.finished(name, cpuStarted);
            }
            return result;
        } finally {
            watchdog.unregister(execution);
            set.realms.giveBack(realm, execution.realmReusable());
        }
    }

    /** Waits until the execution's deadline plus a grace; time it spends paused in a debugger moves the deadline. */
    private static FunctionResult awaitResult(Future<FunctionResult> future, Duration timeLimit,
                                              java.util.concurrent.atomic.AtomicReference<Execution> started, Ticker ticker)
            throws InterruptedException, ExecutionException, TimeoutException {
        long fallback = System.nanoTime() + timeLimit.plus(STOP_GRACE).toNanos();
        while (true) {
            Execution execution = started.get();
            // the execution's time left is on the ticker; this wait is real time
            long deadline = execution == null ? fallback
                    : Math.max(fallback, System.nanoTime() + (execution.deadlineNanos() - ticker.nanos()) + STOP_GRACE.toNanos());
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                throw new TimeoutException();
            }
            try {
                return future.get(Math.min(wait, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // look again: a debugger may have paused it meanwhile
            }
        }
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("an execution observer failed", e);
        }
    }

    /** An execution as an observer sees it. */
    private static final class Observed implements ExecutionHandle {
        private final long id = EXECUTION_IDS.incrementAndGet();
        private final Execution execution;
        private final String name;
        private final ExecutionRequest request;
        private final BsonArray arguments;
        private final Thread thread = Thread.currentThread();

        Observed(Execution execution, String name, ExecutionRequest request, BsonArray arguments) {
            this.execution = execution;
            this.name = name;
            this.request = request;
            this.arguments = arguments;
        }

        @Override public long id() { return id; }
        @Override public String functionName() { return name; }
        @Override public Caller caller() { return request.caller(); }
        @Override public BsonArray arguments() { return arguments.clone(); }
        @Override public ExecutionOrigin origin() { return request.origin(); }
        @Override public Thread thread() { return thread; }
        @Override public void pauseClock() { execution.pauseClock(); }
        @Override public void resumeClock() { execution.resumeClock(); }

        @Override
        public void stopByDebugger(boolean cancel) {
            if (cancel) {
                execution.stop(Execution.StopReason.DEBUGGER);
            } else {
                execution.markStopped(Execution.StopReason.DEBUGGER);
            }
        }
    }

    private static FunctionResult failure(String name, FunctionError error, Caller caller, BsonArray logged, Duration took) {
        return new FunctionResult(name, null, error, List.of(), false, took, caller, logged);
    }

    private AppInfo appInfo(AppModel app) {
        return appInfoOverride != null ? appInfoOverride : AppInfo.of(app);
    }

    private static URI defaultRoot(AppModel app) {
        try {
            String id = app.clientAppId().isEmpty() ? "app" : app.clientAppId();
            return new URI("thimble", null, "/" + id + "/", null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void logProblems(FunctionSet set) {
        set.problems.forEach(p -> LOG.warn("function {} cannot run: {}", p.functionName(), p.message()));
    }

    /** Configures a {@link FunctionEngine}; everything but the app has a default. */
    public static final class Builder {
        private final AppModel app;
        private Engine graal;
        private ExecutionObserver observer;
        private boolean evaluateUpFront;
        private MongoServiceClient mongo = MongoServiceClient.NONE;
        private SecretsLookup secrets = SecretsLookup.NONE;
        private CanEvaluate canEvaluate = CanEvaluate.NOT_SUPPORTED;
        private UserDirectory users = UserDirectory.NONE;
        private AppInfo appInfo;
        private FunctionLimits limits = FunctionLimits.defaults();
        private URI sourceRoot;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.SYSTEM;
        private ServiceClient services = ServiceClient.NONE;
        private java.nio.file.Path functionsDirectory;
        private boolean warmUp;
        private InterpreterHint interpreterHint;

        private Builder(AppModel app) {
            this.app = Objects.requireNonNull(app, "app");
        }

        /** Every setting of this builder for another app version (so a derived engine misses none added later). */
        private Builder copyFor(AppModel other) {
            Builder copy = new Builder(other);
            for (java.lang.reflect.Field field : Builder.class.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (java.lang.reflect.Modifier.isStatic(modifiers) || java.lang.reflect.Modifier.isFinal(modifiers)) {
                    continue;
                }
                try {
                    field.set(copy, field.get(this));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy builder setting " + field.getName(), e);
                }
            }
            return copy;
        }

        /** The hint for CPU-heavy calls, in place of the one the engine's runtime decides (tests). */
        Builder interpreterHint(InterpreterHint hint) {
            this.interpreterHint = hint;
            return this;
        }

        /** The GraalJS Engine to share; default {@link #sharedGraalEngine()}. Must come from this class. */
        public Builder graalEngine(Engine engine) {
            this.graal = engine;
            return this;
        }

        public Builder mongo(MongoServiceClient client) {
            this.mongo = Objects.requireNonNull(client);
            return this;
        }

        /** The non-MongoDB services and {@code context.http}; default: none (calls fail clearly). */
        public Builder services(ServiceClient client) {
            this.services = Objects.requireNonNull(client);
            return this;
        }

        public Builder secrets(SecretsLookup lookup) {
            this.secrets = Objects.requireNonNull(lookup);
            return this;
        }

        public Builder canEvaluate(CanEvaluate predicate) {
            this.canEvaluate = Objects.requireNonNull(predicate);
            return this;
        }

        public Builder users(UserDirectory directory) {
            this.users = Objects.requireNonNull(directory);
            return this;
        }

        /** What {@code context.app} shows; default from the app's root config. */
        public Builder appInfo(AppInfo info) {
            this.appInfo = info;
            return this;
        }

        public Builder limits(FunctionLimits value) {
            this.limits = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The URI that source paths resolve against, e.g. the bundle directory's {@code file:} URI,
         * so that a debugger's breakpoints match; default {@code thimble:/<client app id>/}.
         */
        public Builder sourceRoot(URI root) {
            this.sourceRoot = root;
            return this;
        }

        /**
         * The app's {@code functions/} folder: {@code require} finds npm packages in its {@code node_modules}
         * (read only; nothing outside it). Default: none, so only Node's built-in modules load.
         */
        public Builder functionsDirectory(java.nio.file.Path directory) {
            this.functionsDirectory = directory;
            return this;
        }

        /** Warm the engine after start and each reload, off the request path (default off; hosts turn it on). */
        public Builder warmUp(boolean value) {
            this.warmUp = value;
            return this;
        }

        /** The clock {@code utils.jwt.decode} checks expiry against. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Elapsed time for the time limits (each execution's deadline, the watchdog that stops it) and
         * the durations a result reports; default the system's. A test moves a manual one past a limit
         * instead of waiting for it. The caller's own wait for a result stays real time: it bounds a
         * real wait, and is lifted while the ticker says the execution has time left.
         */
        public Builder ticker(Ticker value) {
            this.ticker = Objects.requireNonNull(value);
            return this;
        }

        public FunctionEngine build() {
            return new FunctionEngine(this);
        }
    }
}
