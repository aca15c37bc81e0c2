package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures what decision record 0004 compares: a fresh Context per execution (what the engine does)
 * against one reused Context, plus the raw cost of a Context on a shared Engine. Not a unit test.
 *
 * <pre>
 * cd /work/wt/functions && JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -o -q -pl runtime test-compile \
 *   dependency:build-classpath -Dmdep.outputFile=/tmp/fn-cp.txt
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp runtime/target/classes:runtime/target/test-classes:$(cat /tmp/fn-cp.txt) \
 *   dev.thimble.runtime.functions.ContextLifetimeMeasurement [iterations]
 * </pre>
 */
public final class ContextLifetimeMeasurement {
    private static final String SOURCE = "exports = async function(doc, n) {\n"
            + "  const out = { name: doc.name.toUpperCase(), n: n + 1, at: new Date(0) };\n"
            + "  console.log('called with', doc);\n"
            + "  return out;\n"
            + "};\n";

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        List<BsonValue> callArgs = List.of(new BsonDocument("name", new BsonString("thimble")), new BsonInt32(41));

        long t0 = System.nanoTime();
        Engine engine = FunctionEngine.sharedGraalEngine();
        long engineStart = System.nanoTime() - t0;

        var app = TestApp.app().function("measure", SOURCE).function("trivial", "exports = function(a) { return a; };").build();
        try (FunctionEngine functions = FunctionEngine.builder(app).graalEngine(engine).build()) {
            long t1 = System.nanoTime();
            FunctionResult first = functions.execute("measure", callArgs, ExecutionRequest.asSystem());
            long firstCall = System.nanoTime() - t1;
            if (!first.succeeded()) {
                throw new IllegalStateException(first.error().describe());
            }
            System.out.printf("JVM %s, %d cores, interpreter-only GraalJS %s%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), engine.getVersion());
            System.out.printf("first Engine: %.1f ms; first execution (engine load incl. parse + call): %.1f ms%n",
                    engineStart / 1e6, firstCall / 1e6);

            report("A fresh Context per execution (FunctionEngine.execute, async fn)", iterations,
                    () -> functions.execute("measure", callArgs, ExecutionRequest.asSystem()));
            report("A' same, trivial sync fn", iterations,
                    () -> functions.execute("trivial", List.of(new BsonInt32(1)), ExecutionRequest.asSystem()));
        }

        Source trivial = Source.newBuilder("js", "(function(a){ return a + 1; })", "trivial.js").cached(true).buildLiteral();
        report("C raw: new sandboxed Context + cached source + call + close", iterations, () -> {
            Context c = JsRuntime.newContext(engine, 0);
            c.eval(trivial).execute(1);
            c.close();
        });
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        report("C'' raw + bootstrap on a pool thread", iterations, () -> { try { pool.submit(() -> {
            Context c = JsRuntime.newContext(engine, 0);
            c.eval(JsRuntime.bootstrap()).execute(minimalHost());
            c.eval(trivial).execute(1);
            c.close(); }).get(); } catch (Exception e) { throw new RuntimeException(e); } });
        report("C' raw: + bootstrap run", iterations, () -> {
            Context c = JsRuntime.newContext(engine, 0);
            c.eval(JsRuntime.bootstrap()).execute(minimalHost());
            c.eval(trivial).execute(1);
            c.close();
        });

        // B: one Context, bootstrapped and bound once; each call only converts, calls and awaits.
        Context reused = JsRuntime.newContext(engine, 0);
        Value api = reused.eval(JsRuntime.bootstrap()).execute(minimalHost());
        Value ctx = api.invokeMember("makeContext", ProxyObject.fromMap(new HashMap<>(Map.of(
                "system", true, "userWire", (ProxyExecutable) a -> Wire.toWire(Principal.SYSTEM.toContextUser())))));
        Value fn = reused.eval(JsRuntime.functionSource("functions/measure/source.js",
                java.net.URI.create("thimble:/m/functions/measure/source.js"), SOURCE)).execute(ctx);
        String wireArgs = Wire.toWire(new org.bson.BsonArray(callArgs));
        Value[] settled = new Value[1];
        ProxyExecutable onOk = a -> {
            settled[0] = a[0];
            return null;
        };
        report("B one reused Context (convert + call + await + convert)", iterations, () -> {
            Value result = api.invokeMember("apply", fn, api.invokeMember("fromWire", wireArgs));
            api.invokeMember("settle", result, onOk, onOk);
            Wire.fromWire(api.invokeMember("toWireValue", settled[0]).asString());
        });
        reused.close();

        // The statement limit's cost, and the interpreter's statement rate (to size the backstop).
        Source loop = Source.newBuilder("js", "(function(){ let s = 0; for (let i = 0; i < 1000000; i++) { s += i; } return s; })()",
                "loop.js").cached(true).buildLiteral();
        for (long limit : new long[]{0, Long.MAX_VALUE / 2}) {
            report("D 1e6-iteration loop in a fresh Context, statement limit " + (limit == 0 ? "off" : "on"), Math.max(20, iterations / 50), () -> {
                Context c = JsRuntime.newContext(engine, limit);
                c.eval(loop);
                c.close();
            });
        }
        System.exit(0);
    }

    private static ProxyObject minimalHost() {
        Map<String, Object> host = new HashMap<>();
        host.put("log", (ProxyExecutable) a -> null);
        host.put("appWire", (ProxyExecutable) a -> Wire.toWire(new BsonDocument()));
        host.put("requestWire", (ProxyExecutable) a -> Wire.toWire(new BsonDocument()));
        host.put("environmentJson", (ProxyExecutable) a -> "{\"tag\":\"\",\"values\":{}}");
        host.put("servicesJson", (ProxyExecutable) a -> "{}");
        return ProxyObject.fromMap(host);
    }

    private static void report(String label, int iterations, Runnable body) {
        int warmup = Math.max(Math.min(200, iterations), iterations / 2);
        for (int i = 0; i < warmup; i++) {
            body.run();
        }
        long[] samples = new long[iterations];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            body.run();
            samples[i] = System.nanoTime() - t;
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        Arrays.sort(samples);
        System.out.printf("%-72s wall p50 %8.1f us  p10 %8.1f us  p90 %8.1f us | process CPU %8.1f us/op (n=%d)%n", label,
                samples[iterations / 2] / 1e3, samples[iterations / 10] / 1e3, samples[iterations * 9 / 10] / 1e3,
                cpu / 1e3 / iterations, iterations);
    }
}
