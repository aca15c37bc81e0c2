package dev.thimble.runtime.functions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops executions from outside: past their deadline, or, when the live heap passes the guard, the
 * running execution that has allocated most. One thread per engine, ticking every 10 ms.
 *
 * <p>The heap signal is the old generation's usage after the last GC (what survives collection),
 * not the current usage, which includes garbage. Allocation is attributed per execution by the
 * bytes its thread has allocated since it started ({@code ThreadMXBean.getThreadAllocatedBytes}).
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

    private final Set<Execution> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final long heapGuardBytes;
    private long lastMemoryStop;

    Watchdog(String name, long heapGuardBytes) {
        this.heapGuardBytes = heapGuardBytes > 0 ? heapGuardBytes : (long) (Runtime.getRuntime().maxMemory() * 0.85);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "thimble-functions-watchdog-" + name);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    void register(Execution execution) {
        running.add(execution);
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

    private void tick() {
        try {
            if (running.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            for (Execution execution : running) {
                if (now - execution.deadlineNanos() > 0) {
                    execution.stop(Execution.StopReason.TIME);
                }
            }
            if (now - lastMemoryStop > MEMORY_COOLDOWN_NANOS && liveHeapBytes() > heapGuardBytes) {
                Execution culprit = running.stream()
                        .filter(Execution::isRunning)
                        .max(Comparator.comparingLong(Execution::allocatedBytes))
                        .orElse(null);
                if (culprit != null && culprit.allocatedBytes() >= MIN_CULPRIT_BYTES) {
                    LOG.warn("live heap {} MB is over the guard of {} MB: stopping function {} ({} MB allocated)",
                            liveHeapBytes() >> 20, heapGuardBytes >> 20, culprit.functionName(), culprit.allocatedBytes() >> 20);
                    culprit.stop(Execution.StopReason.MEMORY);
                    lastMemoryStop = now;
                }
            }
        } catch (Throwable t) {
            LOG.error("function watchdog tick failed", t);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
