package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aggregations whose pipeline starts with {@code $match} and/or {@code $sort} read their collection as the
 * equivalent find, which the field indexes serve (decision 0043): a sorted page through aggregate reads about
 * the page, a count under an indexed filter reads the matching documents, and every answer is exactly the one
 * the same pipeline gives on an unindexed twin collection, through writes and a reopen of the data file.
 */
class EmbeddedAggregationIndexTest {
    private static final String DB = "app";
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void aSortedPageAndACountThroughAggregateReadOnlyWhatTheyNeed() {
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> events = database.client().getDatabase(DB).getCollection("events");
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                documents.add(new Document("_id", i).append("at", new Date(T0 + i * 1000L)).append("owner", "u" + i % 100));
            }
            events.insertMany(documents);
            events.createIndex(Indexes.descending("at"));
            events.createIndex(Indexes.ascending("owner"));
            ObservedH2Collection stored = database.collection(DB, "events");

            List<Document> newest = events.aggregate(List.of(Aggregates.sort(Sorts.descending("at")), Aggregates.limit(5)))
                    .into(new ArrayList<>());
            assertThat(newest).extracting(d -> d.get("_id")).containsExactly(1999, 1998, 1997, 1996, 1995);
            assertThat(stored.aggregationsReadAsFind()).isEqualTo(1);
            assertThat(stored.indexCandidatesRead()).as("documents read for a page of 5").isLessThanOrEqualTo(6);

            long before = stored.indexCandidatesRead();
            assertThat(events.countDocuments(Filters.eq("owner", "u7"))).isEqualTo(20);
            assertThat(stored.aggregationsReadAsFind()).as("the driver counts through aggregate").isEqualTo(2);
            assertThat(stored.indexCandidatesRead() - before).as("documents read to count 20").isEqualTo(20);

            // the log store's count of a page's ties: an equality on a date, served as the range [date, date]
            before = stored.indexCandidatesRead();
            assertThat(events.countDocuments(Filters.and(new Document(), Filters.eq("at", new Date(T0 + 700_000L)),
                    Filters.gt("_id", 0)))).isEqualTo(1);
            assertThat(stored.indexCandidatesRead() - before).as("documents read to count those of one date").isEqualTo(1);

            before = stored.indexCandidatesRead();
            List<Document> page = events.aggregate(List.of(Aggregates.match(Filters.eq("owner", "u3")),
                    Aggregates.sort(Sorts.descending("at")), Aggregates.skip(2), Aggregates.limit(3),
                    Aggregates.project(Projections.include("at")))).into(new ArrayList<>());
            assertThat(page).extracting(d -> d.get("_id")).containsExactly(1703, 1603, 1503);
            assertThat(stored.indexCandidatesRead() - before).isLessThanOrEqualTo(20);
        }
    }

    @Test
    void pipelinesAnswerAsOnAnUnindexedTwinThroughWritesAndAReopen() {
        Random random = new Random(43);
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> indexed = database.client().getDatabase(DB).getCollection("indexed");
            MongoCollection<Document> plain = database.client().getDatabase(DB).getCollection("plain");
            indexed.createIndex(Indexes.descending("at"));
            indexed.createIndex(Indexes.ascending("score"));
            indexed.createIndex(Indexes.ascending("owner"));
            for (int i = 0; i < 800; i++) {
                Document document = randomDocument(random, i);
                indexed.insertOne(new Document(document));
                plain.insertOne(new Document(document));
            }
            assertSameAnswers(indexed, plain);
            assertThat(database.collection(DB, "indexed").aggregationsReadAsFind()).isPositive();

            for (MongoCollection<Document> c : List.of(indexed, plain)) {
                c.updateMany(Filters.eq("owner", "bob"), Updates.set("score", 77));
                c.deleteMany(Filters.lt("at", new Date(T0 + 50_000)));
                c.insertOne(new Document("_id", 9_000).append("at", new Date(T0 + 300_000)).append("score", "high").append("owner", "ann"));
            }
            assertSameAnswers(indexed, plain);
        }
        try (EmbeddedDatabase reopened = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            assertSameAnswers(reopened.client().getDatabase(DB).getCollection("indexed"),
                    reopened.client().getDatabase(DB).getCollection("plain"));
        }
    }

    /** Ties on {@code at}; {@code score} a number, sometimes missing or a string; {@code owner} sometimes an array. */
    private static Document randomDocument(Random random, int i) {
        Document document = new Document("_id", i % 5 == 0 ? (Object) ("s" + i) : (Object) i)
                .append("at", new Date(T0 + random.nextInt(400) * 1000L))
                .append("tags", List.of("t" + random.nextInt(3)));
        document.append("owner", random.nextInt(15) == 0 ? List.of("ann", "cy") : List.of("ann", "bob", "cy").get(random.nextInt(3)));
        switch (random.nextInt(10)) {
            case 0 -> { } // no score
            case 1 -> document.append("score", "high");
            default -> document.append("score", random.nextInt(100));
        }
        return document;
    }

    private static void assertSameAnswers(MongoCollection<Document> indexed, MongoCollection<Document> plain) {
        Date early = new Date(T0 + 100_000);
        Date late = new Date(T0 + 300_000);
        List<List<Bson>> pipelines = new ArrayList<>();
        pipelines.add(List.of(Aggregates.match(Filters.eq("owner", "cy"))));
        pipelines.add(List.of(Aggregates.match(Filters.eq("owner", "ann")), Aggregates.count("n")));
        pipelines.add(List.of(Aggregates.match(Filters.in("owner", "bob", "cy")),
                Aggregates.group("$owner", Accumulators.sum("n", 1), Accumulators.max("last", "$at")), Aggregates.sort(Sorts.ascending("_id"))));
        pipelines.add(List.of(Aggregates.sort(Sorts.descending("at")), Aggregates.limit(25)));
        pipelines.add(List.of(Aggregates.sort(Sorts.ascending("at")), Aggregates.skip(30), Aggregates.limit(10)));
        pipelines.add(List.of(Aggregates.sort(Sorts.ascending("at")), Aggregates.limit(40), Aggregates.skip(30)));
        pipelines.add(List.of(Aggregates.sort(Sorts.descending("at", "_id")), Aggregates.limit(30)));
        pipelines.add(List.of(Aggregates.sort(Sorts.ascending("score")), Aggregates.limit(20)));
        pipelines.add(List.of(Aggregates.sort(Sorts.descending("score")), Aggregates.skip(5), Aggregates.limit(20)));
        pipelines.add(List.of(Aggregates.match(Filters.and(Filters.gte("at", early), Filters.lt("at", late))),
                Aggregates.sort(Sorts.descending("at")), Aggregates.limit(15)));
        pipelines.add(List.of(Aggregates.match(Filters.gt("score", 50)), Aggregates.sort(Sorts.ascending("_id")), Aggregates.limit(10)));
        Date tie = new Date(T0 + 200_000);
        pipelines.add(List.of(Aggregates.match(Filters.eq("at", tie))));
        pipelines.add(List.of(Aggregates.match(Filters.and(Filters.eq("at", tie), Filters.gt("_id", 100))), Aggregates.count("n")));
        pipelines.add(List.of(Aggregates.match(new Document("at", new Document("$eq", tie))), Aggregates.sort(Sorts.descending("at", "_id")),
                Aggregates.limit(3)));
        pipelines.add(List.of(Aggregates.match(Filters.and(Filters.eq("at", tie), Filters.eq("owner", "ann")))));
        pipelines.add(List.of(Aggregates.match(Filters.eq("owner", "bob")), Aggregates.limit(7)));
        pipelines.add(List.of(Aggregates.match(Filters.eq("owner", "ann")), Aggregates.unwind("$tags"),
                Aggregates.group("$tags", Accumulators.sum("n", 1)), Aggregates.sort(Sorts.ascending("_id"))));
        pipelines.add(List.of(Aggregates.match(Filters.eq("owner", "cy")), Aggregates.project(Projections.include("at")),
                Aggregates.sort(Sorts.ascending("at", "_id")), Aggregates.limit(5)));
        pipelines.add(List.of(Aggregates.match(new Document("$expr", new Document("$gt", List.of("$score", 90))))));
        pipelines.add(List.of(Aggregates.match(Filters.eq("owner", "bob")), Aggregates.sort(Sorts.ascending("score")),
                Aggregates.limit(3), Aggregates.lookup("indexed", "owner", "owner", "same")));
        for (List<Bson> pipeline : pipelines) {
            List<Document> expected = plain.aggregate(lookupOn(pipeline, "plain")).into(new ArrayList<>());
            assertThat(indexed.aggregate(pipeline).into(new ArrayList<>())).as("pipeline %s", pipeline).isEqualTo(expected);
        }
        for (Bson filter : List.of(new Document(), Filters.eq("owner", "ann"), Filters.gte("at", late), Filters.lt("score", 10))) {
            assertThat(indexed.countDocuments(filter)).isEqualTo(plain.countDocuments(filter));
        }
    }

    /** The same pipeline with a $lookup of its own collection pointed at the twin's own collection. */
    private static List<Bson> lookupOn(List<Bson> pipeline, String collection) {
        List<Bson> out = new ArrayList<>();
        for (Bson stage : pipeline) {
            Document rendered = stage.toBsonDocument().containsKey("$lookup")
                    ? Document.parse(stage.toBsonDocument().toJson()) : null;
            if (rendered != null) {
                rendered.get("$lookup", Document.class).put("from", collection);
                out.add(rendered);
            } else {
                out.add(stage);
            }
        }
        return out;
    }
}
