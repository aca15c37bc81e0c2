package dev.thimble.runtime.functions;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Whether the JVM's JIT compiler is still busy, judged from its accumulated compilation time over windows of
 * {@link #WINDOW_NANOS}: busy while it compiled for at least {@link #BUSY_SHARE} of the last full window. The
 * start-time warm-up runs on while it is (decision 0078): with the servers' optimizing compiler alone
 * ({@code -XX:-TieredCompilation}) the code the warm-up's rounds made hot is still being compiled for tens of seconds
 * after the rounds, and the first calls after them ran at 2-3x the warm speed, the compiler's thread taking the other
 * core. Rounds that go on while it compiles reach the methods still below its threshold, and the warm-up ends once
 * the call path is compiled. A JVM that compiles in tiers is never busy here (see {@link #ofThisJvm}).
 */
final class JitActivity {
    /** The window the compiler's share is measured over. */
    static final long WINDOW_NANOS = 1_000_000_000L;
    /** The share of a window spent compiling that counts as busy. */
    static final double BUSY_SHARE = 0.2;

    private final LongSupplier compileMillis;
    private final LongSupplier nanoTime;
    private long windowStart;
    private long compiledAtWindowStart;
    private boolean busy;

    /**
     * @param compileMillis the compiler's accumulated compilation time in ms, or null where the JVM cannot tell
     *                      (then it is never busy)
     * @param nanoTime      the clock the windows are measured on
     */
    JitActivity(LongSupplier compileMillis, LongSupplier nanoTime) {
        this.compileMillis = compileMillis;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
        this.compiledAtWindowStart = compileMillis == null ? 0 : compileMillis.getAsLong();
    }

    /**
     * This JVM's JIT compiler, measured on {@link System#nanoTime}, when it is C2 alone (the servers', decision 0078);
     * never busy with tiers (the window's C1, a test JVM: what was measured there ended the warm-up as before) or with
     * {@code -Dthimble.functions.warmUpWhileCompiling=false} (the warm-up ends after its rounds: for A/B measurements).
     */
    static JitActivity ofThisJvm() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported() && !tiered()
                && !"false".equals(System.getProperty("thimble.functions.warmUpWhileCompiling"));
        return new JitActivity(measurable ? jit::getTotalCompilationTime : null, System::nanoTime);
    }

    /** Whether this JVM compiles in tiers (C1 then C2, or C1 alone); true where it cannot tell. */
    static boolean tiered() {
        try {
            return !"false".equals(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("TieredCompilation").getValue());
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * Whether the compiler spent at least {@link #BUSY_SHARE} of the last full window compiling; a window closes at the
     * first call after it ends, so call this as often as convenient. False until the first window closed.
     */
    boolean busy() {
        if (compileMillis == null) {
            return false;
        }
        long now = nanoTime.getAsLong();
        long elapsed = now - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            long compiled = compileMillis.getAsLong();
            busy = (compiled - compiledAtWindowStart) * 1_000_000.0 >= BUSY_SHARE * elapsed;
            windowStart = now;
            compiledAtWindowStart = compiled;
        }
        return busy;
    }
}
