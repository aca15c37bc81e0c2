package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single-document update is atomic on the embedded database, as MongoDB guarantees: a counter kept with
 * {@code findOneAndUpdate}/{@code $inc} hands every caller its own value, {@code updateOne}/{@code $inc} from many
 * clients loses no increment, and concurrent upserts of one {@code _id} make one document. Through the driver, on
 * the real durable server, sixteen clients at once (one connection each: the server runs each connection's
 * commands on its own thread, so the clients' commands really overlap).
 */
class EmbeddedAtomicUpdateTest {
    private static final int CLIENTS = 16;
    private static final int CALLS_EACH = 60;

    @TempDir
    Path directory;

    @Test
    void findOneAndUpdateIncHandsEveryCallerItsOwnValue() throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(directory))) {
            MongoCollection<Document> counters = database.database("atomic").getCollection("counters");
            counters.insertOne(new Document("_id", "c").append("n", 0));
            Set<Integer> handedOut = ConcurrentHashMap.newKeySet();
            List<Integer> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
            FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
            concurrently(() -> {
                for (int i = 0; i < CALLS_EACH; i++) {
                    Document counter = counters.findOneAndUpdate(Filters.eq("_id", "c"), Updates.inc("n", 1), after);
                    int n = counter.getInteger("n");
                    if (!handedOut.add(n)) {
                        duplicates.add(n);
                    }
                }
            });
            assertThat(duplicates).as("values handed out to more than one caller").isEmpty();
            assertThat(handedOut).hasSize(CLIENTS * CALLS_EACH);
            assertThat(counters.find(Filters.eq("_id", "c")).first().getInteger("n")).isEqualTo(CLIENTS * CALLS_EACH);
        }
    }

    @Test
    void updateOneIncFromManyClientsLosesNoIncrement() throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(directory))) {
            MongoCollection<Document> counters = database.database("atomic").getCollection("counters");
            counters.insertOne(new Document("_id", "c").append("n", 0).append("label", "hits"));
            concurrently(() -> {
                for (int i = 0; i < CALLS_EACH; i++) {
                    assertThat(counters.updateOne(Filters.eq("_id", "c"), Updates.inc("n", 1)).getModifiedCount()).isOne();
                }
            });
            assertThat(counters.find(Filters.eq("_id", "c")).first())
                    .isEqualTo(new Document("_id", "c").append("n", CLIENTS * CALLS_EACH).append("label", "hits"));
        }
        // and it is what was stored
        try (Database reopened = Database.open(DatabaseSettings.embedded(directory))) {
            assertThat(reopened.database("atomic").getCollection("counters").find().first().getInteger("n"))
                    .isEqualTo(CLIENTS * CALLS_EACH);
        }
    }

    @Test
    void concurrentUpsertsOfOneIdMakeOneDocument() throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(directory))) {
            MongoCollection<Document> counters = database.database("atomic").getCollection("counters");
            counters.insertOne(new Document("_id", "other")); // the collection exists; the upserted documents do not
            FindOneAndUpdateOptions upsert = new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER);
            Set<Integer> handedOut = ConcurrentHashMap.newKeySet();
            int rounds = 20;
            for (int round = 0; round < rounds; round++) {
                String id = "c" + round;
                concurrently(() -> handedOut.add(counters.findOneAndUpdate(Filters.eq("_id", id), Updates.inc("n", 1), upsert)
                        .getInteger("n") * 1_000 + Integer.parseInt(id.substring(1))));
                assertThat(counters.countDocuments(Filters.eq("_id", id))).as("documents with _id %s", id).isOne();
                assertThat(counters.find(Filters.eq("_id", id)).first().getInteger("n")).isEqualTo(CLIENTS);
            }
            assertThat(handedOut).as("(value, round) pairs handed out").hasSize(CLIENTS * rounds);
            // updateOne with upsert: the same
            concurrently(() -> counters.updateOne(Filters.eq("_id", "u"), Updates.inc("n", 1), new UpdateOptions().upsert(true)));
            assertThat(counters.countDocuments(Filters.eq("_id", "u"))).isOne();
            assertThat(counters.find(Filters.eq("_id", "u")).first().getInteger("n")).isEqualTo(CLIENTS);
        }
    }

    /** Runs {@code work} on {@link #CLIENTS} threads released together; rethrows the first failure. */
    private static void concurrently(ThrowingRunnable work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(CLIENTS);
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    work.run();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
