package dev.thimble.runtime.javascript;

import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The GraalJS engines of the process: one shared engine (sandbox policy CONSTRAINED) that every app's
 * functions and the fallback parser use unless given their own, plus engines made for a debugger. The
 * first engine of a JVM costs Truffle's and the JavaScript language's start (seconds on a cold JVM), so
 * a process makes it once (decision 0023: start-up warms exactly this one).
 */
public final class GraalEngines {
    private static final Logger LOG = LoggerFactory.getLogger(GraalEngines.class);

    /** Engines made for a debugger ({@link #newDebugEngine()}), so their contexts get the matching policy. */
    private static final Set<Engine> DEBUG_ENGINES = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private static final class Shared {
        static final Engine ENGINE = announced(newEngine());
    }

    private GraalEngines() {
    }

    /** The process-wide engine (made on first use; a class initialisation, so concurrent callers wait for one). */
    public static Engine shared() {
        return Shared.ENGINE;
    }

    /** A new engine with sandbox policy CONSTRAINED, configured as the shared one; close it yourself. */
    public static Engine newEngine() {
        return newEngine(SandboxPolicy.CONSTRAINED);
    }

    /**
     * An engine a Truffle debugger may attach to: the debugger refuses sandbox policies above TRUSTED, so
     * it runs with TRUSTED and its contexts keep the same explicit restrictions
     * ({@link SandboxedContexts}), which is all CONSTRAINED adds a check for.
     */
    public static Engine newDebugEngine() {
        Engine engine = newEngine(SandboxPolicy.TRUSTED);
        DEBUG_ENGINES.add(engine);
        return engine;
    }

    /** True for an engine made by {@link #newDebugEngine()}. */
    public static boolean isDebugEngine(Engine engine) {
        return DEBUG_ENGINES.contains(engine);
    }

    /** True when the engine compiles hot code (Truffle on a JVM with the Graal compiler), false when it only interprets. */
    public static boolean isOptimizing(Engine engine) {
        return !"Interpreted".equals(engine.getImplementationName());
    }

    private static Engine newEngine(SandboxPolicy policy) {
        return Engine.newBuilder("js")
                .sandbox(policy)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
    }

    /** Says once per process which GraalJS runtime functions run on: CPU-heavy code runs several times faster compiled (bench/results/functions*.md). */
    private static Engine announced(Engine engine) {
        LOG.info(announcement(engine));
        return engine;
    }

    /** The log line that says which runtime this engine's functions run on, and how to get the other. */
    public static String announcement(Engine engine) {
        return announcement(isOptimizing(engine), engine.getImplementationName(), fallbackChosen());
    }

    /**
     * Whether this JVM was started to run GraalJS interpreter-only although the Graal compiler may be loadable
     * ({@code -Dtruffle.UseFallbackRuntime=true}): the servers' default (decision 0077), where the compiler cost more CPU
     * and memory than it saved; {@code THIMBLE_JIT=on} leaves the property out.
     */
    public static boolean fallbackChosen() {
        return Boolean.getBoolean("truffle.UseFallbackRuntime");
    }

    private static String announcement(boolean optimizing, String implementation, boolean fallbackChosen) {
        if (optimizing) {
            return "Functions run on GraalJS with the optimizing compiler (" + implementation + ")";
        }
        if (fallbackChosen) {
            return "Functions run on GraalJS interpreter-only, the servers' default (decision 0077): less CPU and memory for "
                    + "short functions, CPU-heavy functions several times slower; THIMBLE_JIT=on compiles them";
        }
        return "Functions run on GraalJS interpreter-only (no Graal compiler on this JVM): CPU-heavy functions run "
                + "several times slower; ./thimble enables the compiler on the JDK it was built for (decision 0009)";
    }
}
