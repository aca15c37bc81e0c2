package dev.thimble.workbench;

import javafx.scene.Scene;
import javafx.scene.input.InputEvent;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Gives the memory a burst of work left behind back to the system once the window is idle. The window's serial
 * collector grows its old generation on promotion instead of collecting it, so every page the generation reached while
 * serving calls stays resident; its full collection comes only at the heap's ceiling, and then kept the whole heap: after
 * 3,000 calls the window held all of its 192 MB heap while the live data was 85-95 MB (decision 0068). Once the user has
 * not touched the window and no collection has run for {@link #DEFAULT_IDLE_MILLIS} (no calls being served, no
 * editing), and the old generation has grown by {@link #GROWTH_BYTES} since the lowest it was seen at, one full
 * collection compacts the heap and shrinks it (the window's {@code -Xms}, {@code MaxHeapFreeRatio} and
 * {@code -XX:-ShrinkHeapInSteps} let it), then glibc gives back the native memory freed since ({@link NativeHeap}).
 * The user pays one collection pause while idle. Off with {@code -Dthimble.window.idleTrimSeconds=0}.
 */
final class IdleHeapTrim {
    /** System property: seconds without input and without a collection before the trim; 0 switches it off. */
    static final String IDLE_SECONDS = "thimble.window.idleTrimSeconds";
    static final long DEFAULT_IDLE_MILLIS = 3_000;
    /** Old-generation growth since the last trim (or the lowest seen) that is worth a pause. */
    static final long GROWTH_BYTES = 16L << 20;
    private static final long CHECK_MILLIS = 1_000;

    /** What the trim reads and does: the JVM's own in the window, a test's in tests. */
    interface Heap {
        /** Collections of any kind so far: a change means the app allocated (served calls, drew, parsed). */
        long collections();

        /** Bytes in the old generation now, garbage included. */
        long oldUsed();

        /** A full collection that shrinks the heap, then the native heap's trim. */
        void trim();
    }

    private final Heap heap;
    private final LongSupplier clock;
    private final long idleMillis;
    private volatile long lastInput;
    private long collectionsSeen = -1;
    private long collectionsChangedAt;
    private long lowestUsed = Long.MAX_VALUE;

    IdleHeapTrim(Heap heap, LongSupplier clock, long idleMillis) {
        this.heap = heap;
        this.clock = clock;
        this.idleMillis = idleMillis;
        this.lastInput = clock.getAsLong();
        this.collectionsChangedAt = lastInput;
    }

    /**
     * Watches {@code scene}'s input and checks every second on {@code timer}; does nothing when switched off or when the
     * JVM has no old generation to read.
     */
    static void start(Scene scene, ScheduledExecutorService timer) {
        long idleMillis = idleMillis(System.getProperty(IDLE_SECONDS));
        JvmHeap jvm = JvmHeap.find();
        if (idleMillis <= 0 || jvm == null) {
            return;
        }
        IdleHeapTrim trim = new IdleHeapTrim(jvm, System::currentTimeMillis, idleMillis);
        scene.addEventFilter(InputEvent.ANY, event -> trim.input());
        timer.scheduleWithFixedDelay(trim::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The idle time asked for in seconds (blank: the default), in milliseconds; 0 or less: off. */
    static long idleMillis(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_IDLE_MILLIS;
        }
        try {
            return Math.round(Double.parseDouble(seconds.trim()) * 1000);
        } catch (NumberFormatException e) {
            return DEFAULT_IDLE_MILLIS;
        }
    }

    /** The user pressed, moved or scrolled something in the window. */
    void input() {
        lastInput = clock.getAsLong();
    }

    /** One look: trims when idle long enough and the old generation grew enough; true when it trimmed. */
    boolean check() {
        long now = clock.getAsLong();
        long collections = heap.collections();
        if (collections != collectionsSeen) {
            collectionsSeen = collections;
            collectionsChangedAt = now;
        }
        long used = heap.oldUsed();
        lowestUsed = Math.min(lowestUsed, used); // a full collection of the JVM's own lowers the mark too
        if (now - lastInput < idleMillis || now - collectionsChangedAt < idleMillis || used - lowestUsed < GROWTH_BYTES) {
            return false;
        }
        heap.trim();
        lowestUsed = heap.oldUsed();
        collectionsSeen = heap.collections(); // the trim's own collection is not the app's activity
        collectionsChangedAt = now;
        return true;
    }

    /** The running JVM's collectors and old generation (the serial collector's "Tenured Gen", G1's "G1 Old Gen"). */
    private record JvmHeap(List<GarbageCollectorMXBean> collectors, MemoryPoolMXBean oldGeneration) implements Heap {
        static JvmHeap find() {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP && (pool.getName().contains("Old") || pool.getName().contains("Tenured")))
                    .findFirst().map(old -> new JvmHeap(ManagementFactory.getGarbageCollectorMXBeans(), old)).orElse(null);
        }

        @Override
        public long collections() {
            return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        }

        @Override
        public long oldUsed() {
            return oldGeneration.getUsage().getUsed();
        }

        @Override
        public void trim() {
            System.gc();
            NativeHeap.trim();
        }
    }
}
