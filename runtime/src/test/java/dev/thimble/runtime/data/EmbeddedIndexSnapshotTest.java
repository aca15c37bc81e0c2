package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The field indexes written next to the data at a clean close and read back at the next open (decision 0048): the
 * first query after the open reads no document to fill them, and answers exactly as an unindexed twin collection
 * does, through writes and further reopens; a snapshot that no longer describes the data (the data file changed
 * after it was written) is not used, the index is filled from the documents instead.
 */
class EmbeddedIndexSnapshotTest {
    private static final String DB = "app";
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void afterACleanCloseTheIndexesComeBackWithoutReadingTheDocumentsAndAnswerAsAScan() {
        Random random = new Random(48);
        try (EmbeddedDatabase database = open()) {
            MongoCollection<Document> indexed = database.client().getDatabase(DB).getCollection("indexed");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            indexed.createIndex(Indexes.descending("at"));
            indexed.createIndex(Indexes.ascending("score"));
            indexed.createIndex(Indexes.ascending("name"));
            indexed.createIndex(Indexes.ascending("owner"));
            indexed.createIndex(Indexes.ascending("ref"));
            for (int i = 0; i < 900; i++) {
                Document document = EmbeddedOrderedIndexTest.randomDocument(random, i);
                if (i % 7 == 0) {
                    document.append("ref", new ObjectId());
                }
                indexed.insertOne(new Document(document));
                plain.insertOne(new Document(document));
            }
            EmbeddedOrderedIndexTest.assertSameAnswers(indexed, plain);
        }
        for (int session = 0; session < 2; session++) {
            try (EmbeddedDatabase reopened = open()) {
                MongoCollection<Document> indexed = reopened.client().getDatabase(DB).getCollection("indexed");
                MongoCollection<Document> plain = reopened.client().getDatabase(DB).getCollection("plain");
                ObservedH2Collection stored = reopened.collection(DB, "indexed");
                long indexedBefore = stored.indexedQueries();

                EmbeddedOrderedIndexTest.assertSameAnswers(indexed, plain);
                assertSameRefs(indexed, plain);

                assertThat(stored.documentsReadToFillIndexes()).as("documents read to fill the indexes after a clean close").isZero();
                assertThat(stored.indexedQueries() - indexedBefore).as("queries the restored indexes answered").isPositive();
                for (MongoCollection<Document> c : List.of(indexed, plain)) {
                    c.updateMany(Filters.eq("owner", "bob"), Updates.set("score", 50 + session));
                    c.deleteMany(Filters.lt("at", new Date(T0 + 60_000)));
                    c.insertOne(new Document("_id", "new" + session).append("at", new Date(T0 + 700_000)).append("owner", "dee")
                            .append("name", "n1").append("score", 3));
                }
                EmbeddedOrderedIndexTest.assertSameAnswers(indexed, plain);
                assertThat(indexed.find(Filters.eq("owner", "dee")).into(new ArrayList<>())).hasSize(session + 1);
                assertThat(stored.documentsReadToFillIndexes()).isZero();
            }
        }
    }

    @Test
    void aSnapshotThatNoLongerMatchesTheDataIsNotUsed() {
        try (EmbeddedDatabase database = open()) {
            seedItemsOwnedByAnnAndBob(database);
        }
        // The data changes behind the snapshot's back, as an older Thimble (which writes no snapshots) would change it.
        try (MVStore raw = new MVStore.Builder().fileName(dataFile().toString()).autoCommitDisabled().open()) {
            MVMap<Object, de.bwaldvogel.mongo.bson.Document> data = raw.openMap("databases." + DB + ".items");
            de.bwaldvogel.mongo.bson.Document seven = data.get(7);
            seven.put("owner", "zed");
            data.put(7, seven);
            raw.commit();
        }
        try (EmbeddedDatabase reopened = open()) {
            MongoCollection<Document> items = reopened.client().getDatabase(DB).getCollection("items");
            ObservedH2Collection stored = reopened.collection(DB, "items");

            assertThat(items.find(Filters.eq("owner", "zed")).into(new ArrayList<>())).extracting(d -> d.get("_id")).containsExactly(7);
            assertThat(items.find(Filters.eq("owner", "bob")).into(new ArrayList<>())).hasSize(99);
            assertThat(stored.documentsReadToFillIndexes()).as("filled from the documents").isEqualTo(200);
        }
    }

    /**
     * The log store asks for its indexes at every start (decision 0076). The library builds the index it is asked for,
     * sees one of that name and drops it: that build restored the whole snapshot again (seconds per index at a million
     * records, holding the database's lock, so the first log query after an open waited 4.5-7.6 s).
     */
    @Test
    void creatingAnIndexTheCollectionAlreadyHasDoesNotReadItsSnapshotAgain() {
        try (EmbeddedDatabase database = open()) {
            seedItemsOwnedByAnnAndBob(database);
        }
        try (EmbeddedDatabase reopened = open()) {
            MongoCollection<Document> items = reopened.client().getDatabase(DB).getCollection("items");
            long restored = reopened.indexEntriesRestored();
            assertThat(restored).as("entries restored at the open").isPositive();

            items.createIndex(Indexes.ascending("owner"));

            assertThat(reopened.indexEntriesRestored()).as("entries restored again").isEqualTo(restored);
            assertThat(items.find(Filters.eq("owner", "bob")).into(new ArrayList<>())).hasSize(100);
            assertThat(reopened.collection(DB, "items").documentsReadToFillIndexes()).isZero();
        }
    }

    @Test
    void aCloseOutOfTimeForSnapshotsLeavesTheIndexesToBeFilledFromTheDocuments() {
        try (EmbeddedDatabase database = open()) {
            seedItemsOwnedByAnnAndBob(database);
            database.indexSnapshotBudgetMillis(0);
        }
        assertReopenedIndexIsFilledFromTheDocuments();
    }

    @Test
    void anUnreadableSnapshotIsNotUsed() {
        try (EmbeddedDatabase database = open()) {
            seedItemsOwnedByAnnAndBob(database);
        }
        // The entries cut short (a damaged file, or a format this build cannot read); the header still matches.
        try (MVStore raw = new MVStore.Builder().fileName(dataFile().toString()).autoCommitDisabled().open()) {
            MVMap<String, byte[]> snapshots = raw.openMap(FieldIndexSnapshots.MAP_NAME);
            String chunk = snapshots.keySet().stream().filter(k -> k.endsWith("/0")).findFirst().orElseThrow();
            byte[] bytes = snapshots.get(chunk);
            snapshots.put(chunk, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            raw.commit();
        }
        assertReopenedIndexIsFilledFromTheDocuments();
    }

    @Test
    void anIndexCreatedOnAnEmptyCollectionIsKeptUpToDateByTheWritesThatFollow() {
        try (EmbeddedDatabase database = open()) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            items.createIndex(Indexes.ascending("owner"));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                documents.add(new Document("_id", i).append("owner", "o" + (i % 3)).append("at", new Date(T0 + i)));
            }
            items.insertMany(documents);
            ObservedH2Collection stored = database.collection(DB, "items");

            assertThat(items.find(Filters.eq("owner", "o1")).sort(Sorts.ascending("_id")).limit(2).into(new ArrayList<>()))
                    .extracting(d -> d.get("_id")).containsExactly(1, 4);
            assertThat(stored.documentsReadToFillIndexes()).as("nothing to fill: the inserts went into the index").isZero();
            assertThat(stored.indexCandidatesRead()).as("only o1's documents read").isEqualTo(100);
        }
    }

    private void assertSameRefs(MongoCollection<Document> indexed, MongoCollection<Document> plain) {
        for (Document withRef : plain.find(Filters.exists("ref")).limit(5)) {
            Object ref = withRef.get("ref");
            assertThat(indexed.find(Filters.eq("ref", ref)).into(new ArrayList<>()))
                    .isEqualTo(plain.find(Filters.eq("ref", ref)).into(new ArrayList<>()));
        }
    }

    private EmbeddedDatabase open() {
        return (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp));
    }

    private Path dataFile() {
        return temp.resolve(EmbeddedDatabase.DATA_FILE);
    }

    /** 200 items, half owned by ann and half by bob, under an index on owner that has answered a query. */
    private static void seedItemsOwnedByAnnAndBob(EmbeddedDatabase database) {
        MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
        items.createIndex(Indexes.ascending("owner"));
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            documents.add(new Document("_id", i).append("owner", i % 2 == 0 ? "ann" : "bob"));
        }
        items.insertMany(documents);
        assertThat(items.find(Filters.eq("owner", "ann")).into(new ArrayList<>())).hasSize(100);
    }

    /** After a reopen the items' owner index answers correctly, filled by reading all 200 documents (no snapshot used). */
    private void assertReopenedIndexIsFilledFromTheDocuments() {
        try (EmbeddedDatabase reopened = open()) {
            MongoCollection<Document> items = reopened.client().getDatabase(DB).getCollection("items");
            ObservedH2Collection stored = reopened.collection(DB, "items");

            assertThat(items.find(Filters.eq("owner", "bob")).into(new ArrayList<>())).hasSize(100);
            assertThat(stored.documentsReadToFillIndexes()).as("filled from the documents").isEqualTo(200);
        }
    }
}
