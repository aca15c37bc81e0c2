package dev.thimble.runtime.functions;

import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hint a server's operator gets when a function is CPU-heavy on the servers' interpreter-only default (decision
 * 0077): measured on the thread that ran the call, said once per function after its second such call, never for a
 * short call or one that only waits.
 */
class InterpreterHintTest {
    private static final String HEAVY = """
            exports = function(n) {
              let s = 0;
              for (let i = 0; i < n; i++) { s = (s + Math.sqrt(i) * (i % 7)) % 1000003; }
              return Math.floor(s);
            };
            """;
    private static final String WAITS = "exports = function() { return new Promise((resolve) => setTimeout(() => resolve(1), 300)); };";

    private final List<String> said = new CopyOnWriteArrayList<>();

    private static void call(FunctionEngine engine, String function) {
        FunctionResult r = engine.execute(function, List.of(new BsonInt32(400_000)), ExecutionRequest.asSystem());
        assertThat(r.error()).isNull();
    }

    @Test
    void aFunctionThatSpendsLongOnTheCpuIsNamedOnceAfterItsSecondSuchCall() {
        var app = TestApp.app().function("heavy", HEAVY).function("other", HEAVY).build();
        try (FunctionEngine engine = FunctionEngine.builder(app).interpreterHint(new InterpreterHint("shop", 5, said::add)).build()) {
            call(engine, "heavy");
            assertThat(said).as("a first call may spend its time once (a module's load)").isEmpty();
            call(engine, "heavy");
            call(engine, "heavy");
            call(engine, "other");
            call(engine, "other");
        }
        assertThat(said).hasSize(2);
        assertThat(said.get(0)).contains("'heavy'", "app shop", "THIMBLE_JIT=on", "decision 0077").containsPattern("used \\d+ ms of CPU");
        assertThat(said.get(1)).contains("'other'");
    }

    @Test
    void waitingIsNotCpuTimeAndAnOffHintSaysNothing() {
        var app = TestApp.app().function("waits", WAITS).build();
        try (FunctionEngine engine = FunctionEngine.builder(app).interpreterHint(new InterpreterHint("shop", 150, said::add)).build()) {
            for (int i = 0; i < 3; i++) {
                FunctionResult r = engine.execute("waits", List.of(), ExecutionRequest.asSystem());
                assertThat(r.error()).isNull();
                assertThat(r.duration().toMillis()).isGreaterThanOrEqualTo(300);
            }
        }
        var heavy = TestApp.app().function("heavy", HEAVY).build();
        try (FunctionEngine engine = FunctionEngine.builder(heavy).interpreterHint(new InterpreterHint("shop", 0, said::add)).build()) {
            for (int i = 0; i < 3; i++) {
                call(engine, "heavy");
            }
        }
        assertThat(said).isEmpty();
    }

    @Test
    void theHintIsOffForAnEngineThatInterpretsWithoutTheServersChoice() {
        // the test JVM runs GraalJS from the class path without -Dtruffle.UseFallbackRuntime: no compiler to point to
        assertThat(InterpreterHint.forEngine(FunctionEngine.sharedGraalEngine(), "shop").started()).isZero();
    }
}
