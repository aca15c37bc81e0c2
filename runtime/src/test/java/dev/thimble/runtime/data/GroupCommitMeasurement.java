package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures concurrent durable inserts (decision 0002's update for issue 18): {@code threads} clients
 * inserting through the driver at once, and how many commits they needed. Not a test: run its main,
 * e.g. with -Dthimble.db.workerThreads=4 against the default. Prints the rate and the process's CPU time per
 * insert (driver threads included), which on a loaded machine says more than the rate. A third argument
 * {@code journaled} measures a collection whose inserts are journaled (an index restored from a snapshot, decision 0069).
 */
public final class GroupCommitMeasurement {
    private GroupCommitMeasurement() {
    }

    /** The whole process's CPU time (client threads included): on a shared, saturated machine the rate follows it. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int each = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        // "journaled": the collection has a field index restored from a snapshot, so every insert is journaled first and
        // every commit takes the journal's lock exclusively (decision 0069), as in a server restarted after a clean close
        boolean journaled = args.length > 2 && args[2].equals("journaled");
        Path root = Files.createTempDirectory("thimble-group-commit");
        if (journaled) {
            try (Database database = Database.open(DatabaseSettings.embedded(root))) {
                MongoCollection<Document> c = database.database("m").getCollection("c");
                c.createIndex(com.mongodb.client.model.Indexes.ascending("t"));
                c.insertOne(new Document("t", -1));
            }
        }
        try (Database database = Database.open(DatabaseSettings.embedded(root))) {
            MongoCollection<Document> c = database.database("m").getCollection("c");
            for (int round = 0; round < 3; round++) {
                long commits0 = ((EmbeddedDatabase) database).writerCommits();
                long cpu0 = processCpuNanos();
                long start = System.nanoTime();
                try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int thread = t;
                        done.add(pool.submit(() -> {
                            for (int i = 0; i < each; i++) {
                                c.insertOne(new Document("t", thread).append("i", i).append("payload", "x".repeat(100)));
                            }
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long commits = ((EmbeddedDatabase) database).writerCommits() - commits0;
                double cpuMicros = (processCpuNanos() - cpu0) / 1e3 / (threads * each);
                System.out.printf((journaled ? "journaled " : "") + "workers=%d threads=%d round %d: %.0f inserts/s, %d commits for %d inserts, %.0f µs CPU per insert"
                                + " (load %s)%n",
                        WireListener.WORKER_THREADS, threads, round, threads * each / seconds, commits, threads * each, cpuMicros,
                        Files.readString(Path.of("/proc/loadavg")).trim());
            }
        }
    }
}
