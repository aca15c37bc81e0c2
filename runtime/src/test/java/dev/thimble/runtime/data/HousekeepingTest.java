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
