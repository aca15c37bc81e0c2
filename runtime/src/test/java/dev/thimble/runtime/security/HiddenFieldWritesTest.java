package dev.thimble.runtime.security;

import dev.thimble.runtime.security.ServedBundle.Answer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 2 over HTTP: a role that may neither read nor write {@code salary} learns nothing about
 * it from a write's answer (the write check looks at the field names a request uses, not at values),
 * and a role without any write permission refuses every update; a query that names the hidden field
 * matches nothing whatever the field holds or whether it exists.
 */
class HiddenFieldWritesTest {
    @TempDir
    static Path temp;
    static ServedBundle app;
    static String user;

    static final String COLLEAGUE = """
            [{"name": "colleague", "apply_when": {}, "insert": false, "delete": false,
              "fields": {"name": {"read": true, "write": true}, "salary": {"read": false, "write": false}},
              "additional_fields": {"read": true}}]""";
    static final String VIEWER = """
            [{"name": "viewer", "apply_when": {}, "fields": {"salary": {"read": false}}, "additional_fields": {"read": true}}]""";

    /** Three documents the caller sees alike ({_id, name}): salary 5000, no salary, salary a string. */
    static final List<String> IDS = List.of("a", "b", "c");

    @BeforeAll
    static void serve() {
        app = ServedBundle.serve(ServedBundle.bundle("hr-thmbl").rule("hr", "staff", COLLEAGUE).rule("hr", "viewed", VIEWER), temp);
        user = app.anonymous();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void seed() {
        for (String coll : List.of("staff", "viewed")) {
            var c = app.host.database().database("hr").getCollection(coll);
            c.drop();
            c.insertMany(List.of(new Document("_id", "a").append("name", "Ann").append("salary", 5000),
                    new Document("_id", "b").append("name", "Bob"),
                    new Document("_id", "c").append("name", "Cy").append("salary", "5000")));
        }
    }

    List<Document> stored(String coll) {
        return app.host.database().database("hr").getCollection(coll).find().into(new ArrayList<>());
    }

    /** The answer with the document id taken out, so answers about different documents can be compared. */
    static String shape(Answer answer, String id) {
        return answer.status() + " " + answer.body().replace("\\\"" + id + "\\\"", "<id>").replace("\"" + id + "\"", "<id>");
    }

    static final List<String> UPDATES = List.of(
            "{\"$max\": {\"salary\": 1}}", "{\"$max\": {\"salary\": 999999}}", "{\"$min\": {\"salary\": 1}}",
            "{\"$set\": {\"salary\": 5000}}", "{\"$set\": {\"salary\": 4999}}", "{\"$set\": {\"salary\": {\"$numberLong\": \"5000\"}}}",
            "{\"$inc\": {\"salary\": 0}}", "{\"$mul\": {\"salary\": 1}}", "{\"$unset\": {\"salary\": \"\"}}",
            "{\"$rename\": {\"salary\": \"pay\"}}", "{\"$rename\": {\"name\": \"salary\"}}", "{\"$setOnInsert\": {\"salary\": 1}}",
            "{\"$currentDate\": {\"salary\": true}}", "{\"$push\": {\"salary\": 1}}", "{\"$addToSet\": {\"salary\": 1}}",
            "{\"$pull\": {\"salary\": 1}}", "{\"$pop\": {\"salary\": 1}}", "{\"$set\": {\"salary.$\": 1}}",
            "{\"$set\": {\"salary.0\": 1}}", "{\"$set\": {\"salary.$[]\": 1}}", "{\"$bit\": {\"salary\": {\"and\": 1}}}",
            "{\"$set\": {\"name\": \"Ann\", \"salary\": 5000}}");

    @Test
    void everyUpdateNamingTheHiddenFieldIsRefusedAlikeWhateverItHolds() {
        List<Document> before = stored("staff");
        for (String update : UPDATES) {
            for (String action : List.of("updateOne", "updateMany", "findOneAndUpdate")) {
                List<String> shapes = new ArrayList<>();
                for (String id : IDS) {
                    String query = action.equals("findOneAndUpdate") ? "\"filter\"" : "\"query\"";
                    Answer answer = app.action(user, action, "{\"database\": \"hr\", \"collection\": \"staff\", " + query
                            + ": {\"_id\": \"" + id + "\"}, \"update\": " + update + "}");
                    assertThat(answer.status()).as(action + " " + update + " on " + id + ": " + answer.body()).isEqualTo(403);
                    assertThat(answer.body()).doesNotContain("5000\"").doesNotContain("4999");
                    shapes.add(shape(answer, id));
                }
                assertThat(shapes).as(action + " " + update).containsOnly(shapes.getFirst());
            }
        }
        assertThat(stored("staff")).isEqualTo(before);
    }

    @Test
    void anUpsertNamingTheHiddenFieldIsRefusedWhetherItWouldInsertOrUpdate() {
        List<String> shapes = new ArrayList<>();
        for (String id : List.of("a", "b", "new")) {
            Answer answer = app.action(user, "updateOne", "{\"database\": \"hr\", \"collection\": \"staff\", \"query\": {\"_id\": \""
                    + id + "\"}, \"update\": {\"$set\": {\"salary\": 5000}}, \"upsert\": true}");
            shapes.add(answer.status() + "");
        }
        assertThat(shapes).containsOnly("403");
        assertThat(stored("staff")).hasSize(3);
    }

    @Test
    void aReplaceIsRefusedAlikeWhetherOrNotTheDocumentHasTheHiddenField() {
        List<Document> before = stored("staff");
        List<String> shapes = new ArrayList<>();
        for (String id : IDS) {
            Answer answer = app.action(user, "findOneAndReplace", "{\"database\": \"hr\", \"collection\": \"staff\", \"filter\": {\"_id\": \""
                    + id + "\"}, \"update\": {\"_id\": \"" + id + "\", \"name\": \"Zed\"}}");
            shapes.add(shape(answer, id));
        }
        assertThat(shapes.getFirst()).startsWith("403");
        assertThat(shapes).containsOnly(shapes.getFirst());
        assertThat(stored("staff")).isEqualTo(before);
    }

    @Test
    void writingAVisibleFieldStillWorks() {
        Answer answer = app.action(user, "updateOne", "{\"database\": \"hr\", \"collection\": \"staff\", \"query\": {\"_id\": \"a\"},"
                + " \"update\": {\"$set\": {\"name\": \"Anne\"}}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(stored("staff").getFirst()).isEqualTo(new Document("_id", "a").append("name", "Anne").append("salary", 5000));
    }

    @Test
    void aRoleWithoutWritePermissionRefusesEveryUpdateEvenAnUnchangingOne() {
        List<Document> before = stored("viewed");
        for (String update : List.of("{\"$set\": {\"name\": \"Ann\"}}", "{\"$max\": {\"salary\": 1}}", "{\"$inc\": {\"name2\": 0}}")) {
            List<String> shapes = new ArrayList<>();
            for (String id : IDS) {
                Answer answer = app.action(user, "updateOne", "{\"database\": \"hr\", \"collection\": \"viewed\", \"query\": {\"_id\": \""
                        + id + "\"}, \"update\": " + update + "}");
                assertThat(answer.status()).as(update + " on " + id + ": " + answer.body()).isEqualTo(403);
                shapes.add(shape(answer, id));
            }
            assertThat(shapes).as(update).containsOnly(shapes.getFirst());
        }
        assertThat(stored("viewed")).isEqualTo(before);
    }

    static final List<String> HIDDEN_PREDICATES = List.of(
            "{\"salary\": {\"$exists\": true}}", "{\"salary\": {\"$exists\": false}}", "{\"salary\": null}",
            "{\"salary\": {\"$ne\": null}}", "{\"salary\": {\"$not\": {\"$gt\": 1000}}}", "{\"$nor\": [{\"salary\": 5000}]}",
            "{\"$or\": [{\"salary\": {\"$exists\": false}}, {\"name\": \"nobody\"}]}", "{\"salary\": {\"$type\": \"string\"}}",
            "{\"salary.x\": {\"$exists\": false}}", "{\"$expr\": {\"$eq\": [\"$name\", \"$name\"]}}",
            "{\"salary\": {\"$in\": [null, 5000]}}", "{\"salary\": {\"$elemMatch\": {\"$gt\": 1}}}",
            "{\"salary\": {\"$regex\": \"^5\"}}", "{\"salary\": {\"$size\": 0}}", "{\"salary\": {\"$all\": []}}");

    @Test
    void aPredicateOnTheHiddenFieldMatchesNothingWhateverItHoldsOrWhetherItExists() {
        for (String predicate : HIDDEN_PREDICATES) {
            Answer count = app.action(user, "count", "{\"database\": \"hr\", \"collection\": \"staff\", \"query\": " + predicate + "}");
            assertThat(count.body().replace(" ", "")).as(predicate + ": " + count.body()).isIn("0", "{\"$numberLong\":\"0\"}");
            Answer updated = app.action(user, "updateMany", "{\"database\": \"hr\", \"collection\": \"staff\", \"query\": " + predicate
                    + ", \"update\": {\"$set\": {\"name\": \"X\"}}}");
            assertThat(updated.status()).as(predicate).isEqualTo(200);
            assertThat(updated.json().get("matchedCount").toString()).as(predicate).contains("0");
        }
        Answer sorted = app.action(user, "find", "{\"database\": \"hr\", \"collection\": \"staff\", \"query\": {}, \"sort\": {\"salary\": 1}}");
        assertThat(sorted.body()).as("a sort by the hidden field").isEqualTo("[]");
    }
}
