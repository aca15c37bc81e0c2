package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import dev.thimble.testing.Eventually;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store reopened after a crash has no index snapshots (decision 0048), so its field indexes are filled from the
 * documents; in a large collection that happens in the background (decision 0053): finds that do not need the index
 * are answered meanwhile, a find that does waits for the fill without holding up the writes, never reading a
 * half-filled index, writes during the fill land in the index whichever side of the fill's position they fall, and
 * once filled the index answers exactly what the documents say.
 */
class EmbeddedBackgroundIndexFillTest {
    private static final String DB = "app";
    private static final int DOCUMENTS = 600;

    @TempDir
    Path temp;

    @AfterEach
    void restoreFillSettings() {
        BackgroundIndexFill.gate = null;
        BackgroundIndexFill.minimumDocuments = Long.getLong("thimble.db.backgroundFillDocuments", 50_000);
        BackgroundIndexFill.batchDocuments = 1_000;
    }

    @Test
    void aCrashedStoreTakesWritesAndOtherFindsWhileItsIndexFillsAndThenAnswersFromTheIndex() throws Exception {
        Path live = Files.createDirectories(temp.resolve("live"));
        Path crashed = Files.createDirectories(temp.resolve("crashed"));
        Map<Integer, String> owners = new TreeMap<>();
        try (EmbeddedDatabase database = open(live)) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            items.createIndex(Indexes.ascending("owner"));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < DOCUMENTS; i++) {
                documents.add(new Document("_id", i).append("owner", "o" + (i % 3)));
                owners.put(i, "o" + (i % 3));
            }
            items.insertMany(documents);
            assertThat(items.find(Filters.eq("owner", "o1")).into(new ArrayList<>())).hasSize(DOCUMENTS / 3);
            // What a kill -9 now leaves: every acknowledged write committed and fsynced, no index snapshot.
            Files.copy(live.resolve(EmbeddedDatabase.DATA_FILE), crashed.resolve(EmbeddedDatabase.DATA_FILE));
        }
        Semaphore gate = holdBackgroundFills();

        try (EmbeddedDatabase reopened = open(crashed)) {
            MongoCollection<Document> items = reopened.client().getDatabase(DB).getCollection("items");
            ObservedH2Collection stored = reopened.collection(DB, "items");

            // a find that needs no waiting index is answered at once (from the documents); the fill starts
            assertThat(items.find(Filters.eq("tag", "none")).into(new ArrayList<>())).isEmpty();
            assertThat(items.find(Filters.eq("_id", 7)).first()).extracting(d -> d.get("owner")).isEqualTo("o1");
            assertThat(stored.documentsReadToFillIndexes()).as("no query waited for a fill").isZero();
            assertThat(stored.indexesWaitingToFill()).isEqualTo(1);

            gate.release(2);
            Eventually.await("two batches filled", () -> stored.documentsReadToFillIndexes() == 200);
            // a find on the owner waits for the fill, holding no lock: writes go on meanwhile
            CompletableFuture<List<Object>> ownerO1 = CompletableFuture.supplyAsync(() -> ids(items, "o1"));
            // writes before the fill's position (ids up to 199) and after it, while it waits half way
            items.insertOne(new Document("_id", -1).append("owner", "o1"));
            items.insertOne(new Document("_id", 10_000).append("owner", "o1"));
            items.updateOne(Filters.eq("_id", 10), Updates.set("owner", "o2"));
            items.updateOne(Filters.eq("_id", 400), Updates.set("owner", "o0"));
            items.deleteOne(Filters.eq("_id", 13));
            items.deleteOne(Filters.eq("_id", 499));
            owners.put(-1, "o1");
            owners.put(10_000, "o1");
            owners.put(10, "o2");
            owners.put(400, "o0");
            owners.remove(13);
            owners.remove(499);
            assertThat(items.countDocuments()).isEqualTo(owners.size());
            assertThat(items.updateMany(Filters.eq("owner", "o0"), Updates.set("seen", true)).getMatchedCount())
                    .as("a write filtering on the indexed field does not wait").isEqualTo(expected(owners, "o0").size());
            assertThat(ownerO1).as("the owner's find waits for the fill").isNotDone();
            assertThat(stored.indexesWaitingToFill()).isEqualTo(1);

            gate.release(1_000);
            assertThat(ownerO1.get(2, TimeUnit.MINUTES)).as("the waiting find, answered from the filled index")
                    .isEqualTo(expected(owners, "o1"));
            assertThat(stored.indexesWaitingToFill()).isZero();
            for (String owner : List.of("o0", "o1", "o2")) {
                long before = stored.indexCandidatesRead();
                assertThat(ids(items, owner)).as("owner %s from the filled index", owner).isEqualTo(expected(owners, owner));
                assertThat(stored.indexCandidatesRead() - before).as("only %s's documents read", owner)
                        .isEqualTo(expected(owners, owner).size());
            }
        }
    }

    /** A compound index serves no query without its first key (0048), so only finds naming that key wait for its fill (0069). */
    @Test
    void onlyAFindNamingTheFirstKeyOfACompoundIndexWaitsForItsFill() throws Exception {
        Path live = Files.createDirectories(temp.resolve("live"));
        Path crashed = Files.createDirectories(temp.resolve("crashed"));
        try (EmbeddedDatabase database = open(live)) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            items.createIndex(Indexes.compoundIndex(Indexes.ascending("owner"), Indexes.descending("n")));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < DOCUMENTS; i++) {
                documents.add(new Document("_id", i).append("owner", "o" + (i % 3)).append("n", i % 50));
            }
            items.insertMany(documents);
            Files.copy(live.resolve(EmbeddedDatabase.DATA_FILE), crashed.resolve(EmbeddedDatabase.DATA_FILE));
        }
        Semaphore gate = holdBackgroundFills();

        try (EmbeddedDatabase reopened = open(crashed)) {
            MongoCollection<Document> items = reopened.client().getDatabase(DB).getCollection("items");
            ObservedH2Collection stored = reopened.collection(DB, "items");

            // the fill starts and is held before its first batch; a find on the second key alone is answered at once
            CompletableFuture<List<Document>> secondKey = CompletableFuture.supplyAsync(
                    () -> items.find(Filters.eq("n", 7)).sort(new Document("n", -1)).into(new ArrayList<>()));
            assertThat(secondKey.get(2, TimeUnit.MINUTES)).as("answered while the fill is held").hasSize(DOCUMENTS / 50);
            assertThat(stored.indexesWaitingToFill()).isEqualTo(1);
            CompletableFuture<List<Object>> ownerO2 = CompletableFuture.supplyAsync(() -> ids(items, "o2"));
            Eventually.await("the find on the first key waiting", () -> !ownerO2.isDone() && stored.indexesWaitingToFill() == 1);
            assertThat(ownerO2).as("the find on the first key waits for the fill").isNotDone();

            gate.release(1_000);
            assertThat(ownerO2.get(2, TimeUnit.MINUTES)).hasSize(DOCUMENTS / 3);
        }
    }

    /** Every collection filled in the background, 100 documents a batch, each batch waiting for a permit of the gate. */
    private static Semaphore holdBackgroundFills() {
        BackgroundIndexFill.minimumDocuments = 1;
        BackgroundIndexFill.batchDocuments = 100;
        Semaphore gate = new Semaphore(0);
        BackgroundIndexFill.gate = gate;
        return gate;
    }

    private static List<Object> ids(MongoCollection<Document> items, String owner) {
        List<Object> ids = new ArrayList<>();
        items.find(Filters.eq("owner", owner)).forEach(d -> ids.add(d.get("_id")));
        ids.sort((a, b) -> Integer.compare((Integer) a, (Integer) b));
        return ids;
    }

    private static List<Object> expected(Map<Integer, String> owners, String owner) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(owner)).map(e -> (Object) e.getKey()).toList();
    }

    private static EmbeddedDatabase open(Path directory) {
        return (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(directory));
    }
}
