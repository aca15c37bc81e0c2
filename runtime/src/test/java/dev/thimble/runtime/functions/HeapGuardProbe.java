package dev.thimble.runtime.functions;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

/**
 * Runs a guest allocation loop next to a victim, in whatever JVM it is started in (HeapGuardTest
 * starts it with a small heap), with the engine's default heap guard, and prints what happened as
 * {@code key=value} lines.
 */
public final class HeapGuardProbe {
    public static void main(String[] args) {
        var app = TestApp.app()
                .function("ping", UnderAttack.PING_SOURCE)
                .function("hog", "exports = function() {\n  const keep = [];\n  while (true) keep.push(new Array(100000).fill(1.5));\n};")
                .build();
        int exit = 0;
        try (FunctionEngine engine = FunctionEngine.builder(app)
                .limits(FunctionLimits.defaults().withTimeLimit(Duration.ofSeconds(60))).build()) {
            engine.execute("ping", List.of(), ExecutionRequest.asSystem());
            UnderAttack.Outcome<FunctionResult> outcome = UnderAttack.run(engine,
                    () -> engine.execute("hog", List.of(), ExecutionRequest.asSystem()));
            FunctionResult hog = outcome.attack();
            System.out.println("attack.kind=" + (hog.error() == null ? "none" : hog.error().kind()));
            System.out.println("attack.message=" + (hog.error() == null ? "" : hog.error().message()));
            System.out.println("attack.millis=" + hog.duration().toMillis());
            System.out.println("victim.answers=" + outcome.victimMillis().size());
            System.out.println("victim.failures=" + outcome.victimFailures().size());
            System.out.println("victim.failureMessages=" + String.join(" | ", outcome.victimFailures()).replace('\n', ' '));
            System.out.println("victim.worstMillis=" + outcome.worstMillis());
            System.out.println("after=" + engine.execute("ping", List.of(), ExecutionRequest.asSystem()).value().asString().getValue());
            System.gc();
            System.out.println("heapUsedAfterGcMB=" + (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20));
            System.out.println("maxHeapMB=" + (Runtime.getRuntime().maxMemory() >> 20));
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            exit = 1;
        }
        System.exit(exit);
    }
}
