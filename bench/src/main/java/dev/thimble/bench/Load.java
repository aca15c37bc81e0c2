package dev.thimble.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * A closed-loop load generator: {@code clients} threads each run one operation after another for a
 * fixed time, recording every operation's latency. No JMH: the operations are network round trips
 * at 1 and 16 concurrent clients, where a plain harness measures what a client sees.
 */
final class Load {
    private Load() {
    }

    /** One client's operation; returns true when the answer was the expected one. */
    @FunctionalInterface
    interface Op {
        boolean run() throws Exception;
    }

    /**
     * One measurement: latencies in microseconds, throughput in operations per second, and the CPU time this JVM
     * spent per operation (the load generator included; NaN when not measured): on a shared, saturated 2-core
     * machine the throughput follows the CPU per operation, which varies far less with the load than the rate.
     */
    record Sample(long ops, long errors, double p50Micros, double p99Micros, double opsPerSecond, double cpuMicrosPerOp,
                  double serverCpuMicrosPerOp) {
        Sample(long ops, long errors, double p50Micros, double p99Micros, double opsPerSecond) {
            this(ops, errors, p50Micros, p99Micros, opsPerSecond, Double.NaN, Double.NaN);
        }
    }

    /** This JVM's CPU time so far, all threads. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Runs {@code clients} closed loops for {@code millis}; {@code opFor} gives each client its own operation. */
    static Sample run(int clients, long millis, IntFunction<Op> opFor) throws InterruptedException {
        return run(clients, millis, opFor, null);
    }

    /**
     * The same, also measuring the CPU a server process of its own spent per operation ({@code serverCpuNanos} reads
     * its CPU time so far; null when the server runs in this JVM).
     */
    static Sample run(int clients, long millis, IntFunction<Op> opFor, LongSupplier serverCpuNanos) throws InterruptedException {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            ops.add(opFor.apply(i));
        }
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        AtomicLong errors = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                long[] mine = new long[1 << 14];
                int n = 0;
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long deadline = window[1];
                Op op = ops.get(client);
                while (true) {
                    long start = System.nanoTime();
                    if (start >= deadline) {
                        break;
                    }
                    boolean ok;
                    try {
                        ok = op.run();
                    } catch (Exception e) {
                        ok = false;
                    }
                    long took = System.nanoTime() - start;
                    if (!ok) {
                        errors.incrementAndGet();
                    }
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = took;
                }
                latencies[client] = mine;
                counts[client] = n;
            });
            threads.add(t);
        }
        ready.await();
        long cpu0 = processCpuNanos();
        long serverCpu0 = serverCpuNanos == null ? 0 : serverCpuNanos.getAsLong();
        window[0] = System.nanoTime();
        window[1] = window[0] + millis * 1_000_000L;
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long end = System.nanoTime();
        long cpu = processCpuNanos() - cpu0;
        long serverCpu = serverCpuNanos == null ? -1 : serverCpuNanos.getAsLong() - serverCpu0;
        int total = 0;
        for (int n : counts) {
            total += n;
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        double seconds = (end - window[0]) / 1e9;
        return new Sample(total, errors.get(), percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3, total / seconds,
                total == 0 ? Double.NaN : cpu / 1e3 / total, total == 0 || serverCpu < 0 ? Double.NaN : serverCpu / 1e3 / total);
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        int n = copy.length;
        return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
    }
}
