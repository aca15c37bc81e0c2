package dev.thimble.runtime.functions;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Decision 0078: the start-time warm-up goes on past its rounds while the JIT compiler is busy. */
class JitActivityTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(5 * SECOND);
    private final AtomicLong compiledMillis = new AtomicLong(40_000);

    @Test
    void busyWhileTheCompilerSpendsAFifthOfAWindowCompilingQuietOnceItDoesNot() {
        JitActivity jit = new JitActivity(compiledMillis::get, clock::get);
        assertThat(jit.busy()).as("no window has closed yet").isFalse();

        compiledMillis.addAndGet(600);
        clock.addAndGet(SECOND / 2);
        assertThat(jit.busy()).as("half a window: not judged yet, whatever it compiled").isFalse();
        clock.addAndGet(SECOND / 2);
        assertThat(jit.busy()).as("600 ms of compiling in a 1 s window").isTrue();

        compiledMillis.addAndGet(250);
        clock.addAndGet(SECOND / 2);
        assertThat(jit.busy()).as("the answer holds until the next window closes").isTrue();
        clock.addAndGet(SECOND / 2);
        assertThat(jit.busy()).as("250 ms of 1 s").isTrue();

        compiledMillis.addAndGet(150);
        clock.addAndGet(SECOND);
        assertThat(jit.busy()).as("150 ms of 1 s: below a fifth").isFalse();

        compiledMillis.addAndGet(500);
        clock.addAndGet(3 * SECOND);
        assertThat(jit.busy()).as("500 ms over a 3 s window (the warm-up waited for requests meanwhile)").isFalse();

        compiledMillis.addAndGet(700);
        clock.addAndGet(3 * SECOND);
        assertThat(jit.busy()).as("700 ms over 3 s: above a fifth again").isTrue();
    }

    @Test
    void aJvmThatCannotTellItsCompilationTimeIsNeverBusy() {
        JitActivity jit = new JitActivity(null, clock::get);
        clock.addAndGet(2 * SECOND);
        assertThat(jit.busy()).isFalse();
    }

    @Test
    void tiersAreToldFromTheJvmsOwnOptions() {
        boolean withoutTiers = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-XX:-TieredCompilation");
        assertThat(JitActivity.tiered()).as("what the JVM was started with").isEqualTo(!withoutTiers);
    }
}
