package dev.thimble.runtime.functions;

import dev.thimble.runtime.javascript.GraalEngines;
import org.graalvm.polyglot.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Tells a server's operator, once per function, that a call spent long on the CPU while GraalJS only interprets because
 * the servers chose so (decision 0077): such a function runs several times faster with {@code THIMBLE_JIT=on}, and the
 * start-up line that says so is easy to miss. The CPU time is the calling thread's, from the call's start to its end:
 * an execution runs its JavaScript, promise jobs included, on that one thread, and time spent waiting for a database or
 * a fetch is not CPU time, so a slow service does not trigger it. It takes two such calls of a function: a first call
 * may spend its time once, loading a large module or parsing a big file.
 */
final class InterpreterHint {
    private static final Logger LOG = LoggerFactory.getLogger(InterpreterHint.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** {@code -Dthimble.functions.interpreterHintMillis}: CPU time of one call that earns the hint (0: never). */
    static final long DEFAULT_MILLIS = Long.getLong("thimble.functions.interpreterHintMillis", 200);

    private final String app;
    private final long thresholdNanos;
    private final Consumer<String> sink;
    /** Per function: how many calls went over the threshold, until the second (then the hint is said). */
    private final ConcurrentHashMap<String, Integer> over = new ConcurrentHashMap<>();

    InterpreterHint(String app, long thresholdMillis, Consumer<String> sink) {
        this.app = app;
        this.thresholdNanos = thresholdMillis > 0 && THREADS.isCurrentThreadCpuTimeSupported() ? thresholdMillis * 1_000_000 : 0;
        this.sink = sink;
    }

    /** On for an engine that interprets because Truffle's fallback runtime was chosen (the servers' default), off otherwise. */
    static InterpreterHint forEngine(Engine engine, String app) {
        boolean chosen = !GraalEngines.isOptimizing(engine) && GraalEngines.fallbackChosen();
        return new InterpreterHint(app, chosen ? DEFAULT_MILLIS : 0, LOG::warn);
    }

    /** The calling thread's CPU time now, to pass to {@link #finished}; 0 when off (no clock read). */
    long started() {
        return thresholdNanos > 0 ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /** After a call of {@code function} that began at {@code startedCpu} ({@link #started}) on this thread. */
    void finished(String function, long startedCpu) {
        if (thresholdNanos <= 0) {
            return;
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - startedCpu;
        if (cpu >= thresholdNanos && over.merge(function, 1, Integer::sum) == 2) {
            sink.accept("Function '" + function + "' of app " + app + " used " + cpu / 1_000_000 + " ms of CPU in one call on "
                    + "GraalJS's interpreter, which servers use by default (decision 0077): if the app's functions are "
                    + "CPU-heavy, start the server with THIMBLE_JIT=on, which compiles them and runs such code several "
                    + "times faster (said once per function)");
        }
    }
}
