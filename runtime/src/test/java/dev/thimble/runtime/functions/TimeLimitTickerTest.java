package dev.thimble.runtime.functions;

import dev.thimble.testing.ManualTicker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.thimble.runtime.functions.Functions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time limit is measured on the engine's ticker: a test moves it past the limit instead of
 * waiting the limit out, and a function is not stopped before its ticker says so however long it
 * really takes.
 */
class TimeLimitTickerTest {
    /** Far longer than any test waits in real time: only the ticker can make it pass. */
    private static final Duration LIMIT = Duration.ofMinutes(10);
    private static final ManualTicker TICKER = new ManualTicker();
    private static FunctionEngine engine;
    /** Each execution as it starts: its deadline is set by then, so the ticker may move. */
    private static final BlockingQueue<ExecutionHandle> STARTED = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                .function("waitsForever", "exports = function() { return new Promise(() => { setTimeout(() => {}, 3600000); }); };")
                .function("spin", "exports = function() {\n  while (true) {}\n};")
                .build()).limits(Functions.TEST_LIMITS).ticker(TICKER).build();
        engine.observe(new ExecutionObserver() {
            @Override
            public void started(ExecutionHandle e) {
                STARTED.add(e);
            }

            @Override
            public void finished(ExecutionHandle e, FunctionResult result) {
            }
        });
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void aPendingFunctionIsStoppedWhenTheTickerPassesItsLimit() throws Exception {
        CompletableFuture<FunctionResult> running = CompletableFuture.supplyAsync(() ->
                engine.execute("waitsForever", List.of(), ExecutionRequest.asUser(ALICE).withTimeLimit(LIMIT)));
        assertThat(STARTED.poll(30, TimeUnit.SECONDS)).as("the function started").isNotNull();
        assertThat(running).as("not stopped while the ticker stands still").isNotDone();

        TICKER.advance(LIMIT.plusSeconds(1));
        FunctionResult result = running.get(60, TimeUnit.SECONDS);
        assertThat(result.error()).isEqualTo(FunctionError.of(FunctionError.Kind.TIME_LIMIT,
                "Function waitsForever exceeded its time limit of 600000 ms"));
    }

    @Test
    void aSpinningFunctionIsStoppedWhenTheTickerPassesItsLimit() throws Exception {
        CompletableFuture<FunctionResult> running = CompletableFuture.supplyAsync(() ->
                engine.execute("spin", List.of(), ExecutionRequest.asUser(ALICE).withTimeLimit(LIMIT)));
        assertThat(STARTED.poll(30, TimeUnit.SECONDS)).as("the function started").isNotNull();
        assertThat(running).isNotDone();

        TICKER.advance(LIMIT.plusSeconds(1));
        FunctionResult result = running.get(60, TimeUnit.SECONDS);
        assertThat(result.error().kind()).isEqualTo(FunctionError.Kind.TIME_LIMIT);
    }
}
