package dev.thimble.runtime.data;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Not a test: prints start-up time and insert throughput of the embedded database against the
 * library's stock H2 backend, measured in one run. See docs/decisions/0002-embedded-database-durability.md
 * for the command and the results.
 */
public final class EmbeddedDatabaseMeasurements {

    private static final int INSERTS = 3000;
    private static final int ROUNDS = 3;

    private EmbeddedDatabaseMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("thimble-measure");

        long start = System.nanoTime();
        try (Database cold = Database.open(DatabaseSettings.embedded(root.resolve("cold")))) {
            System.out.printf("start, first in this JVM (open incl. first ping): %d ms (%s)%n", millisSince(start), cold.kind());
        }
        for (int i = 0; i < 3; i++) {
            start = System.nanoTime();
            try (Database warm = Database.open(DatabaseSettings.embedded(root.resolve("warm" + i)))) {
                System.out.printf("start, again (warm JVM): %d ms (%s)%n", millisSince(start), warm.kind());
            }
        }

        for (int round = 1; round <= ROUNDS; round++) {
            Path ours = root.resolve("ours" + round);
            try (Database database = Database.open(DatabaseSettings.embedded(ours))) {
                double rate = insertsPerSecond(database.database("m").getCollection("c"));
                System.out.printf("round %d  per-write commit (Thimble): %6.0f inserts/s sequential, file %d KB%n",
                        round, rate, Files.size(ours.resolve("db.mv")) / 1024);
            }
            Path stock = root.resolve("stock" + round);
            Files.createDirectories(stock);
            H2Backend backend = new H2Backend(stock.resolve("db.mv").toString());
            MongoServer server = new MongoServer(backend);
            server.enableOplog();
            server.bind("127.0.0.1", 0);
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
                double rate = insertsPerSecond(client.getDatabase("m").getCollection("c"));
                server.shutdown();
                System.out.printf("round %d  stock H2Backend (~1 s autocommit): %6.0f inserts/s sequential, file %d KB%n",
                        round, rate, Files.size(stock.resolve("db.mv")) / 1024);
            } finally {
                server.shutdownNow();
            }
            try (Database database = Database.open(DatabaseSettings.embedded(root.resolve("conc" + round)))) {
                MongoCollection<Document> c = database.database("m").getCollection("c");
                double rate = concurrentInsertsPerSecond(c, 4);
                System.out.printf("round %d  per-write commit (Thimble): %6.0f inserts/s with 4 client threads%n", round, rate);
            }
        }
    }

    private static double insertsPerSecond(MongoCollection<Document> collection) {
        for (int i = 0; i < 300; i++) { // warm-up
            collection.insertOne(new Document("w", i));
        }
        long start = System.nanoTime();
        for (int i = 0; i < INSERTS; i++) {
            collection.insertOne(new Document("i", i).append("payload", "x".repeat(100)));
        }
        return INSERTS / ((System.nanoTime() - start) / 1e9);
    }

    private static double concurrentInsertsPerSecond(MongoCollection<Document> collection, int threads) throws Exception {
        Consumer<Integer> work = t -> {
            for (int i = 0; i < INSERTS / threads; i++) {
                collection.insertOne(new Document("t", t).append("i", i).append("payload", "x".repeat(100)));
            }
        };
        work.accept(-1);
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> work.accept(thread)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        return (INSERTS / threads * threads) / ((System.nanoTime() - start) / 1e9);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
