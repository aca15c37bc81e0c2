package dev.thimble.runtime.functions;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.ManualTicker;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.thimble.runtime.functions.Functions.ALICE;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/** The seam a debugger uses: switching Engines while serving, observing executions, pausing the clock, stopping. */
class DebuggerSeamTest {

    private static AppModel app() {
        return TestApp.app()
                .function("hello", "exports = function(name) { return 'hello ' + name; };")
                .function("spin", "exports = function(ms) { const end = Date.now() + ms; while (Date.now() < end) {} return 'done'; };")
                .build();
    }

    @Test
    void switchingEnginesKeepsServingAndRunningExecutionsFinishWhereTheyStarted() throws Exception {
        try (FunctionEngine engine = FunctionEngine.builder(app()).limits(Functions.TEST_LIMITS).build();
             Engine debug = FunctionEngine.newDebugGraalEngine()) {
            CompletableFuture<FunctionResult> running = CompletableFuture.supplyAsync(() -> Functions.run(engine, "spin", new BsonInt32(800)));
            Eventually.await(Duration.ofSeconds(30), "the spin runs on the first engine", () -> engine.runningExecutions() > 0);

            engine.switchGraalEngine(debug, true);

            assertThat(engine.graalEngine()).isSameAs(debug);
            assertThat(value(engine, "hello", new BsonString("Ann"))).isEqualTo(new BsonString("hello Ann"));
            assertThat(running.get(30, TimeUnit.SECONDS).value()).isEqualTo(new BsonString("done"));
            engine.switchGraalEngine(FunctionEngine.sharedGraalEngine(), false);
            assertThat(value(engine, "hello", new BsonString("Bea"))).isEqualTo(new BsonString("hello Bea"));
        }
    }

    @Test
    void anObserverSeesEachEntryExecutionWithItsOriginOnItsThread() {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (FunctionEngine engine = FunctionEngine.builder(app()).limits(Functions.TEST_LIMITS).build()) {
            engine.observe(new ExecutionObserver() {
                @Override
                public void started(ExecutionHandle e) {
                    seen.add("started " + e.functionName() + " " + e.origin().kind() + " " + e.caller().userId() + " " + e.arguments().getValues()
                            + " same thread " + (e.thread() == Thread.currentThread()));
                }

                @Override
                public void finished(ExecutionHandle e, FunctionResult result) {
                    seen.add("finished " + e.functionName() + " " + result.value());
                }
            });
            engine.execute("hello", List.of(new BsonString("Cy")), ExecutionRequest.asUser(ALICE)
                    .withOrigin(ExecutionOrigin.of(ExecutionOrigin.Kind.CONSOLE, "console")));
            engine.observe(null);
            Functions.run(engine, "hello", new BsonString("not seen"));
        }
        assertThat(List.copyOf(seen)).containsExactly(
                "started hello CONSOLE alice-id [BsonString{value='Cy'}] same thread true",
                "finished hello BsonString{value='hello Cy'}");
    }

    @Test
    void timeSpentWithTheClockPausedDoesNotCountAgainstTheTimeLimit() {
        ManualTicker ticker = new ManualTicker();
        try (FunctionEngine engine = FunctionEngine.builder(app()).limits(Functions.TEST_LIMITS).ticker(ticker).build()) {
            engine.observe(new ExecutionObserver() {
                @Override
                public void started(ExecutionHandle e) {
                    e.pauseClock();
                    ticker.advance(Duration.ofSeconds(30)); // a developer looking at a breakpoint
                    e.resumeClock();
                }

                @Override
                public void finished(ExecutionHandle e, FunctionResult result) {
                }
            });
            FunctionResult result = engine.execute("spin", List.of(new BsonInt32(300)),
                    ExecutionRequest.asUser(ALICE).withTimeLimit(Duration.ofMillis(2000)));
            assertThat(result.error()).isNull();
        }
    }

    @Test
    void theTimeLimitStillStopsAFunctionThatWasNeverPaused() {
        try (FunctionEngine engine = FunctionEngine.builder(app()).limits(Functions.TEST_LIMITS).build()) {
            FunctionResult result = engine.execute("spin", List.of(new BsonInt32(5000)),
                    ExecutionRequest.asUser(ALICE).withTimeLimit(Duration.ofMillis(400)));
            assertThat(result.error().kind()).isEqualTo(FunctionError.Kind.TIME_LIMIT);
        }
    }

    @Test
    void aFunctionStoppedByTheDebuggerTellsItsCallerSo() throws Exception {
        BlockingQueue<ExecutionHandle> started = new LinkedBlockingQueue<>();
        try (FunctionEngine engine = FunctionEngine.builder(app()).limits(Functions.TEST_LIMITS).build()) {
            engine.observe(new ExecutionObserver() {
                @Override
                public void started(ExecutionHandle e) {
                    started.add(e);
                }

                @Override
                public void finished(ExecutionHandle e, FunctionResult result) {
                }
            });
            CompletableFuture<FunctionResult> result = CompletableFuture.supplyAsync(() -> Functions.run(engine, "spin", new BsonInt32(10_000)));
            ExecutionHandle handle = started.poll(30, TimeUnit.SECONDS);
            Thread.sleep(200);

            handle.stopByDebugger(true);

            FunctionError error = result.get(30, TimeUnit.SECONDS).error();
            assertThat(error.kind()).isEqualTo(FunctionError.Kind.STOPPED);
            assertThat(error.message()).isEqualTo("Function spin was stopped in the debugger");
        }
    }
}
