package dev.thimble.workbench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window gives the heap a burst of work left behind back once idle (decision 0068): never while the user works in
 * it or calls are being served, and not again until there is something to give back; the pause is paid only then.
 */
class IdleHeapTrimTest {
    private static final long MB = 1L << 20;

    /** A heap whose collections and old generation the test moves; a trim collects down to {@code live}. */
    private static final class FakeHeap implements IdleHeapTrim.Heap {
        long collections;
        long oldUsed = 60 * MB;
        long live = 60 * MB;
        int trims;

        @Override
        public long collections() {
            return collections;
        }

        @Override
        public long oldUsed() {
            return oldUsed;
        }

        @Override
        public void trim() {
            trims++;
            collections++;
            oldUsed = live;
        }

        /** Calls being served: young collections promote {@code promoted} bytes into the old generation. */
        void serve(long promoted) {
            collections += 5;
            oldUsed += promoted;
        }
    }

    private final FakeHeap heap = new FakeHeap();
    private long now = 1_000_000;
    private final IdleHeapTrim trim = new IdleHeapTrim(heap, () -> now, 3_000);

    private boolean checkAfter(long millis) {
        now += millis;
        return trim.check();
    }

    /** Checks once a second, as the window does, until a trim; the seconds that took (or -1 after {@code limit}). */
    private int secondsUntilTrim(int limit) {
        for (int second = 1; second <= limit; second++) {
            if (checkAfter(1_000)) {
                return second;
            }
        }
        return -1;
    }

    @Test
    void aBurstOfCallsIsTrimmedOnceTheWindowIsIdle() {
        trim.check();
        heap.serve(80 * MB);
        assertThat(secondsUntilTrim(60)).as("the check that sees the calls' collections, then 3 s without one").isEqualTo(4);
        assertThat(heap.trims).isEqualTo(1);
        assertThat(heap.oldUsed).isEqualTo(60 * MB);
    }

    @Test
    void neverWhileCallsKeepTheCollectorBusy() {
        trim.check();
        for (int second = 0; second < 30; second++) {
            heap.serve(4 * MB);
            assertThat(checkAfter(1_000)).isFalse();
        }
        assertThat(heap.trims).isZero();
    }

    @Test
    void neverWhileTheUserIsWorkingInTheWindow() {
        trim.check();
        heap.serve(80 * MB);
        for (int second = 0; second < 30; second++) {
            assertThat(checkAfter(1_000)).isFalse();
            trim.input(); // typing, scrolling, moving the mouse
        }
        assertThat(secondsUntilTrim(60)).as("3 s after the last input").isEqualTo(3);
    }

    @Test
    void anIdleWindowThatGrewLittleIsLeftAlone() {
        trim.check();
        heap.serve(10 * MB);
        for (int second = 0; second < 60; second++) {
            assertThat(checkAfter(1_000)).isFalse();
        }
        assertThat(heap.trims).isZero();
    }

    @Test
    void oneTrimPerBurstNotOneEverySecond() {
        trim.check();
        heap.serve(80 * MB);
        assertThat(secondsUntilTrim(60)).isEqualTo(4);
        assertThat(secondsUntilTrim(60)).as("nothing grew since").isEqualTo(-1);
        heap.serve(40 * MB); // the next burst
        assertThat(secondsUntilTrim(60)).isEqualTo(4);
        assertThat(heap.trims).isEqualTo(2);
    }

    @Test
    void growthCountsFromTheLowestTheOldGenerationWasSeenAt() {
        heap.oldUsed = 150 * MB; // the JVM's own full collection comes later and lowers it
        trim.check();
        heap.oldUsed = 70 * MB;
        heap.collections++;
        assertThat(checkAfter(1_000)).isFalse();
        heap.serve(20 * MB);
        assertThat(secondsUntilTrim(60)).as("90 MB is 20 above the lowest seen, though below the first reading").isEqualTo(4);
    }

    @Test
    void theIdleTimeComesFromThePropertyAndZeroSwitchesItOff() {
        assertThat(IdleHeapTrim.idleMillis(null)).isEqualTo(IdleHeapTrim.DEFAULT_IDLE_MILLIS);
        assertThat(IdleHeapTrim.idleMillis(" ")).isEqualTo(IdleHeapTrim.DEFAULT_IDLE_MILLIS);
        assertThat(IdleHeapTrim.idleMillis("10")).isEqualTo(10_000);
        assertThat(IdleHeapTrim.idleMillis("0.5")).isEqualTo(500);
        assertThat(IdleHeapTrim.idleMillis("0")).isZero();
        assertThat(IdleHeapTrim.idleMillis("soon")).isEqualTo(IdleHeapTrim.DEFAULT_IDLE_MILLIS);
    }
}
