package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded database's housekeeping and the library oplog (decision 0002, issue 18): housekeeping
 * holds back while writers commit but rewrites sparse chunks once they stop, keeping every document, and a
 * write no longer adds a document to the library's never-trimmed {@code local.oplog.rs}.
 */
class HousekeepingTest {

    @TempDir
    Path directory;

    @Test
    void churnLeavesSparseChunksThatHousekeepingRewritesOnceWritersStop() throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(directory))) {
            EmbeddedDatabase embedded = (EmbeddedDatabase) database;
            MongoCollection<Document> c = database.database("house").getCollection("keeping");
            for (int i = 0; i < 200; i++) {
                c.insertOne(new Document("_id", i).append("n", 0).append("payload", "x".repeat(200)));
            }
            for (int round = 1; round <= 5; round++) {
                for (int i = 0; i < 200; i++) {
                    c.updateOne(Filters.eq("_id", i), Updates.set("n", round));
                }
            }
            int afterChurn = embedded.chunksFillRate();
            assertThat(afterChurn).as("live share of chunk space right after the churn").isLessThan(DurableH2Backend.BUSY_FILL_RATE + 30);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (embedded.compactions() == 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(embedded.compactions()).as("housekeeping rounds that rewrote chunks once the writers stopped").isPositive();
            assertThat(c.countDocuments(Filters.eq("n", 5))).isEqualTo(200);
        }
        try (Database reopened = Database.open(DatabaseSettings.embedded(directory))) {
            assertThat(reopened.database("house").getCollection("keeping").countDocuments(Filters.eq("n", 5))).isEqualTo(200);
        }
    }

    /**
     * Many small concurrent inserts leave chunks that rewriting cannot fill past a plateau below the target (each
     * rewrite moves the pages' parents too): once a round stops raising the live share, an idle store's housekeeping
     * stops rewriting (issue 18: it rewrote 8 MB every round, half a core, for as long as the server ran).
     */
    @Test
    void housekeepingGoesQuietOnceRewritingStopsRaisingTheLiveShare() throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(directory))) {
            EmbeddedDatabase embedded = (EmbeddedDatabase) database;
            MongoCollection<Document> c = database.database("todo").getCollection("items");
            int writers = 16;
            int each = 200;
            java.util.List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < writers; t++) {
                String owner = "user-" + t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        c.insertOne(new Document("owner_id", owner).append("text", "a new item").append("done", false).append("n", i));
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            // quiet: twelve housekeeping rounds in a row (6 s of them) that rewrote nothing
            int quietRounds = 12;
            long roundsAtLastRewrite = embedded.housekeepingRounds();
            long lastCompactions = embedded.compactions();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (embedded.housekeepingRounds() - roundsAtLastRewrite < quietRounds && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
                long compactions = embedded.compactions();
                if (compactions != lastCompactions) {
                    lastCompactions = compactions;
                    roundsAtLastRewrite = embedded.housekeepingRounds();
                }
            }
            assertThat(embedded.housekeepingRounds() - roundsAtLastRewrite)
                    .as("housekeeping rounds in a row that rewrote nothing, with the writers stopped (rewrites so far: %d, live share %d %%)",
                            embedded.compactions(), embedded.chunksFillRate())
                    .isGreaterThanOrEqualTo(quietRounds);
            assertThat(c.countDocuments()).isEqualTo((long) writers * each);
        }
    }

    @Test
    void writesAddNothingToTheLibrarysOplog() {
        try (Database database = Database.open(DatabaseSettings.embedded(directory))) {
            MongoCollection<Document> c = database.database("plain").getCollection("writes");
            for (int i = 0; i < 20; i++) {
                c.insertOne(new Document("_id", i));
            }
            c.deleteOne(Filters.eq("_id", 0));
            assertThat(database.database("local").getCollection("oplog.rs").countDocuments()).isZero();
            assertThat(c.countDocuments()).isEqualTo(19);
        }
    }
}
