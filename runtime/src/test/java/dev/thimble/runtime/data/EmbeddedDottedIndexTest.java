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
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Indexes on a dotted path ({@code address.city}) are {@link FieldIndex}es too (decision 0043): an equality on
 * the path reads the documents holding the value, a sort by it with a limit reads the page, and every answer
 * — with sub-documents, arrays of sub-documents on the way, arrays at the end, scalars where a sub-document
 * is expected and missing parts — equals the same query's on an unindexed twin, through updates and a reopen.
 */
class EmbeddedDottedIndexTest {
    private static final String DB = "app";

    @TempDir
    Path temp;

    @Test
    void anEqualityAndASortedPageOnADottedPathReadOnlyWhatTheyReturn() {
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> people = database.client().getDatabase(DB).getCollection("people");
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                documents.add(new Document("_id", i).append("address", new Document("city", "c" + i % 50).append("zip", 10_000 + i)));
            }
            people.insertMany(documents);
            people.createIndex(Indexes.ascending("address.city"));
            people.createIndex(Indexes.descending("address.zip"));
            ObservedH2Collection stored = database.collection(DB, "people");

            assertThat(people.find(Filters.eq("address.city", "c7")).into(new ArrayList<>())).hasSize(20);
            assertThat(stored.indexCandidatesRead()).as("documents read for 20 matches").isEqualTo(20);
            List<Document> top = people.find().sort(Sorts.descending("address.zip")).limit(3).into(new ArrayList<>());
            assertThat(top).extracting(d -> d.get("_id")).containsExactly(999, 998, 997);
            assertThat(stored.indexCandidatesRead()).isLessThanOrEqualTo(20 + 4);
        }
    }

    @Test
    void dottedQueriesAnswerAsOnAnUnindexedTwinThroughWritesAndAReopen() {
        Random random = new Random(53);
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> indexed = database.client().getDatabase(DB).getCollection("indexed");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            indexed.createIndex(Indexes.ascending("a.city"));
            indexed.createIndex(Indexes.ascending("a.zip"));
            indexed.createIndex(Indexes.ascending("m.n.o"));
            for (int i = 0; i < 600; i++) {
                Document document = randomDocument(random, i);
                indexed.insertOne(new Document(document));
                plain.insertOne(new Document(document));
            }
            assertSameAnswers(indexed, plain);
            long served = database.collection(DB, "indexed").indexedQueries();
            assertThat(served).as("queries the dotted indexes answered").isPositive();

            for (MongoCollection<Document> c : List.of(indexed, plain)) {
                c.updateMany(Filters.and(Filters.eq("a.city", "rome"), Filters.not(Filters.type("a", "array"))), Updates.set("a.city", "oslo"));
                c.updateMany(Filters.lt("a.zip", 20), Updates.set("a", List.of(new Document("city", "lima").append("zip", 5))));
                c.updateMany(Filters.eq("m.n.o", "x1"), Updates.unset("m.n"));
            }
            assertSameAnswers(indexed, plain);
            // only sub-documents on the path again: sorts and ranges are served once more
            for (MongoCollection<Document> c : List.of(indexed, plain)) {
                c.deleteMany(Filters.or(Filters.type("a", "array"), Filters.type("a", "string"), Filters.exists("a.zip", false),
                        Filters.type("a.zip", "array"), Filters.type("a.zip", "string")));
            }
            assertSameAnswers(indexed, plain);
        }
        try (EmbeddedDatabase reopened = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            assertSameAnswers(reopened.client().getDatabase(DB).getCollection("indexed"),
                    reopened.client().getDatabase(DB).getCollection("plain"));
        }
    }

    private static Document randomDocument(Random random, int i) {
        String city = List.of("rome", "oslo", "kyiv", "lima").get(random.nextInt(4));
        Object a = switch (random.nextInt(14)) {
            case 0 -> "just a string";
            case 1 -> List.of(new Document("city", city).append("zip", random.nextInt(100)), new Document("city", "kyiv"));
            case 2 -> new Document("city", List.of(city, "oslo")).append("zip", random.nextInt(100));
            case 3 -> new Document("zip", random.nextInt(100)); // no city
            case 4 -> new Document("city", city).append("zip", "z" + random.nextInt(9));
            default -> new Document("city", city).append("zip", random.nextInt(100));
        };
        Document document = new Document("_id", i).append("a", a);
        if (random.nextInt(3) > 0) {
            document.append("m", new Document("n", random.nextInt(5) == 0 ? List.of(new Document("o", "x" + random.nextInt(3)))
                    : new Document("o", "x" + random.nextInt(3))));
        }
        return document;
    }

    private static void assertSameAnswers(MongoCollection<Document> indexed, MongoCollection<Document> plain) {
        List<Function<MongoCollection<Document>, FindIterable<Document>>> queries = new ArrayList<>();
        for (String city : List.of("rome", "oslo", "kyiv", "lima", "nowhere")) {
            queries.add(c -> c.find(Filters.eq("a.city", city)));
            queries.add(c -> c.find(Filters.eq("a.city", city)).sort(Sorts.descending("a.zip")).limit(7));
        }
        queries.add(c -> c.find(Filters.in("a.city", "rome", "lima")).skip(3).limit(20));
        queries.add(c -> c.find(Filters.gte("a.zip", 50)));
        queries.add(c -> c.find(Filters.and(Filters.gt("a.zip", 10), Filters.lt("a.zip", 30))).sort(Sorts.ascending("a.zip")));
        queries.add(c -> c.find().sort(Sorts.ascending("a.zip")).limit(25));
        queries.add(c -> c.find().sort(Sorts.descending("a.zip", "_id")).skip(5).limit(25));
        queries.add(c -> c.find(Filters.eq("m.n.o", "x1")));
        queries.add(c -> c.find(Filters.eq("m.n.o", "x2")).sort(Sorts.ascending("_id")).limit(10));
        queries.add(c -> c.find(Filters.exists("a.city", false)));
        for (Function<MongoCollection<Document>, FindIterable<Document>> query : queries) {
            List<Document> expected = query.apply(plain).into(new ArrayList<>());
            assertThat(query.apply(indexed).into(new ArrayList<>())).isEqualTo(expected);
        }
        assertThat(indexed.countDocuments(Filters.eq("a.city", "oslo"))).isEqualTo(plain.countDocuments(Filters.eq("a.city", "oslo")));
    }
}
