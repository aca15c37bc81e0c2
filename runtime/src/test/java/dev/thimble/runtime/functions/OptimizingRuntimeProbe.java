package dev.thimble.runtime.functions;

import org.bson.BsonInt32;

import java.time.Duration;
import java.util.List;

/**
 * Runs functions the way {@code ./thimble} runs them with the Graal compiler (OptimizingRuntimeTest
 * starts it so), and prints what happened as {@code key=value} lines: which runtime the shared
 * engine is, a CPU-heavy function's answer and timings, and that the sandbox and the time limit
 * still hold under compiled code. Its argument: how many rounds of the CPU-heavy function (40).
 */
public final class OptimizingRuntimeProbe {
    static final String CPU = """
            exports = function(n) {
              let s = 0;
              for (let i = 0; i < n; i++) { s = (s + Math.sqrt(i) * (i % 7)) % 1000003; }
              return Math.floor(s);
            };
            """;

    public static void main(String[] args) {
        var app = TestApp.app()
                .function("cpu", CPU)
                .function("spin", "exports = function() { let i = 0; while (true) { i = (i + 1) % 7; } };")
                .function("escape", "exports = function() { return Java.type('java.lang.System').getenv('HOME'); };")
                .build();
        int exit = 0;
        try (FunctionEngine engine = FunctionEngine.builder(app)
                .limits(FunctionLimits.defaults().withTimeLimit(Duration.ofSeconds(2))).build()) {
            var shared = FunctionEngine.sharedGraalEngine();
            System.out.println("optimizing=" + JsRuntime.isOptimizing(shared));
            System.out.println("announcement=" + dev.thimble.runtime.javascript.GraalEngines.announcement(shared));
            int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
            long first = 0;
            long last = 0;
            String answer = "";
            for (int round = 0; round < rounds; round++) {
                FunctionResult r = engine.execute("cpu", List.of(new BsonInt32(300_000)), ExecutionRequest.asSystem());
                answer = r.error() == null ? r.value().toString() : r.error().describe();
                long millis = r.duration().toMillis();
                if (round == 0) {
                    first = millis;
                }
                last = millis;
            }
            System.out.println("cpu.answer=" + answer);
            System.out.println("cpu.firstMillis=" + first);
            System.out.println("cpu.lastMillis=" + last);
            FunctionResult spin = engine.execute("spin", List.of(), ExecutionRequest.asSystem());
            System.out.println("spin.kind=" + (spin.error() == null ? "none" : spin.error().kind()));
            System.out.println("spin.millis=" + spin.duration().toMillis());
            FunctionResult escape = engine.execute("escape", List.of(), ExecutionRequest.asSystem());
            System.out.println("escape.kind=" + (escape.error() == null ? "none: " + escape.value() : escape.error().kind()));
            System.out.println("escape.message=" + (escape.error() == null ? "" : escape.error().message()));
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            exit = 1;
        }
        System.exit(exit);
    }
}
