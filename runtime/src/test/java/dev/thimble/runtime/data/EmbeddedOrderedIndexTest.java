package dev.thimble.runtime.data;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
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
 * Sorts and ranges served by the embedded database's single-field indexes ({@link FieldIndex}, decision
 * 0040): a sort by an indexed field with a limit reads about as many documents as it returns, a range reads
 * the documents in it, and every answer — order of ties, skip, limit, missing values, arrays, mixed types,
 * bounds of another type — is exactly what the same query answers on an unindexed twin collection, after
 * inserts, updates, deletes and a reopen of the data file.
 */
class EmbeddedOrderedIndexTest {
    private static final String DB = "app";
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void aSortByAnIndexedFieldWithALimitReadsOnlyThePage() {
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> events = database.client().getDatabase(DB).getCollection("events");
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                documents.add(new Document("_id", i).append("at", new Date(T0 + i * 1000L)).append("kind", i % 4 == 0 ? "a" : "b"));
            }
            events.insertMany(documents);
            events.createIndex(Indexes.descending("at"));
            ObservedH2Collection stored = database.collection(DB, "events");

            List<Document> newest = events.find().sort(Sorts.descending("at")).limit(10).into(new ArrayList<>());
            assertThat(newest).extracting(d -> d.get("_id")).containsExactly(1999, 1998, 1997, 1996, 1995, 1994, 1993, 1992, 1991, 1990);
            assertThat(stored.indexedQueries()).isEqualTo(1);
            assertThat(stored.indexCandidatesRead()).as("documents read for a page of 10").isLessThanOrEqualTo(11);

            List<Document> kindA = events.find(Filters.eq("kind", "a")).sort(Sorts.ascending("at")).skip(5).limit(3)
                    .into(new ArrayList<>());
            assertThat(kindA).extracting(d -> d.get("_id")).containsExactly(20, 24, 28);
            assertThat(stored.indexCandidatesRead()).as("an unindexed filter: the walk stops after skip + limit matches")
                    .isLessThanOrEqualTo(11 + 40);

            long before = stored.indexCandidatesRead();
            List<Document> window = events.find(Filters.and(Filters.gte("at", new Date(T0 + 500_000)), Filters.lt("at", new Date(T0 + 520_000))))
                    .into(new ArrayList<>());
            assertThat(window).extracting(d -> d.get("_id")).containsExactlyElementsOf(range(500, 520));
            assertThat(stored.indexCandidatesRead() - before).as("documents read for a range of 20").isEqualTo(20);
        }
    }

    @Test
    void aPageSortedByOneIndexUnderACommonEqualityOnAnotherReadsOnlyItsDocuments() {
        // the log store's "one function in a one-hour window": the equality names too many documents to collect,
        // so the walk of the window looks each entry up in the other index instead of reading the document (0048)
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> indexed = database.client().getDatabase(DB).getCollection("records");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            indexed.createIndex(Indexes.descending("at"));
            indexed.createIndex(Indexes.ascending("fn"));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 4_000; i++) {
                documents.add(new Document("_id", i).append("at", new Date(T0 + i * 1000L)).append("fn", i % 2 == 0 ? "even" : "odd"));
            }
            indexed.insertMany(documents);
            plain.insertMany(documents);
            ObservedH2Collection stored = database.collection(DB, "records");
            Function<MongoCollection<Document>, List<Document>> page = c -> c.find(Filters.and(Filters.eq("fn", "odd"),
                            Filters.gte("at", new Date(T0 + 1_000_000)), Filters.lt("at", new Date(T0 + 3_000_000))))
                    .sort(Sorts.descending("at", "_id")).limit(20).into(new ArrayList<>());

            List<Document> answer = page.apply(indexed);

            assertThat(answer).isEqualTo(page.apply(plain));
            assertThat(answer).extracting(d -> d.get("_id")).startsWith(2999, 2997, 2995);
            assertThat(stored.indexCandidatesRead()).as("documents read for a page of 20").isLessThanOrEqualTo(21);
        }
    }

    @Test
    void indexesAreFilledTogetherInOneReadAtTheFirstQueryAndSeeTheWritesBeforeIt() {
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                documents.add(new Document("_id", i).append("at", new Date(T0 + i * 1000L)).append("owner", i % 3 == 0 ? "ann" : "bob"));
            }
            items.insertMany(documents);
            items.createIndex(Indexes.descending("at"));
            items.createIndex(Indexes.ascending("owner"));
        }
        try (EmbeddedDatabase reopened = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = reopened.client().getDatabase(DB).getCollection("items");
            ObservedH2Collection stored = reopened.collection(DB, "items");
            items.insertOne(new Document("_id", 1_000).append("at", new Date(T0 + 999_000)).append("owner", "ann"));
            assertThat(stored.documentsReadToFillIndexes()).as("nothing read before a query needs the indexes").isZero();

            List<Document> newest = items.find(Filters.eq("owner", "ann")).sort(Sorts.descending("at")).limit(3).into(new ArrayList<>());

            assertThat(newest).extracting(d -> d.get("_id")).containsExactly(1_000, 297, 294);
            assertThat(stored.documentsReadToFillIndexes()).as("one read of the collection for both indexes").isEqualTo(301);
            items.deleteOne(Filters.eq("_id", 1_000));
            assertThat(items.find(Filters.eq("owner", "ann")).sort(Sorts.descending("at")).limit(2).into(new ArrayList<>()))
                    .extracting(d -> d.get("_id")).containsExactly(297, 294);
            assertThat(stored.documentsReadToFillIndexes()).isEqualTo(301);
        }
    }

    @Test
    void sortsAndRangesAnswerAsAFullScanThroughWritesAndAReopen() {
        Random random = new Random(37);
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> indexed = database.client().getDatabase(DB).getCollection("indexed");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            indexed.createIndex(Indexes.descending("at"));
            indexed.createIndex(Indexes.ascending("score"));
            indexed.createIndex(Indexes.ascending("name"));
            indexed.createIndex(Indexes.ascending("owner"));
            for (int i = 0; i < 1_200; i++) {
                Document document = randomDocument(random, i);
                indexed.insertOne(new Document(document));
                plain.insertOne(new Document(document));
            }
            assertSameAnswers(indexed, plain);

            for (MongoCollection<Document> c : List.of(indexed, plain)) {
                c.updateMany(Filters.lt("at", new Date(T0 + 100_000)), Updates.set("at", new Date(T0 + 900_000)));
                c.updateMany(Filters.eq("owner", "bob"), Updates.set("score", 77));
                c.deleteMany(Filters.and(Filters.gte("at", new Date(T0 + 300_000)), Filters.lt("at", new Date(T0 + 320_000))));
                c.insertOne(new Document("_id", 9_000).append("at", new Date(T0 + 300_000)).append("score", 5).append("owner", "ann"));
            }
            assertSameAnswers(indexed, plain);

            for (MongoCollection<Document> c : List.of(indexed, plain)) {
                c.updateMany(Filters.exists("score", false), Updates.set("score", 0));
                c.updateMany(Filters.type("score", "string"), Updates.set("score", -1));
                c.updateMany(Filters.type("name", "array"), Updates.set("name", "listed"));
            }
            assertSameAnswers(indexed, plain);
        }
        try (EmbeddedDatabase reopened = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> indexed = reopened.client().getDatabase(DB).getCollection("indexed");
            MongoCollection<Document> plain = reopened.client().getDatabase(DB).getCollection("plain");
            ObservedH2Collection stored = reopened.collection(DB, "indexed");
            long before = stored.indexedQueries();
            assertSameAnswers(indexed, plain);
            assertThat(stored.indexedQueries() - before).as("queries the rebuilt indexes answered").isPositive();
            for (MongoCollection<Document> c : List.of(indexed, plain)) {
                c.insertOne(new Document("_id", 9_001).append("at", new Date(T0)).append("score", 1).append("name", "zed"));
            }
            assertSameAnswers(indexed, plain);
        }
    }

    /** Many ties on {@code at}; {@code score} a number, sometimes missing or a string; {@code name} sometimes an array. */
    static Document randomDocument(Random random, int i) {
        Document document = new Document("_id", i % 5 == 0 ? (Object) ("s" + i) : (Object) i)
                .append("at", new Date(T0 + random.nextInt(600) * 1000L))
                .append("owner", List.of("ann", "bob", "cy").get(random.nextInt(3)));
        switch (random.nextInt(12)) {
            case 0 -> { } // no score
            case 1 -> document.append("score", "high");
            case 2 -> document.append("score", random.nextDouble() * 100);
            default -> document.append("score", random.nextInt(100));
        }
        if (random.nextInt(10) == 0) {
            document.append("name", List.of("n" + random.nextInt(50), "n" + random.nextInt(50)));
        } else {
            document.append("name", "n" + random.nextInt(50));
        }
        return document;
    }

    static void assertSameAnswers(MongoCollection<Document> indexed, MongoCollection<Document> plain) {
        Date early = new Date(T0 + 120_000);
        Date late = new Date(T0 + 450_000);
        List<Function<MongoCollection<Document>, FindIterable<Document>>> queries = new ArrayList<>();
        queries.add(c -> c.find().sort(Sorts.descending("at")).limit(25));
        queries.add(c -> c.find().sort(Sorts.ascending("at")).skip(17).limit(40));
        queries.add(c -> c.find().sort(Sorts.descending("at", "_id")).limit(30));
        queries.add(c -> c.find().sort(Sorts.ascending("at", "_id")).skip(3).limit(30));
        queries.add(c -> c.find().sort(Sorts.orderBy(Sorts.descending("at"), Sorts.ascending("_id"))).limit(30)); // not served
        queries.add(c -> c.find().sort(Sorts.descending("at")));
        queries.add(c -> c.find(Filters.eq("owner", "cy")).sort(Sorts.descending("at")).limit(12));
        queries.add(c -> c.find(Filters.gt("at", early)).sort(Sorts.descending("at", "_id")).limit(50));
        queries.add(c -> c.find(Filters.and(Filters.gte("at", early), Filters.lte("at", late))));
        queries.add(c -> c.find(new Document("at", new Document("$gt", early).append("$lt", late))).sort(Sorts.ascending("at")).limit(15));
        queries.add(c -> c.find(Filters.and(Filters.lt("at", early), Filters.gt("at", late)))); // empty
        queries.add(c -> c.find(Filters.gt("at", "a string"))); // another type: nothing
        queries.add(c -> c.find(Filters.lte("at", late)).sort(Sorts.descending("at")).skip(10).limit(10));
        queries.add(c -> c.find(Filters.and(Filters.eq("owner", "ann"), Filters.gte("at", late))).sort(Sorts.ascending("at", "_id")));
        queries.add(c -> c.find().sort(Sorts.ascending("score")).limit(20));
        queries.add(c -> c.find().sort(Sorts.descending("score")).limit(20));
        queries.add(c -> c.find(Filters.gte("score", 50)).sort(Sorts.ascending("_id")));
        queries.add(c -> c.find(Filters.and(Filters.gt("score", 10), Filters.lte("score", 20.5))));
        queries.add(c -> c.find(Filters.gt("name", "n40")));
        queries.add(c -> c.find(Filters.and(Filters.gt("name", "n10"), Filters.lt("name", "n20"))).sort(Sorts.descending("name")).limit(9));
        queries.add(c -> c.find().sort(Sorts.ascending("name")).limit(20));
        for (Function<MongoCollection<Document>, FindIterable<Document>> query : queries) {
            List<Document> expected = query.apply(plain).into(new ArrayList<>());
            assertThat(query.apply(indexed).into(new ArrayList<>())).isEqualTo(expected);
        }
        Bson everything = new Document();
        assertThat(indexed.countDocuments(everything)).isEqualTo(plain.countDocuments(everything));
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
