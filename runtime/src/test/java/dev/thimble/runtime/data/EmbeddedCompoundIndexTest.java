package dev.thimble.runtime.data;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compound indexes on the embedded database (decision 0048): {@code {owner: 1, at: -1}} serves an equality on
 * {@code owner}, and under it a range on {@code at} and a sort by {@code at}, reading about as many documents as a
 * page returns; every answer — ties, skip, limit, missing values, arrays, mixed types — is the one an unindexed twin
 * collection gives, through writes and reopens (the index then comes back from its snapshot).
 */
class EmbeddedCompoundIndexTest {
    private static final String DB = "app";
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void aPageUnderAnEqualityOnTheFirstKeySortedByTheSecondReadsOnlyThePage() {
        try (EmbeddedDatabase database = open()) {
            MongoCollection<Document> events = database.client().getDatabase(DB).getCollection("events");
            events.createIndex(Indexes.compoundIndex(Indexes.ascending("owner"), Indexes.descending("at")));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                documents.add(new Document("_id", i).append("owner", "o" + (i % 10)).append("at", new Date(T0 + i * 1000L)));
            }
            events.insertMany(documents);
            ObservedH2Collection stored = database.collection(DB, "events");

            List<Document> newest = events.find(Filters.eq("owner", "o3")).sort(Sorts.descending("at")).limit(5).into(new ArrayList<>());

            assertThat(newest).extracting(d -> d.get("_id")).containsExactly(2993, 2983, 2973, 2963, 2953);
            assertThat(stored.indexCandidatesRead()).as("documents read for a page of 5 out of 300 of o3's").isLessThanOrEqualTo(6);

            long before = stored.indexCandidatesRead();
            List<Document> window = events.find(Filters.and(Filters.eq("owner", "o7"),
                    Filters.gte("at", new Date(T0 + 1_000_000)), Filters.lt("at", new Date(T0 + 1_100_000)))).into(new ArrayList<>());
            assertThat(window).hasSize(10);
            assertThat(stored.indexCandidatesRead() - before).as("documents read for o7's 10 in a window").isEqualTo(10);
        }
    }

    /**
     * The log store's "errors only" page (decision 0069): a status that one record in 150 has, newest first with ties
     * by {@code _id}, under an index on the status then the start: only the page is read, not every error sorted,
     * also when the errors are few enough that reading them all would have been chosen before.
     */
    @Test
    void aThinFilterNewestFirstThenByIdReadsOnlyThePage() {
        try (EmbeddedDatabase database = open()) {
            MongoCollection<Document> records = database.client().getDatabase(DB).getCollection("records");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            records.createIndex(Indexes.compoundIndex(Indexes.ascending("status"), Indexes.descending("started")));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                // every second pair of records shares a start: ties ordered by _id
                documents.add(new Document("_id", "r" + (10_000 + i)).append("status", i % 300 == 7 || i % 300 == 8 ? "error" : "ok")
                        .append("started", new Date(T0 + (i / 2) * 1000L)));
            }
            records.insertMany(documents);
            plain.insertMany(documents.stream().map(Document::new).toList());
            ObservedH2Collection stored = database.collection(DB, "records");

            var newestFirst = Sorts.descending("started", "_id");
            List<Document> page = records.find(Filters.eq("status", "error")).sort(newestFirst).limit(11).into(new ArrayList<>());

            assertThat(page).isEqualTo(plain.find(Filters.eq("status", "error")).sort(newestFirst).limit(11).into(new ArrayList<>()));
            assertThat(page).extracting(d -> d.get("_id")).startsWith("r12708", "r12707", "r12408", "r12407");
            assertThat(stored.indexCandidatesRead()).as("documents read for a page of 11 of the 20 errors").isLessThanOrEqualTo(12);
        }
    }

    /**
     * The log store's "one function in a one-hour window" (decision 0076): a function (one record in 10) and a range of
     * starts, newest first with ties by {@code _id}, next to an index on the start alone, as the log store has them.
     * Under {function, started} the window is one stretch of the function's records: the page is read, and the planner
     * does not first list the function's records (at a million records it listed ~98,000, 202 ms, for a page of 100).
     */
    @Test
    void aFunctionsWindowNewestFirstReadsThePageWithoutListingTheFunctionsRecords() {
        try (EmbeddedDatabase database = open()) {
            MongoCollection<Document> records = database.client().getDatabase(DB).getCollection("records");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            records.createIndex(Indexes.descending("started"));
            records.createIndex(Indexes.compoundIndex(Indexes.ascending("function_name"), Indexes.descending("started")));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                // pairs of records share a start: ties ordered by _id
                documents.add(new Document("_id", "r" + (10_000 + i)).append("function_name", "fn" + (i % 10))
                        .append("started", new Date(T0 + (i / 2) * 1000L)));
            }
            records.insertMany(documents);
            plain.insertMany(documents.stream().map(Document::new).toList());
            ObservedH2Collection stored = database.collection(DB, "records");
            var window = Filters.and(Filters.eq("function_name", "fn3"), Filters.gte("started", new Date(T0 + 500_000)),
                    Filters.lte("started", new Date(T0 + 1_000_000)));
            var newestFirst = Sorts.descending("started", "_id");
            long collectedBefore = stored.positionsCollected();

            List<Document> page = records.find(window).sort(newestFirst).limit(11).into(new ArrayList<>());

            assertThat(page).isEqualTo(plain.find(window).sort(newestFirst).limit(11).into(new ArrayList<>()));
            assertThat(page).hasSize(11).extracting(d -> d.get("_id")).startsWith("r11993", "r11983");
            assertThat(stored.indexCandidatesRead()).as("documents read for a page of 11 of fn3's 100 in the window").isLessThanOrEqualTo(12);
            assertThat(stored.positionsCollected() - collectedBefore).as("positions listed before the walk (fn3 has 300 records,"
                    + " the window 1,000)").isLessThan(100);
            // the next page continues below the first page's last start, as LogQuery.next asks
            Date last = page.getLast().getDate("started");
            var next = Filters.and(Filters.eq("function_name", "fn3"), Filters.gte("started", new Date(T0 + 500_000)),
                    Filters.lte("started", last));
            assertThat(records.find(next).sort(newestFirst).skip(1).limit(11).into(new ArrayList<>()))
                    .isEqualTo(plain.find(next).sort(newestFirst).skip(1).limit(11).into(new ArrayList<>()));
        }
    }

    @Test
    void compoundIndexesAnswerAsAFullScanThroughWritesAndReopens() {
        Random random = new Random(480);
        try (EmbeddedDatabase database = open()) {
            MongoCollection<Document> indexed = database.client().getDatabase(DB).getCollection("indexed");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            indexed.createIndex(Indexes.compoundIndex(Indexes.ascending("owner"), Indexes.descending("at")));
            indexed.createIndex(Indexes.compoundIndex(Indexes.ascending("owner"), Indexes.ascending("score")));
            indexed.createIndex(Indexes.compoundIndex(Indexes.ascending("name"), Indexes.ascending("at"), Indexes.ascending("score")));
            for (int i = 0; i < 1_000; i++) {
                Document document = EmbeddedOrderedIndexTest.randomDocument(random, i);
                indexed.insertOne(new Document(document));
                plain.insertOne(new Document(document));
            }
            assertSameAnswers(indexed, plain);

            for (MongoCollection<Document> c : List.of(indexed, plain)) {
                c.updateMany(Filters.eq("owner", "bob"), Updates.set("at", new Date(T0 + 250_000)));
                c.deleteMany(Filters.and(Filters.eq("owner", "cy"), Filters.lt("at", new Date(T0 + 200_000))));
                c.insertOne(new Document("_id", 5_000).append("owner", List.of("ann", "cy")).append("at", new Date(T0 + 5_000))
                        .append("name", "n3"));
                c.insertOne(new Document("_id", 5_001).append("owner", "ann").append("name", "n3").append("score", 7));
            }
            assertSameAnswers(indexed, plain);
        }
        for (int session = 0; session < 2; session++) {
            try (EmbeddedDatabase reopened = open()) {
                MongoCollection<Document> indexed = reopened.client().getDatabase(DB).getCollection("indexed");
                MongoCollection<Document> plain = reopened.client().getDatabase(DB).getCollection("plain");
                ObservedH2Collection stored = reopened.collection(DB, "indexed");
                long before = stored.indexedQueries();
                assertSameAnswers(indexed, plain);
                assertThat(stored.indexedQueries() - before).as("queries the compound indexes answered").isPositive();
                assertThat(stored.documentsReadToFillIndexes()).as("restored from their snapshots").isZero();
                for (MongoCollection<Document> c : List.of(indexed, plain)) {
                    c.updateMany(Filters.type("score", "string"), Updates.set("score", 11 + session));
                    c.updateMany(Filters.exists("score", false), Updates.set("score", 0));
                    c.updateMany(Filters.type("at", "array"), Updates.set("at", new Date(T0)));
                }
                assertSameAnswers(indexed, plain);
            }
        }
    }

    private static void assertSameAnswers(MongoCollection<Document> indexed, MongoCollection<Document> plain) {
        Date early = new Date(T0 + 150_000);
        Date late = new Date(T0 + 420_000);
        List<Function<MongoCollection<Document>, FindIterable<Document>>> queries = new ArrayList<>();
        queries.add(c -> c.find(Filters.eq("owner", "ann")));
        queries.add(c -> c.find(Filters.eq("owner", "ann")).sort(Sorts.descending("at")).limit(10));
        queries.add(c -> c.find(Filters.eq("owner", "bob")).sort(Sorts.ascending("at")).skip(4).limit(9));
        queries.add(c -> c.find(Filters.eq("owner", "cy")).sort(Sorts.descending("at", "_id")).limit(20));
        queries.add(c -> c.find(Filters.eq("owner", "cy")).sort(Sorts.ascending("at", "_id")).skip(2).limit(20));
        queries.add(c -> c.find(Filters.eq("owner", "ann")).sort(Sorts.orderBy(Sorts.ascending("at"), Sorts.descending("_id"))).limit(8));
        queries.add(c -> c.find(Filters.and(Filters.eq("owner", "ann"), Filters.gte("at", early), Filters.lt("at", late))));
        queries.add(c -> c.find(Filters.and(Filters.eq("owner", "bob"), Filters.gt("at", early))).sort(Sorts.descending("at")).limit(7));
        queries.add(c -> c.find(Filters.and(Filters.eq("owner", "cy"), Filters.lte("at", late))).sort(Sorts.ascending("at")));
        queries.add(c -> c.find(Filters.and(Filters.eq("owner", "cy"), Filters.gt("at", "a string"))));
        queries.add(c -> c.find(Filters.in("owner", "ann", "cy")).sort(Sorts.descending("at")).limit(15));
        queries.add(c -> c.find(Filters.eq("owner", "ann")).sort(Sorts.ascending("score")).limit(12));
        queries.add(c -> c.find(Filters.and(Filters.eq("owner", "bob"), Filters.gte("score", 20), Filters.lt("score", 60))));
        queries.add(c -> c.find(Filters.and(Filters.eq("owner", "bob"), Filters.gte("score", 20))).sort(Sorts.descending("score")).limit(6));
        queries.add(c -> c.find(Filters.eq("name", "n3")).sort(Sorts.ascending("at")));
        queries.add(c -> c.find(Filters.eq("name", "n7")).sort(Sorts.descending("at")).limit(3));
        queries.add(c -> c.find(Filters.and(Filters.eq("name", "n9"), Filters.lt("at", late))));
        queries.add(c -> c.find().sort(Sorts.ascending("owner")).limit(30));
        queries.add(c -> c.find().sort(Sorts.ascending("owner", "_id")).limit(30));
        for (Function<MongoCollection<Document>, FindIterable<Document>> query : queries) {
            List<Document> expected = query.apply(plain).into(new ArrayList<>());
            assertThat(query.apply(indexed).into(new ArrayList<>())).isEqualTo(expected);
        }
    }

    private EmbeddedDatabase open() {
        return (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp));
    }
}
