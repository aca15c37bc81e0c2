package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import org.bson.BsonInt32;
import org.bson.BsonValue;

import java.util.Arrays;
import java.util.List;

/**
 * Measures a warm entry call of a trivial function ({@code sum(i, 2)}) through {@link FunctionEngine#execute}, in place on
 * a request-thread kind of thread, as a client's call runs (decision records 0041, 0052). Two engines of one build are
 * measured in interleaved blocks, who goes first alternating: "before" built with the system property
 * {@code measure.property} (default {@code thimble.functions.oneCrossing}) set to false, "after" with it true; each
 * block reports p50, p90 and the thread's CPU per call. {@code -Dmeasure.shape=async} measures an async function
 * returning a document instead. Not a unit test: run it by hand.
 *
 * <pre>
 * mvn -o -q -pl runtime test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/fn-cp.txt
 * java -cp runtime/target/classes:runtime/target/test-classes:$(cat /tmp/fn-cp.txt) \
 *   dev.thimble.runtime.functions.CallPathMeasurement [calls per block] [blocks]
 * </pre>
 */
public final class CallPathMeasurement {
    private static final String SUM = "exports = function(a, b) { return a + b; };\n";
    /** {@code -Dmeasure.shape=async}: an async function returning a document, as a database-reading function does. */
    private static final String ASYNC = "exports = async function(a, b) { const doc = await Promise.resolve({ _id: a, text: 'item ' + b });"
            + " return { ...doc, owner: context.user.id }; };\n";

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Thread runner = ExecutionThreads.thread(() -> measure(calls, blocks), "measurement", FunctionLimits.defaults().stackSizeBytes());
        runner.start();
        runner.join();
        System.exit(0);
    }

    private static void measure(int calls, int blocks) {
        boolean async = "async".equals(System.getProperty("measure.shape"));
        var app = TestApp.app().function("sum", async ? ASYNC : SUM).build();
        String property = System.getProperty("measure.property", "thimble.functions.oneCrossing");
        FunctionEngine before = engine(app, property, "false");
        FunctionEngine after = engine(app, property, "true");
        ExecutionRequest request = ExecutionRequest.asUser(Principal.normal("5f0000000000000000000001"));
        long[][] all = new long[2][];
        for (int block = 0; block < blocks; block++) {
            for (int turn = 0; turn < 2; turn++) {
                int which = (block + turn) % 2; // who goes first alternates, so neither gains from the other's warming
                FunctionEngine engine = which == 0 ? before : after;
                long[] samples = new long[calls];
                long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    long t = System.nanoTime();
                    FunctionResult result = engine.execute("sum", List.<BsonValue>of(new BsonInt32(i), new BsonInt32(2)), request);
                    samples[i] = System.nanoTime() - t;
                    if (!result.succeeded() || (!async && result.value().asInt32().getValue() != i + 2)) {
                        throw new IllegalStateException("wrong answer: " + result);
                    }
                }
                long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
                Arrays.sort(samples);
                if (block > 0) { // the first block of each is warm-up
                    all[which] = all[which] == null ? samples : concat(all[which], samples);
                }
                System.out.printf("block %d %-6s p50 %7.1f us  p90 %7.1f us  thread CPU %7.1f us/call%n", block, which == 0 ? "before" : "after",
                        samples[calls / 2] / 1e3, samples[calls * 9 / 10] / 1e3, cpu / 1e3 / calls);
            }
        }
        for (int which = 0; which < 2; which++) {
            long[] s = all[which];
            Arrays.sort(s);
            System.out.printf("%-6s all blocks p50 %7.1f us  p90 %7.1f us%n", which == 0 ? "before" : "after", s[s.length / 2] / 1e3, s[s.length * 9 / 10] / 1e3);
        }
        before.close();
        after.close();
    }

    private static FunctionEngine engine(dev.thimble.runtime.app.AppModel app, String property, String value) {
        System.setProperty(property, value);
        try {
            return FunctionEngine.builder(app).build();
        } finally {
            System.clearProperty(property);
        }
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
