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
 * Warms a new app version's engine path off the request path (decision record 0030): pre-creates
 * realms and runs a built-in function of the engine's own through {@link Execution} in them, so that
 * the interpreter's specializations and the JVM's compiled code for the bridge, the argument and result
 * conversions, promises, console and BSON exist before the first request. The app's own functions
 * are not run (they may have side effects); their wrappers are evaluated in each realm.
 */
final class WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    /** Realms made ready ahead of the first calls. */
    static final int REALMS = 4;
    /** Rounds of the built-in function; stops earlier at {@link #BUDGET}. */
    static final int ROUNDS = 3000;
    static final Duration BUDGET = Duration.ofSeconds(20);
    /** How long the warm-up pauses while calls are being served. */
    private static final long YIELD_MILLIS = 50;
    private static final String SOURCE = """
            exports = async function(a, b) {
              const doc = { a, b, sum: a + b, when: new Date(0), id: new BSON.ObjectId(), tags: ['x', 'y'], nested: { n: null, f: 1.5 } };
              console.log('warm-up', a);
              const copy = EJSON.parse(EJSON.stringify(doc));
              const keys = Object.keys(copy).sort().join(',');
              return await Promise.resolve({ doc, keys, user: context.user.id, list: [a, b].map((x) => x * 2) });
            };""";

    private final FunctionEngine.Seams seams;
    private final FunctionLimits limits;

    WarmUp(FunctionEngine.Seams seams, FunctionLimits limits) {
        this.seams = seams;
        this.limits = limits;
    }

    /**
     * @param stale   the version was replaced or the engine closed: stop
     * @param serving calls are being served: wait (they warm the path themselves, and need the CPU)
     */
    void run(FunctionSet set, BooleanSupplier stale, BooleanSupplier serving) {
        long start = System.nanoTime();
        CompiledFunction fn = new CompiledFunction(new FunctionDef(Json.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("name", "thimble-warm-up").put("private", true)), SOURCE),
                JsRuntime.functionSource("thimble/warm-up.js", java.net.URI.create("thimble:/warm-up.js"), SOURCE), null, null, null);
        set.realms.prefill(REALMS, limits.statementLimit(), realm -> set.functions.values().forEach(f -> {
            if (f.problem() == null) {
                try {
                    realm.factory(f.source());
                } catch (RuntimeException e) {
                    // the call reports it, if the function is ever called
                }
            }
        }));
        long deadline = start + BUDGET.toNanos();
        int rounds = 0;
        Caller caller = Caller.user(Principal.normal("000000000000000000000000"));
        while (rounds < ROUNDS && System.nanoTime() < deadline && !stale.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            if (serving.getAsBoolean()) {
                try {
                    Thread.sleep(YIELD_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            Realm realm = set.realms.take(limits.statementLimit());
            Execution execution = new Execution(seams, set, realm, fn.name(), RequestInfo.NONE, limits.timeLimit(),
                    limits.statementLimit(), limits.logCapChars());
            FunctionResult result = execution.run(fn, new BsonArray(List.of(new BsonInt32(rounds), new BsonString("w"))), caller, null);
            set.realms.giveBack(realm, execution.realmReusable());
            if (result.error() != null) {
                LOG.debug("warm-up stopped: {}", result.error().message());
                return;
            }
            rounds++;
        }
        LOG.debug("warmed the function engine: {} rounds in {} ms", rounds, (System.nanoTime() - start) / 1_000_000);
    }
}
