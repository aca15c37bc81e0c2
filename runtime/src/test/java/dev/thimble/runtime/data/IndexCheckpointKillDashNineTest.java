package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long run that never closes cleanly keeps a snapshot a crash can restore (decision 0076): a child process updates more
 * documents than a journal may hold, is checkpointed each time its journal passes half its limit, and is killed with
 * SIGKILL. The next open restores the indexes from the last checkpoint and its journal, reading no document to fill them,
 * and they answer as an unindexed twin collection does. Without checkpoints the journal outgrew its limit, the snapshots
 * were dropped and this open read all 2,000 documents.
 */
class IndexCheckpointKillDashNineTest {
    private static final long T0 = IndexCheckpointWriter.T0;

    @TempDir
    Path directory;

    @Test
    void afterAKillPastTheJournalsLimitTheIndexesComeBackFromTheLastCheckpoint() throws Exception {
        try (EmbeddedDatabase database = open()) {
            for (String name : List.of("indexed", "plain")) {
                MongoCollection<Document> c = database.client().getDatabase("app").getCollection(name);
                if (name.equals("indexed")) {
                    c.createIndex(Indexes.ascending("owner"));
                    c.createIndex(Indexes.descending("at"));
                    c.createIndex(Indexes.compoundIndex(Indexes.ascending("owner"), Indexes.descending("at")));
                }
                List<Document> documents = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    documents.add(new Document("_id", i).append("owner", "p" + (i % 5)).append("at", new Date(T0 + i * 1_000L)));
                }
                c.insertMany(documents);
            }
        } // a clean close: the snapshots the child starts from

        String checkpoints = runUntilKilled();
        assertThat(checkpoints).as("the child's checkpoints").isEqualTo("CHECKPOINTS 2");

        try (EmbeddedDatabase afterKill = open()) {
            MongoCollection<Document> indexed = afterKill.client().getDatabase("app").getCollection("indexed");
            MongoCollection<Document> plain = afterKill.client().getDatabase("app").getCollection("plain");
            ObservedH2Collection stored = afterKill.collection("app", "indexed");
            long answered = stored.indexedQueries();
            for (String owner : List.of("p0", "p3", "o0", "o4", "o6")) {
                assertThat(indexed.find(Filters.eq("owner", owner)).into(new ArrayList<>())).as("owner %s", owner)
                        .containsExactlyInAnyOrderElementsOf(plain.find(Filters.eq("owner", owner)).into(new ArrayList<>()));
                var recent = Filters.and(Filters.eq("owner", owner), Filters.gte("at", new Date(T0 + 1_500_000L)));
                assertThat(indexed.find(recent).sort(Sorts.descending("at")).limit(20).into(new ArrayList<>()))
                        .isEqualTo(plain.find(recent).sort(Sorts.descending("at")).limit(20).into(new ArrayList<>()));
            }
            assertThat(indexed.find().sort(Sorts.descending("at")).limit(50).into(new ArrayList<>()))
                    .isEqualTo(plain.find().sort(Sorts.descending("at")).limit(50).into(new ArrayList<>()));
            assertThat(stored.indexedQueries() - answered).as("queries the indexes answered").isPositive();
            assertThat(stored.documentsReadToFillIndexes()).as("documents read to fill the indexes after the kill").isZero();
            assertThat(stored.indexesWaitingToFill()).isZero();
        }
    }

    /** Runs the writer until it reports its checkpoints, kills it with SIGKILL, returns that report. */
    private String runUntilKilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                IndexCheckpointWriter.class.getName(), directory.toString())
                .redirectErrorStream(true)
                .start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("CHECKPOINTS ")) {
                    writer.destroyForcibly(); // SIGKILL on Unix
                    writer.waitFor(10, TimeUnit.SECONDS);
                    return line;
                }
                if (output.size() < 80) {
                    output.add(line);
                }
            }
        } finally {
            writer.destroyForcibly();
        }
        throw new AssertionError("the writer stopped before its checkpoints: " + output);
    }

    private EmbeddedDatabase open() {
        return (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(directory));
    }
}
