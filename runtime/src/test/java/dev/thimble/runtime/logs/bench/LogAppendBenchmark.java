package dev.thimble.runtime.logs.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonDocument;
import org.bson.Document;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * Appends per second from N threads with persistence on (mongo-java-server, memory backend), and
 * the cost of {@link LogService#append} against {@link ConcurrentLinkedQueue#offer} (drained by one
 * consumer thread) in the same run, both fed the same pre-built records; then throughput with fresh
 * records, saturating and paced. Not a unit test; see README.md in this folder.
 *
 * <p>Arguments: {@code [threads=16] [seconds per phase=2] [paced total rate=10000]}. Costs are CPU
 * time per op (thread CPU time / ops), medians of three interleaved rounds, so an oversubscribed or
 * shared machine inflates them less than wall time would.
 */
public final class LogAppendBenchmark {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int pacedRate = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int rounds = 3;
        System.out.printf("cores=%d threads=%d phase=%ds rounds=%d java=%s%n", Runtime.getRuntime().availableProcessors(),
                threads, seconds, rounds, System.getProperty("java.version"));

        MongoServer server = new MongoServer(new MemoryBackend());
        InetSocketAddress a = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + a.getHostString() + ":" + a.getPort())) {
            MongoCollection<Document> coll = client.getDatabase("__thimble_bench").getCollection("log_records");

            // 1. The store's ceiling: one thread, insertMany of 500 fresh records (after warming the server up).
            storeCeiling(coll, 3);
            System.out.printf("store ceiling (1 thread, insertMany x500, warm): %,.0f records/s%n", storeCeiling(coll, seconds));

            // 2. The cost of append against CLQ.offer: the same pre-built records, CPU time per op.
            LogRecord[] pool = new LogRecord[1 << 16];
            for (int i = 0; i < pool.length; i++) { pool[i] = newRecord(); }
            for (int t : new int[] {1, threads}) {
                System.out.printf("%n-- cost, %d thread(s) as fast as they can, pre-built records --%n", t);
                List<Result> offer = new ArrayList<>(), append = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    offer.add(runOffer("CLQ.offer (1 consumer)", t, seconds, pool));
                    try (LogService logs = LogService.builder(coll).start()) {
                        append.add(run("LogService.append", t, seconds, i -> pool[i & (pool.length - 1)], logs::append));
                    }
                    coll.drop();
                }
                double o = median(offer, Result::cpuNsPerOp);
                double ap = median(append, Result::cpuNsPerOp);
                System.out.printf("MEDIAN %d thread(s): CLQ.offer %.0f ns CPU/op, append %.0f ns CPU/op, ratio append/offer %.2f; "
                                + "throughput offer %,.0f/s, append %,.0f/s%n", t, o, ap, ap / o,
                        median(offer, Result::opsPerSecond), median(append, Result::opsPerSecond));
            }

            // 3. Saturating with persistence on: fresh records, every thread appends as fast as it can.
            System.out.printf("%n-- %d threads saturating, fresh records, persistence on --%n", threads);
            try (LogService logs = LogService.builder(coll).start()) {
                Result r = run("build + append", threads, seconds, i -> newRecord(), logs::append);
                LogService.Stats s = logs.stats();
                System.out.printf("appends %,.0f/s; meanwhile stored %,.0f/s in %,d inserts; dropped %,d (%.1f%%)%n",
                        r.opsPerSecond(), s.persisted() / r.seconds(), s.insertCommands(), s.dropped(),
                        100.0 * s.dropped() / r.ops());
            }
            coll.drop();

            // 4. Paced: the threads together append pacedRate records/s; does persistence keep up?
            System.out.printf("%n-- %d threads paced at %,d records/s in total, persistence on --%n", threads, pacedRate);
            try (LogService logs = LogService.builder(coll).start()) {
                Result paced = runPaced(threads, seconds * 2, pacedRate, logs::append);
                boolean flushed = logs.flush(Duration.ofSeconds(10));
                LogService.Stats s = logs.stats();
                System.out.printf("appended %,d (%,.0f/s); stored %,d in %,d inserts (%.0f per insert); dropped %,d; flushed=%b%n",
                        paced.ops(), paced.opsPerSecond(), s.persisted(), s.insertCommands(),
                        (double) s.persisted() / Math.max(1, s.insertCommands()), s.dropped(), flushed);
            }
        } finally {
            server.shutdownNow();
        }
    }

    private static double storeCeiling(MongoCollection<Document> coll, int seconds) {
        MongoCollection<BsonDocument> raw = coll.withDocumentClass(BsonDocument.class);
        long stored = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < seconds * 1_000_000_000L) {
            List<BsonDocument> batch = new ArrayList<>(500);
            for (int i = 0; i < 500; i++) { batch.add(newRecord().toDocument()); }
            raw.insertMany(batch);
            stored += 500;
        }
        double rate = stored / ((System.nanoTime() - t0) / 1e9);
        coll.drop();
        return rate;
    }

    /** ops over wall seconds; cpuNanos is the CPU time the worker threads used. */
    record Result(long ops, double seconds, int threads, long cpuNanos) {
        double opsPerSecond() { return ops / seconds; }
        double cpuNsPerOp() { return (double) cpuNanos / ops; }
    }

    private static double median(List<Result> rs, ToDoubleFunction<Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }

    private static LogRecord newRecord() {
        return LogRecord.start(LogType.FUNCTION, CLOCK)
                .request("POST", "/api/client/v2.0/app/bench-abcde/functions/call")
                .userId("65e1a72018446089826d8108")
                .function("checkout", "65e1a72018446089826d8109")
                .finish();
    }

    private static Result run(String name, int threads, int seconds, IntFunction<LogRecord> source, Consumer<LogRecord> sink)
            throws InterruptedException {
        LongAdder ops = new LongAdder();
        LongAdder cpu = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            int offset = i * 4099;
            Thread.ofPlatform().name("bench-" + i).start(() -> {
                ready.countDown();
                try { go.await(); } catch (InterruptedException e) { return; }
                long c0 = THREADS.getCurrentThreadCpuTime();
                long n = 0;
                while (!stop.get()) {
                    for (int k = 0; k < 256; k++) { sink.accept(source.apply((int) (offset + n + k))); }
                    n += 256;
                }
                cpu.add(THREADS.getCurrentThreadCpuTime() - c0);
                ops.add(n);
                done.countDown();
            });
        }
        ready.await();
        long t0 = System.nanoTime();
        go.countDown();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        double s = (System.nanoTime() - t0) / 1e9;
        Result r = new Result(ops.sum(), s, threads, cpu.sum());
        System.out.printf("%-28s %,14.0f ops/s  %8.1f ns CPU/op%n", name, r.opsPerSecond(), r.cpuNsPerOp());
        return r;
    }

    private static Result runPaced(int threads, int seconds, int rate, Consumer<LogRecord> sink) throws InterruptedException {
        LongAdder ops = new LongAdder();
        long intervalNanos = 1_000_000_000L * threads / rate;
        CountDownLatch done = new CountDownLatch(threads);
        long t0 = System.nanoTime() + 10_000_000L;
        long end = t0 + seconds * 1_000_000_000L;
        for (int i = 0; i < threads; i++) {
            long offset = intervalNanos * i / threads;
            Thread.ofPlatform().name("paced-" + i).start(() -> {
                long next = t0 + offset;
                long n = 0;
                while (next < end) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) { LockSupport.parkNanos(wait); continue; }
                    sink.accept(newRecord());
                    n++;
                    next += intervalNanos;
                }
                ops.add(n);
                done.countDown();
            });
        }
        done.await();
        double s = (System.nanoTime() - t0) / 1e9;
        return new Result(ops.sum(), s, threads, 0);
    }

    private static Result runOffer(String name, int threads, int seconds, LogRecord[] pool) throws InterruptedException {
        ConcurrentLinkedQueue<LogRecord> queue = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread consumer = Thread.ofPlatform().name("bench-drain").start(() -> {
            while (!stop.get()) {
                if (queue.poll() == null) { LockSupport.parkNanos(Duration.ofMillis(1).toNanos()); }
            }
        });
        Result r = run(name, threads, seconds, i -> pool[i & (pool.length - 1)], queue::offer);
        stop.set(true);
        consumer.join();
        return r;
    }
}
