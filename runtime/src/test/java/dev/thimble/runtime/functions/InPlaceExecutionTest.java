package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.thimble.runtime.functions.Functions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decision 0041: an entry execution requested from one of the request threads ({@link ExecutionThreads})
 * runs on that thread, with the same results, limits and isolation as on the engine's runner; anywhere
 * else, and for an entry call made while such a thread already runs one, it goes to a runner as before.
 * Where it ran is seen through the one seam an execution calls on its own thread: the user directory
 * ({@code run_as_user_id}).
 */
class InPlaceExecutionTest {
    private static final List<Thread> lookups = new CopyOnWriteArrayList<>();
    private static FunctionEngine engine;
    private static ExecutorService requestThreads;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                        .function("asBob", "{\"run_as_user_id\": \"bob-id\"}", "exports = function(a) { return a + 1; };")
                        .function("spins", "{\"run_as_user_id\": \"bob-id\"}", "exports = function() { while (true) {} };")
                        .function("keeps", "exports = function() { globalThis.leftBehind = 'x'; return typeof leftBehind; };")
                        .function("sees", "exports = function() { return typeof leftBehind; };")
                        .build())
                .users(id -> {
                    lookups.add(Thread.currentThread());
                    return Optional.of(Principal.normal(id));
                })
                .limits(Functions.TEST_LIMITS)
                .build();
        requestThreads = ExecutionThreads.pool("test-request-", 2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        requestThreads.shutdown();
        requestThreads.awaitTermination(30, TimeUnit.SECONDS);
        engine.close();
    }

    private static <T> T onRequestThread(java.util.concurrent.Callable<T> work) throws Exception {
        Future<T> future = requestThreads.submit(work);
        return future.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aCallFromARequestThreadRunsOnThatThread() throws Exception {
        lookups.clear();
        Object[] ran = onRequestThread(() -> new Object[]{Thread.currentThread(),
                engine.execute("asBob", List.of(new BsonInt32(41)), ExecutionRequest.asUser(ALICE))});
        FunctionResult result = (FunctionResult) ran[1];
        assertThat(result.error()).isNull();
        assertThat(result.value()).isEqualTo(new BsonInt32(42));
        assertThat(lookups).containsExactly((Thread) ran[0]);
    }

    @Test
    void aCallFromAnyOtherThreadRunsOnARunner() {
        lookups.clear();
        FunctionResult result = engine.execute("asBob", List.of(new BsonInt32(1)), ExecutionRequest.asUser(ALICE));
        assertThat(result.value()).isEqualTo(new BsonInt32(2));
        assertThat(lookups).hasSize(1);
        assertThat(lookups.getFirst()).isNotEqualTo(Thread.currentThread());
        assertThat(lookups.getFirst()).isNotInstanceOf(ExecutionThreads.Carrier.class);
    }

    @Test
    void theTimeLimitStopsACallRunningInPlaceAndTheThreadServesTheNextCall() throws Exception {
        FunctionResult stopped = onRequestThread(() -> engine.execute("spins", List.of(),
                ExecutionRequest.asUser(ALICE).withTimeLimit(Duration.ofMillis(300))));
        assertThat(stopped.error()).isNotNull();
        assertThat(stopped.error().kind()).isEqualTo(FunctionError.Kind.TIME_LIMIT);
        for (int i = 0; i < 4; i++) { // both threads of the pool, twice
            BsonInt32 argument = new BsonInt32(i);
            FunctionResult next = onRequestThread(() -> engine.execute("asBob", List.of(argument), ExecutionRequest.asUser(ALICE)));
            assertThat(next.value()).isEqualTo(new BsonInt32(i + 1));
        }
    }

    @Test
    void aCallInPlaceLeavesNothingForTheNextCall() throws Exception {
        FunctionResult kept = onRequestThread(() -> engine.execute("keeps", List.of(), ExecutionRequest.asUser(ALICE)));
        assertThat(kept.value().asString().getValue()).isEqualTo("string");
        for (int i = 0; i < 4; i++) {
            FunctionResult seen = onRequestThread(() -> engine.execute("sees", List.of(), ExecutionRequest.asUser(ALICE)));
            assertThat(seen.value().asString().getValue()).isEqualTo("undefined");
        }
    }

    @Test
    void anEntryCallMadeWhileARequestThreadRunsOneGoesToARunner() throws Exception {
        lookups.clear();
        // can_evaluate is asked on the execution's thread; this seam starts another entry execution from there
        try (FunctionEngine nesting = FunctionEngine.builder(TestApp.app()
                        .function("asBob", "{\"run_as_user_id\": \"bob-id\"}", "exports = function(a) { return a + 1; };")
                        .function("guarded", "{\"can_evaluate\": {\"%%true\": true}}", "exports = function() { return 'ran'; };")
                        .build())
                .users(id -> {
                    lookups.add(Thread.currentThread());
                    return Optional.of(Principal.normal(id));
                })
                .canEvaluate((fn, expression, arguments, caller, request) -> {
                    lookups.add(Thread.currentThread());
                    return engine.execute("asBob", List.of(new BsonInt32(1)), ExecutionRequest.asUser(ALICE)).error() == null;
                })
                .limits(Functions.TEST_LIMITS)
                .build()) {
            Object[] ran = onRequestThread(() -> new Object[]{Thread.currentThread(),
                    nesting.execute("guarded", List.of(), ExecutionRequest.asUser(ALICE))});
            FunctionResult result = (FunctionResult) ran[1];
            assertThat(result.error()).as(() -> result.error().describe()).isNull();
            assertThat(result.value().asString().getValue()).isEqualTo("ran");
            // the outer call ran in place (can_evaluate asked there); the inner one on a runner
            assertThat(lookups).hasSize(2);
            assertThat(lookups.get(0)).isSameAs(ran[0]);
            assertThat(lookups.get(1)).isNotSameAs(ran[0]);
        }
    }
}
