package dev.thimble.runtime.data;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Non-unique single-field indexes on the embedded database ({@link FieldIndex}): an equality
 * or {@code $in} filter on the indexed field reads only the documents it names, and every query
 * answers exactly what the same query answers on an unindexed twin collection holding the same data,
 * after inserts, updates that move documents between values, deletes and a reopen of the data file.
 */
class EmbeddedSecondaryIndexTest {

    private static final String DB = "app";
    private static final List<String> OWNERS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace");
    private static final ObjectId GROUP = new ObjectId();

    @TempDir
    Path temp;

    @Test
    void anEqualityFilterOnAnIndexedFieldReadsOnlyTheMatchingDocuments() {
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                documents.add(new Document("_id", i).append("owner_id", i % 143 == 0 ? "alice" : "user-" + i));
            }
            items.insertMany(documents);
            items.createIndex(Indexes.ascending("owner_id"));
            ObservedH2Collection stored = database.collection(DB, "items");

            List<Document> found = items.find(Filters.eq("owner_id", "alice")).into(new ArrayList<>());

            assertThat(found).extracting(d -> d.get("_id")).containsExactly(0, 143, 286, 429, 572, 715, 858);
            assertThat(stored.indexedQueries()).isEqualTo(1);
            assertThat(stored.indexCandidatesRead()).as("documents read for the owner filter").isEqualTo(7);
        }
    }

    @Test
    void anIdEqualityJoinedToAnOwnerFilterReadsOneDocumentNotTheOwnersAll() {
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                documents.add(new Document("_id", new ObjectId()).append("owner_id", "alice").append("n", i));
            }
            items.insertMany(documents);
            items.createIndex(Indexes.ascending("owner_id"));
            ObservedH2Collection stored = database.collection(DB, "items");
            Object wanted = documents.get(500).get("_id");

            // the shape a collection rule's filter joined to the SDK's findOne({_id}) takes
            Document found = items.find(Filters.and(Filters.eq("_id", wanted), Filters.eq("owner_id", "alice"))).first();
            Document notHers = items.find(Filters.and(Filters.eq("_id", wanted), Filters.eq("owner_id", "bob"))).first();
            Document byEq = items.find(Filters.and(new Document("_id", new Document("$eq", wanted)), Filters.eq("n", 500))).first();

            assertThat(found).containsEntry("n", 500);
            assertThat(notHers).as("the other conditions still apply").isNull();
            assertThat(byEq).containsEntry("owner_id", "alice");
            assertThat(stored.indexCandidatesRead()).as("documents read for three lookups by _id").isEqualTo(3);
        }
    }

    @Test
    void withoutAnIndexTheSameFilterScans() {
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            items.insertOne(new Document("owner_id", "alice"));
            items.createIndex(Indexes.ascending("other"));

            assertThat(items.find(Filters.eq("owner_id", "alice")).into(new ArrayList<>())).hasSize(1);
            assertThat(database.collection(DB, "items").indexedQueries()).isZero();
        }
    }

    @Test
    void answersEqualAFullScanThroughWritesAndAReopen() {
        Random random = new Random(18);
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> indexed = database.client().getDatabase(DB).getCollection("indexed");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            indexed.createIndex(Indexes.ascending("owner_id"));
            indexed.createIndex(Indexes.descending("team"));
            for (int i = 0; i < 1_500; i++) {
                Document document = randomDocument(random, i);
                indexed.insertOne(new Document(document));
                plain.insertOne(new Document(document));
            }
            assertSameAnswers(database, indexed, plain);

            for (MongoCollection<Document> c : List.of(indexed, plain)) {
                c.updateMany(Filters.eq("owner_id", "alice"), Updates.set("owner_id", "bob"));
                c.updateMany(Filters.eq("n", 7), Updates.set("owner_id", List.of("carol", "zed")));
                c.replaceOne(Filters.eq("_id", 3), new Document("owner_id", "dave").append("n", 1));
                c.findOneAndUpdate(Filters.eq("_id", 10), Updates.set("owner_id", GROUP));
                c.updateMany(Filters.eq("team", "red"), Updates.unset("team"));
                c.deleteMany(Filters.eq("owner_id", "erin"));
                c.deleteMany(Filters.in("n", 1, 2, 3));
                c.insertOne(new Document("_id", 5_000).append("owner_id", "alice").append("n", 50));
            }
            assertThat(indexed.countDocuments(Filters.eq("owner_id", "erin"))).isZero();
            assertSameAnswers(database, indexed, plain);
        }
        try (EmbeddedDatabase reopened = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> indexed = reopened.client().getDatabase(DB).getCollection("indexed");
            MongoCollection<Document> plain = reopened.client().getDatabase(DB).getCollection("plain");
            assertSameAnswers(reopened, indexed, plain);
            indexed.insertOne(new Document("_id", 6_000).append("owner_id", "grace"));
            plain.insertOne(new Document("_id", 6_000).append("owner_id", "grace"));
            assertSameAnswers(reopened, indexed, plain);
        }
    }

    private static Document randomDocument(Random random, int id) {
        Document document = new Document("_id", id % 3 == 0 ? (Object) ("s" + id) : (Object) id)
                .append("n", random.nextInt(100));
        switch (random.nextInt(10)) {
            case 0 -> { } // no owner
            case 1 -> document.append("owner_id", List.of(owner(random), owner(random)));
            case 2 -> document.append("owner_id", random.nextInt(3));
            case 3 -> document.append("owner_id", GROUP);
            case 4 -> document.append("owner_id", null);
            default -> document.append("owner_id", owner(random));
        }
        if (random.nextBoolean()) {
            document.append("team", random.nextBoolean() ? "red" : "blue");
        }
        return document;
    }

    private static String owner(Random random) {
        return OWNERS.get(random.nextInt(OWNERS.size()));
    }

    private static void assertSameAnswers(EmbeddedDatabase database, MongoCollection<Document> indexed,
                                          MongoCollection<Document> plain) {
        List<Function<MongoCollection<Document>, FindIterable<Document>>> queries = new ArrayList<>();
        for (String owner : OWNERS) {
            queries.add(c -> c.find(Filters.eq("owner_id", owner)));
            queries.add(c -> c.find(new Document("owner_id", new Document("$eq", owner))));
            queries.add(c -> c.find(Filters.and(Filters.eq("owner_id", owner), Filters.gt("n", 40)))
                    .sort(Sorts.descending("n")).skip(1).limit(4).projection(Projections.include("n")));
        }
        queries.add(c -> c.find(Filters.in("owner_id", "alice", "bob", "zed")));
        queries.add(c -> c.find(Filters.in("owner_id", "carol", "nobody")).sort(Sorts.ascending("n")).limit(10));
        queries.add(c -> c.find(Filters.eq("owner_id", GROUP)));
        queries.add(c -> c.find(Filters.and(Filters.eq("owner_id", "dave"), Filters.eq("team", "blue"))));
        queries.add(c -> c.find(new Document("team", "red").append("owner_id", "frank")));
        queries.add(c -> c.find(Filters.eq("team", "blue")).sort(new Document("$natural", -1)));
        queries.add(c -> c.find(Filters.eq("owner_id", 1))); // numbers are not indexed: a scan, same answer
        queries.add(c -> c.find(Filters.eq("owner_id", null)));
        ObservedH2Collection stored = database.collection(DB, indexed.getNamespace().getCollectionName());
        long before = stored.indexedQueries();
        for (Function<MongoCollection<Document>, FindIterable<Document>> query : queries) {
            List<Document> expected = query.apply(plain).into(new ArrayList<>());
            assertThat(query.apply(indexed).into(new ArrayList<>())).isEqualTo(expected);
        }
        Bson anyOwner = Filters.in("owner_id", OWNERS);
        assertThat(indexed.find(anyOwner).into(new ArrayList<>())).isEqualTo(plain.find(anyOwner).into(new ArrayList<>()))
                .isNotEmpty();
        assertThat(stored.indexedQueries() - before).as("queries answered from an index")
                .isEqualTo(3L * OWNERS.size() + 6);
        assertThat(database.collection(DB, plain.getNamespace().getCollectionName()).indexedQueries()).isZero();
    }
}
