package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures one index checkpoint (decision 0076) of a kept data file: how long it takes, and how long single durable
 * inserts into the same collection take meanwhile (the copy holds them). Not a test: run its main on a copy of a data
 * directory (the checkpoint rewrites its snapshots), e.g. the log store of {@code bench/run scale} with
 * {@code -Dbench.scaleDataDir}: {@code IndexCheckpointMeasurement <dir>/db log_records}. Prints the inserts' latencies
 * before and during the checkpoint.
 */
public final class IndexCheckpointMeasurement {
    private IndexCheckpointMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        String collectionName = args[1];
        long opened = System.nanoTime();
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(directory))) {
            System.out.printf("open %.1f s%n", (System.nanoTime() - opened) / 1e9);
            String databaseName = null;
            for (String name : database.client().listDatabaseNames()) {
                if (database.client().getDatabase(name).listCollectionNames().into(new ArrayList<>()).contains(collectionName)) {
                    databaseName = name;
                }
            }
            MongoCollection<Document> records = database.client().getDatabase(databaseName).getCollection(collectionName);
            ObservedH2Collection stored = database.collection(databaseName, collectionName);
            System.out.printf("%s.%s: %d documents%n", databaseName, collectionName, records.estimatedDocumentCount());
            List<Long> before = inserts(records, 50, null);
            AtomicBoolean done = new AtomicBoolean();
            long started = System.nanoTime();
            Thread checkpoint = Thread.ofPlatform().start(() -> {
                database.checkpointIndexes(stored);
                done.set(true);
            });
            List<Long> during = inserts(records, Integer.MAX_VALUE, done);
            checkpoint.join();
            System.out.printf("checkpoint requested and done in %.1f s; checkpoints completed: %d%n",
                    (System.nanoTime() - started) / 1e9, database.indexCheckpoints());
            System.out.println("inserts before, ms: " + summary(before));
            System.out.println("inserts during, ms: " + summary(during));
        }
    }

    /** Durable single inserts, one after another, {@code count} of them or until {@code until} is set; latencies in µs. */
    private static List<Long> inserts(MongoCollection<Document> records, int count, AtomicBoolean until) {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < count && (until == null || !until.get()); i++) {
            long t0 = System.nanoTime();
            records.insertOne(new Document("type", "FUNCTION").append("status", "OK").append("user_id", "probe")
                    .append("function_name", "probe").append("started", new Date()).append("messages", List.of("probe " + i)));
            micros.add((System.nanoTime() - t0) / 1_000);
        }
        return micros;
    }

    private static String summary(List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        sorted.sort(null);
        if (sorted.isEmpty()) {
            return "none";
        }
        return String.format("n=%d p50=%.1f p99=%.1f max=%.1f", sorted.size(), sorted.get(sorted.size() / 2) / 1e3,
                sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100)) / 1e3, sorted.getLast() / 1e3);
    }
}
