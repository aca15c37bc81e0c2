package dev.thimble.runtime.functions;

import dev.thimble.runtime.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops executions from outside: past their deadline; when one execution holds more than its share
 * of the heap; or, when the live heap passes the guard, the running execution that has allocated
 * most. One thread per engine, ticking every 10 ms, and a check after every garbage collection.
 *
 * <p>The heap signal is the heap's usage after the last GC (what survived collection), not the
 * current usage, which includes garbage. Allocation is attributed per execution by the bytes its
 * thread has allocated since it started ({@code ThreadMXBean.getThreadAllocatedBytes}).
 *
 * <p><b>One execution's bound</b> ({@link #executionMemoryLimit()}: a quarter of the max heap, at
 * most 350 MB, Stitch's limit per execution): an execution is stopped when, since it started, both
 * the live heap grew by more than the bound and its own thread allocated more than the bound, and
 * it is the running execution that allocated most. What this guarantees, and what not: it is checked
 * after each GC and each tick, so an execution can pass the bound by what it allocates until then
 * plus the ~100-160 ms the engine takes to stop (a fast allocator: some tens of MB); memory that a
 * function makes other threads allocate (the database driver's buffers) is not attributed to it;
 * when several executions grow the heap at once, the one that allocated most is taken for the
 * cause. A function that allocates much but keeps little (garbage) is never stopped for memory.
 */
final class Watchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final long TICK_MS = 10;
    private static final long MEMORY_COOLDOWN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** An execution that allocated less than this is not taken for the cause of heap pressure. */
    private static final long MIN_CULPRIT_BYTES = 16L << 20;
    private static final List<MemoryPoolMXBean> OLD_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
            .filter(p -> !p.getName().contains("Eden") && !p.getName().contains("Survivor"))
            .toList();

    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(java.util.stream.Collectors.toSet());
    /** Stitch's memory limit of one execution. */
    private static final long STITCH_EXECUTION_MEMORY_BYTES = 350L << 20;

    /** Each running execution with the live heap when it started. */
    private final Map<Execution, Long> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final long heapGuardBytes;
    private final long executionLimitBytes;
    private final List<NotificationEmitter> gcEmitters = new java.util.ArrayList<>();
    private final NotificationListener afterGc = this::afterGc;
    /** The heap's usage after the most recent collection (any collection, young ones included). */
    private volatile long liveAfterLastGc = heapAfterLastCollections();
    private volatile long lastMemoryStop;

    /** Elapsed time for the deadlines and the memory stop's cool-down (tests move it); the tick itself is real time. */
    private final Ticker ticker;

    Watchdog(String name, long heapGuardBytes, Ticker ticker) {
        this.ticker = ticker;
        this.heapGuardBytes = heapGuardBytes > 0 ? heapGuardBytes : (long) (Runtime.getRuntime().maxMemory() * 0.85);
        this.executionLimitBytes = executionMemoryLimit();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(afterGc, null, null);
                gcEmitters.add(emitter);
            }
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "thimble-functions-watchdog-" + name);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** The most one execution may add to the live heap: a quarter of the max heap, at most 350 MB. */
    static long executionMemoryLimit() {
        return Math.min(STITCH_EXECUTION_MEMORY_BYTES, Runtime.getRuntime().maxMemory() / 4);
    }

    void register(Execution execution) {
        running.put(execution, liveAfterLastGc);
    }

    void unregister(Execution execution) {
        running.remove(execution);
    }

    /** The old generation's usage after the most recent collection: an estimate of live data. */
    static long liveHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : OLD_POOLS) {
            MemoryUsage usage = pool.getCollectionUsage();
            if (usage != null) {
                sum += usage.getUsed();
            }
        }
        return sum;
    }

    /** The heap pools' usage after their last collections, until the first GC notification arrives. */
    private static long heapAfterLastCollections() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (usage != null) {
                sum += usage.getUsed();
            }
        }
        return sum;
    }

    private void afterGc(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (HEAP_POOLS.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        liveAfterLastGc = used;
        if (!running.isEmpty()) {
            checkMemory(ticker.nanos());
        }
    }

    private void tick() {
        try {
            if (running.isEmpty()) {
                return;
            }
            long now = ticker.nanos();
            for (Execution execution : running.keySet()) {
                if (now - execution.deadlineNanos() > 0) {
                    execution.stop(Execution.StopReason.TIME);
                }
            }
            checkMemory(now);
        } catch (Throwable t) {
            LOG.error("function watchdog tick failed", t);
        }
    }

    private synchronized void checkMemory(long now) {
        if (now - lastMemoryStop <= MEMORY_COOLDOWN_NANOS) {
            return;
        }
        Execution culprit = running.keySet().stream()
                .filter(Execution::isRunning)
                .max(Comparator.comparingLong(Execution::allocatedBytes))
                .orElse(null);
        if (culprit == null) {
            return;
        }
        long allocated = culprit.allocatedBytes();
        Long liveAtStart = running.get(culprit);
        long grown = liveAtStart == null ? 0 : liveAfterLastGc - liveAtStart;
        if (grown > executionLimitBytes && allocated > executionLimitBytes) {
            LOG.warn("function {} holds more than one execution's share of memory ({} MB: the live heap grew by {} MB"
                    + " while it allocated {} MB): stopping it", culprit.functionName(), executionLimitBytes >> 20,
                    grown >> 20, allocated >> 20);
            culprit.stop(Execution.StopReason.EXECUTION_MEMORY);
            lastMemoryStop = now;
        } else if (liveHeapBytes() > heapGuardBytes && allocated >= MIN_CULPRIT_BYTES) {
            LOG.warn("live heap {} MB is over the guard of {} MB: stopping function {} ({} MB allocated)",
                    liveHeapBytes() >> 20, heapGuardBytes >> 20, culprit.functionName(), allocated >> 20);
            culprit.stop(Execution.StopReason.MEMORY);
            lastMemoryStop = now;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (NotificationEmitter emitter : gcEmitters) {
            try {
                emitter.removeNotificationListener(afterGc);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // already gone
            }
        }
    }
}
