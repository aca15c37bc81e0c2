package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import org.bson.BsonArray;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Warms a new app version's engine path off the request path (decision records 0030 and 0047): pre-creates
 * realms and runs a built-in function of the engine's own, so that the interpreter's specializations and
 * the JVM's compiled code for the bridge, the argument and result conversions, promises, console and BSON
 * exist before the first request. With a {@link FunctionEngine.CallPathRound} from the host, each round runs that function
 * through the client's whole call path instead (the route's parsing and answer, the call service, the
 * engine's in-place execution; decision 0047), and every other such call runs one of the app's own functions that a
 * scan finds cannot reach a service, another function, the network or the global object ({@link WarmableFunctions},
 * decision 0060); the others are not run (they may have side
 * effects); their wrappers are evaluated in each realm.
 */
final class WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    /** Realms made ready ahead of the first calls. */
    static final int REALMS = 4;
    /** Rounds of the built-in function; stops earlier at {@link #budget}. */
    static final int ROUNDS = 3000;

    /**
     * The CPU time the warm-up thread may spend ({@code -Dthimble.functions.warmUpSeconds}, 20 by default), decision 0067: the
     * warm-up's own work, not the machine's load, ends it. It was wall time (0047, 0060), and on a loaded machine a 20 s
     * window finished 93-2,241 of the 3,000 rounds, and the first calls after it were slower the fewer it finished. Waiting
     * for requests spends none of it; {@link #WALL_FACTOR} times it in wall time ends the warm-up whatever it did.
     */
    static Duration budget() {
        return Duration.ofSeconds(Math.max(1, Long.getLong("thimble.functions.warmUpSeconds", 20)));
    }

    /** The warm-up ends after its budget times this in wall time (120 s by default), waiting for requests included. */
    static final int WALL_FACTOR = 6;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** {@code -Dthimble.functions.warmUpBudget=wall}: the budget is wall time, as before decision 0067 (for A/B measurements). */
    private static final boolean WALL_BUDGET = "wall".equals(System.getProperty("thimble.functions.warmUpBudget"));

    /** The calling thread's CPU time in ns, or its wall time where the JVM cannot tell (then the budget is wall time, as before). */
    private static long cpuNanos() {
        long cpu = !WALL_BUDGET && THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        return cpu >= 0 ? cpu : System.nanoTime();
    }
    /** How long the warm-up pauses while calls are being served. */
    private static final long YIELD_MILLIS = 50;
    /** The name the built-in function runs under; no app function and no client call can have it (it is not in any version's map). */
    static final String NAME = "thimble-warm-up";
    /** {@code -Dthimble.functions.warmUp=engine}: only the engine's rounds, as before decision 0047 (for A/B measurements). */
    static final boolean ENGINE_ONLY = "engine".equals(System.getProperty("thimble.functions.warmUp"));
    private static final String SOURCE = """
            exports = async function(a, b) {
              const doc = { a, b, sum: a + b, when: new Date(0), id: new BSON.ObjectId(), tags: ['x', 'y'], nested: { n: null, f: 1.5 } };
              console.log('warm-up', a);
              const copy = EJSON.parse(EJSON.stringify(doc));
              const keys = Object.keys(copy).sort().join(',');
              return await Promise.resolve({ doc, keys, user: context.user.id, list: [a, b].map((x) => x * 2) });
            };""";

    /**
     * The shape of most small functions (decision 0052): synchronous, plain arguments, a number back. Its calls take the
     * path {@link #SOURCE}'s do not: the plain arguments, the call ended in the same crossing, the result converted in Java.
     */
    private static final String PLAIN_SOURCE = "exports = function(a, b) { return a + String(b).length; };";

    /** The built-in function: side-effect free (its console line stays in its result, which nobody stores). */
    static final CompiledFunction FUNCTION = builtIn(SOURCE, "thimble/warm-up.js");
    /** The second built-in function, run every other round: side-effect free. */
    static final CompiledFunction PLAIN_FUNCTION = builtIn(PLAIN_SOURCE, "thimble/warm-up-plain.js");

    private static CompiledFunction builtIn(String source, String path) {
        return new CompiledFunction(new FunctionDef(Json.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("name", NAME).put("private", true)), source),
                JsRuntime.functionSource(path, java.net.URI.create("thimble:/" + path.substring(path.indexOf('/') + 1)), source), null, null, null);
    }

    /** The built-in function of warm-up round {@code round}: the two shapes take turns. */
    static CompiledFunction function(long round) {
        return round % 2 == 0 ? FUNCTION : PLAIN_FUNCTION;
    }

    private final FunctionEngine.Seams seams;
    private final FunctionLimits limits;
    private final java.util.function.Supplier<FunctionEngine.CallPathRound> callPath;
    private int callPathRounds;

    private final Duration budget;
    private final JitActivity jit;

    WarmUp(FunctionEngine.Seams seams, FunctionLimits limits, java.util.function.Supplier<FunctionEngine.CallPathRound> callPath,
           Duration budget, JitActivity jit) {
        this.budget = budget;
        this.jit = jit;
        this.seams = seams;
        this.limits = limits;
        this.callPath = callPath;
    }

    /** Rounds that went through the host's call path. */
    int callPathRounds() {
        return callPathRounds;
    }

    /**
     * @param stale   the version was replaced or the engine closed: stop
     * @param serving calls are being served: wait (they warm the path themselves, and need the CPU)
     */
    void run(FunctionSet set, BooleanSupplier stale, BooleanSupplier serving) {
        long start = System.nanoTime();
        CompiledFunction fn = FUNCTION;
        set.realms.prefill(REALMS, limits.statementLimit(), realm -> set.functions.values().forEach(f -> {
            if (f.problem() == null) {
                try {
                    realm.factory(f.source());
                } catch (RuntimeException e) {
                    // the call reports it, if the function is ever called
                }
            }
        }));
        FunctionEngine.CallPathRound[] used = {null};
        try {
            rounds(set, stale, serving, fn, used);
        } finally {
            if (used[0] != null) {
                used[0].finished();
            }
        }
    }

    private void rounds(FunctionSet set, BooleanSupplier stale, BooleanSupplier serving, CompiledFunction fn,
                        FunctionEngine.CallPathRound[] used) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos() * WALL_FACTOR;
        long cpuStart = cpuNanos();
        int rounds = 0;
        Caller caller = Caller.user(Principal.normal("000000000000000000000000"));
        while (System.nanoTime() < deadline && cpuNanos() - cpuStart < budget.toNanos()
                && !stale.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            // asked every time round, so its windows stay current: past its rounds, the warm-up goes on while the JIT
            // compiler is still busy with what they made hot (decision 0078)
            boolean compiling = jit.busy();
            if (rounds >= ROUNDS && !compiling) {
                break;
            }
            if (serving.getAsBoolean()) {
                try {
                    Thread.sleep(YIELD_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            FunctionEngine.CallPathRound round = ENGINE_ONLY ? null : callPath.get();
            if (round != null) {
                used[0] = round;
                try {
                    round.run(rounds);
                    callPathRounds++;
                } catch (Exception e) {
                    LOG.debug("warm-up of the call path stopped", e);
                    return;
                }
                rounds++;
                continue;
            }
            Realm realm = set.realms.take(limits.statementLimit());
            Execution execution = new Execution(seams, set, realm, fn.name(), RequestInfo.NONE, limits.timeLimit(),
                    limits.statementLimit(), limits.logCapChars());
            FunctionResult result = execution.run(function(rounds), new BsonArray(List.of(new BsonInt32(rounds), new BsonString("w"))), caller, null);
            set.realms.giveBack(realm, execution.realmReusable());
            if (result.error() != null) {
                LOG.debug("warm-up stopped: {}", result.error().message());
                return;
            }
            rounds++;
        }
        LOG.debug("warmed the function engine: {} rounds ({} through the call path, {} while the JIT compiler was busy) in {} ms"
                + " ({} ms of its thread's CPU)", rounds, callPathRounds, Math.max(0, rounds - ROUNDS), (System.nanoTime() - start) / 1_000_000,
                (cpuNanos() - cpuStart) / 1_000_000);
    }
}
