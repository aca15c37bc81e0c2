package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index snapshot of a clean close stays valid after a crash (decision 0069): each write since it is journaled in
 * the data file first, so an open after a crash restores the snapshot and corrects it for the written documents, reading
 * no other document, and the indexes answer exactly as an unindexed twin collection does; through a second crash too.
 * A journal past its limit drops the snapshots, and the open after the next crash fills from the documents.
 *
 * <p>A crash is the data file as a kill -9 leaves it: copied while the database is open, after the writes were
 * acknowledged (every acknowledged write committed and fsynced; no snapshot written since the open).
 */
class EmbeddedIndexJournalTest {
    private static final String DB = "app";
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path temp;

    @AfterEach
    void restoreLimit() {
        FieldIndexJournal.minimumLimit = 50_000;
        FieldIndexCheckpoints.enabled = true;
    }

    @Test
    void afterACrashTheIndexesComeBackFromTheSnapshotAndTheJournalAndAnswerAsAScan() throws Exception {
        Path first = Files.createDirectories(temp.resolve("first"));
        Random random = new Random(69);
        try (EmbeddedDatabase database = open(first)) {
            MongoCollection<Document> indexed = database.client().getDatabase(DB).getCollection("indexed");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            indexed.createIndex(Indexes.descending("at"));
            indexed.createIndex(Indexes.ascending("score"));
            indexed.createIndex(Indexes.ascending("name"));
            indexed.createIndex(Indexes.ascending("owner"));
            indexed.createIndex(Indexes.ascending("owner", "at")); // compound
            for (int i = 0; i < 600; i++) {
                Document document = EmbeddedOrderedIndexTest.randomDocument(random, i);
                indexed.insertOne(new Document(document));
                plain.insertOne(new Document(document));
            }
        } // a clean close: the snapshots are written
        Path crashed = Files.createDirectories(temp.resolve("crashed"));
        try (EmbeddedDatabase reopened = open(first)) {
            assertThat(reopened.collection(DB, "indexed").documentsReadToFillIndexes()).as("restored at the open").isZero();
            writeOnBoth(reopened, 0);
            Files.copy(first.resolve(EmbeddedDatabase.DATA_FILE), crashed.resolve(EmbeddedDatabase.DATA_FILE));
        }
        Path crashedAgain = Files.createDirectories(temp.resolve("crashed-again"));
        try (EmbeddedDatabase afterCrash = open(crashed)) {
            assertAnswersAsAScanWithoutAFill(afterCrash);
            writeOnBoth(afterCrash, 1);
            assertAnswersAsAScanWithoutAFill(afterCrash);
            Files.copy(crashed.resolve(EmbeddedDatabase.DATA_FILE), crashedAgain.resolve(EmbeddedDatabase.DATA_FILE));
        }
        try (EmbeddedDatabase afterSecondCrash = open(crashedAgain)) {
            assertAnswersAsAScanWithoutAFill(afterSecondCrash);
            writeOnBoth(afterSecondCrash, 2);
        }
        try (EmbeddedDatabase afterCleanClose = open(crashedAgain)) {
            assertAnswersAsAScanWithoutAFill(afterCleanClose);
        }
    }

    @Test
    void aJournalPastItsLimitDropsTheSnapshotsSoTheOpenAfterACrashFillsFromTheDocuments() throws Exception {
        Path first = Files.createDirectories(temp.resolve("first"));
        try (EmbeddedDatabase database = open(first)) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            items.createIndex(Indexes.ascending("owner"));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                documents.add(new Document("_id", i).append("owner", i % 2 == 0 ? "ann" : "bob"));
            }
            items.insertMany(documents);
        }
        FieldIndexJournal.minimumLimit = 10;
        FieldIndexCheckpoints.enabled = false; // with them, the journal is checkpointed at half its limit (0076)
        Path crashed = Files.createDirectories(temp.resolve("crashed"));
        try (EmbeddedDatabase reopened = open(first)) {
            MongoCollection<Document> items = reopened.client().getDatabase(DB).getCollection("items");
            for (int i = 0; i < 60; i++) {
                // the 51st goes past the journal's limit (a quarter of the 200 documents)
                items.updateOne(Filters.eq("_id", i), Updates.set("owner", "cy"));
            }
            Files.copy(first.resolve(EmbeddedDatabase.DATA_FILE), crashed.resolve(EmbeddedDatabase.DATA_FILE));
        }
        try (EmbeddedDatabase afterCrash = open(crashed)) {
            MongoCollection<Document> items = afterCrash.client().getDatabase(DB).getCollection("items");
            ObservedH2Collection stored = afterCrash.collection(DB, "items");

            assertThat(items.find(Filters.eq("owner", "cy")).into(new ArrayList<>())).hasSize(60);
            assertThat(items.find(Filters.eq("owner", "ann")).into(new ArrayList<>())).hasSize(70);
            assertThat(stored.documentsReadToFillIndexes()).as("filled from the documents").isEqualTo(200);
        }
    }

    /** Updates (one of them several times), a replacement, deletes, a delete and insert of the same id, inserts. */
    private static void writeOnBoth(EmbeddedDatabase database, int round) {
        for (String name : List.of("indexed", "plain")) {
            MongoCollection<Document> c = database.client().getDatabase(DB).getCollection(name);
            c.updateMany(Filters.eq("owner", "bob"), Updates.set("score", 40 + round));
            c.updateOne(Filters.eq("_id", 7), Updates.set("owner", "dee"));
            c.updateOne(Filters.eq("_id", 7), Updates.set("at", new Date(T0 + 500_000 + round)));
            c.updateOne(Filters.eq("_id", 7), Updates.set("name", List.of("n1", "n" + round)));
            c.replaceOne(Filters.eq("_id", 11), new Document("owner", "eve").append("score", "top").append("at", new Date(T0)));
            c.deleteMany(Filters.lt("at", new Date(T0 + 40_000 + round * 20_000L)));
            c.deleteOne(Filters.eq("_id", 12 + round));
            c.insertOne(new Document("_id", 12 + round).append("owner", "fay").append("at", new Date(T0 + 1)).append("score", 1));
            c.insertOne(new Document("_id", "new" + round).append("at", new Date(T0 + 700_000)).append("owner", "dee")
                    .append("name", "n1").append("score", 3));
        }
    }

    private static void assertAnswersAsAScanWithoutAFill(EmbeddedDatabase database) {
        MongoCollection<Document> indexed = database.client().getDatabase(DB).getCollection("indexed");
        MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
        ObservedH2Collection stored = database.collection(DB, "indexed");
        long answeredBefore = stored.indexedQueries();

        EmbeddedOrderedIndexTest.assertSameAnswers(indexed, plain);
        for (String owner : List.of("ann", "bob", "cy", "dee", "eve", "fay")) {
            assertThat(indexed.find(Filters.eq("owner", owner)).into(new ArrayList<>()))
                    .as("owner %s", owner).containsExactlyInAnyOrderElementsOf(plain.find(Filters.eq("owner", owner)).into(new ArrayList<>()));
            assertThat(indexed.find(Filters.and(Filters.eq("owner", owner), Filters.gte("at", new Date(T0 + 100_000)))).into(new ArrayList<>()))
                    .containsExactlyInAnyOrderElementsOf(plain.find(Filters.and(Filters.eq("owner", owner),
                            Filters.gte("at", new Date(T0 + 100_000)))).into(new ArrayList<>()));
        }
        assertThat(stored.documentsReadToFillIndexes()).as("no document read to fill the indexes").isZero();
        assertThat(stored.indexesWaitingToFill()).isZero();
        assertThat(stored.indexedQueries() - answeredBefore).as("queries the indexes answered").isPositive();
    }

    private static EmbeddedDatabase open(Path directory) {
        return (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(directory));
    }
}
