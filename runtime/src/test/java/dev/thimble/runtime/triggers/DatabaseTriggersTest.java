package dev.thimble.runtime.triggers;

import dev.thimble.testing.Eventually;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Database triggers on the embedded database: which events fire which trigger, and the event each function gets. */
class DatabaseTriggersTest {
    @TempDir
    static Path temp;
    static AppHost host;

    @BeforeAll
    static void serve() {
        String all = "[\"INSERT\", \"UPDATE\", \"REPLACE\", \"DELETE\"]";
        var app = TriggerBundle.in(temp.resolve("app"))
                .recorder("recA", "a").recorder("recB", "b").recorder("recC", "c").recorder("recD", "d")
                .recorder("recW", "w").recorder("recOff", "off")
                .function("failing", "exports = function(event) { console.log('about to fail on', event.fullDocument.n);"
                        + " throw new Error('no thanks'); };")
                .databaseTrigger("plain", "shop", "a", all, "", "recA")
                .databaseTrigger("images", "shop", "b", all, "\"full_document\": true, \"full_document_before_change\": true", "recB")
                .databaseTrigger("matched", "shop", "c", "[\"UPDATE\"]",
                        "\"match\": {\"updateDescription.updatedFields.status\": {\"$exists\": true}},"
                                + " \"project\": {\"operationType\": 1, \"documentKey\": 1, \"updateDescription.updatedFields.status\": 1}", "recC")
                .databaseTrigger("deletesOnly", "shop", "d", "[\"DELETE\"]", "", "recD")
                .databaseTrigger("wholeDatabase", "other", "", "[\"INSERT\"]", "", "recW")
                .databaseTrigger("failing", "shop", "f", "[\"INSERT\"]", "", "failing")
                .function("secretive", "\"disable_arg_logs\": true", "exports = function(event) { throw new Error('nope'); };")
                .databaseTrigger("secretive", "shop", "s", "[\"INSERT\"]", "", "secretive")
                .databaseTrigger("badMatch", "shop", "a", "[\"INSERT\"]", "\"match\": {\"n\": {\"$where\": 1}}", "recA")
                .trigger("off", "{\"name\": \"off\", \"type\": \"DATABASE\", \"function_name\": \"recOff\", \"disabled\": true,"
                        + " \"config\": {\"service_name\": \"mongodb-atlas\", \"database\": \"shop\", \"collection\": \"a\","
                        + " \"operation_types\": [\"INSERT\"]}}")
                .read();
        host = TriggerBundle.serve(app, temp.resolve("data"), TriggerBundle.quick());
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static MongoCollection<Document> shop(String coll) {
        return host.database().database("shop").getCollection(coll);
    }

    static List<BsonDocument> awaitEvents(String trigger, int count) {
        Eventually.await(count + " runs of " + trigger, Duration.ofSeconds(20), () -> TriggerLogs.events(host, trigger).size() >= count);
        return TriggerLogs.events(host, trigger);
    }

    @Test
    void insertFiresWithFullDocumentAndNoBeforeImage() {
        shop("a").insertOne(new Document("_id", "ins-1").append("n", 1));
        BsonDocument event = eventOf("plain", "ins-1", "insert");
        assertThat(event.getString("operationType").getValue()).isEqualTo("insert");
        assertThat(event.getDocument("ns")).isEqualTo(new BsonDocument("db", new BsonString("shop")).append("coll", new BsonString("a")));
        assertThat(event.getDocument("fullDocument")).isEqualTo(new BsonDocument("_id", new BsonString("ins-1")).append("n", new BsonInt32(1)));
        assertThat(event.containsKey("fullDocumentBeforeChange")).isFalse();
        assertThat(event.getDocument("_id").containsKey("_data")).isTrue();
        assertThat(event.get("clusterTime").isTimestamp()).isTrue();
        assertThat(event.get("wallTime").isDateTime()).isTrue();
        // the function saw it too: it stored the event it was given
        Eventually.await("the recorder's write", () -> host.database().database("sink").getCollection("a")
                .countDocuments(Filters.eq("event.fullDocument._id", "ins-1")) == 1);
    }

    @Test
    void updateCarriesUpdateDescriptionButNoFullDocumentUnlessAsked() {
        shop("a").insertOne(new Document("_id", "upd-1").append("n", 1).append("gone", true).append("address", new Document("city", "Oslo")));
        shop("a").updateOne(Filters.eq("_id", "upd-1"), Updates.combine(Updates.set("n", 2), Updates.unset("gone"),
                Updates.set("address.city", "Bergen")));
        BsonDocument update = eventOf("plain", "upd-1", "update");
        assertThat(update.getDocument("updateDescription").getDocument("updatedFields"))
                .isEqualTo(new BsonDocument("n", new BsonInt32(2)).append("address.city", new BsonString("Bergen")));
        assertThat(update.getDocument("updateDescription").getArray("removedFields")).containsExactly(new BsonString("gone"));
        assertThat(update.containsKey("fullDocument")).as("full_document is off").isFalse();
        assertThat(update.containsKey("fullDocumentBeforeChange")).isFalse();
    }

    @Test
    void updateWithFullDocumentAndBeforeImageWhenConfigured() {
        shop("b").insertOne(new Document("_id", "img-1").append("n", 1));
        shop("b").updateOne(Filters.eq("_id", "img-1"), Updates.inc("n", 5));
        BsonDocument update = eventOf("images", "img-1", "update");
        assertThat(update.getDocument("fullDocument")).isEqualTo(new BsonDocument("_id", new BsonString("img-1")).append("n", new BsonInt32(6)));
        assertThat(update.getDocument("fullDocumentBeforeChange")).isEqualTo(new BsonDocument("_id", new BsonString("img-1")).append("n", new BsonInt32(1)));
        assertThat(update.getDocument("updateDescription").getDocument("updatedFields")).isEqualTo(new BsonDocument("n", new BsonInt32(6)));
    }

    @Test
    void replaceAlwaysCarriesTheFullDocument() {
        shop("a").insertOne(new Document("_id", "rep-1").append("n", 1));
        shop("a").replaceOne(Filters.eq("_id", "rep-1"), new Document("m", 9));
        BsonDocument replace = eventOf("plain", "rep-1", "replace");
        assertThat(replace.getDocument("fullDocument")).isEqualTo(new BsonDocument("_id", new BsonString("rep-1")).append("m", new BsonInt32(9)));
        assertThat(replace.containsKey("updateDescription")).isFalse();
        assertThat(replace.containsKey("fullDocumentBeforeChange")).isFalse();
    }

    @Test
    void deleteNeverCarriesAFullDocumentButItsBeforeImageWhenAsked() {
        shop("a").insertOne(new Document("_id", "del-1").append("n", 1));
        shop("a").deleteOne(Filters.eq("_id", "del-1"));
        shop("b").insertOne(new Document("_id", "del-2").append("n", 2));
        shop("b").deleteOne(Filters.eq("_id", "del-2"));
        BsonDocument plain = eventOf("plain", "del-1", "delete");
        BsonDocument images = eventOf("images", "del-2", "delete");
        assertThat(plain.containsKey("fullDocument")).isFalse();
        assertThat(plain.containsKey("fullDocumentBeforeChange")).isFalse();
        assertThat(images.containsKey("fullDocument")).isFalse();
        assertThat(images.getDocument("fullDocumentBeforeChange")).isEqualTo(new BsonDocument("_id", new BsonString("del-2")).append("n", new BsonInt32(2)));
    }

    @Test
    void matchSelectsEventsAndProjectShapesThem() {
        shop("c").insertOne(new Document("_id", "m-1").append("status", "new").append("n", 1));
        shop("c").updateOne(Filters.eq("_id", "m-1"), Updates.set("n", 2));          // no status change: not matched
        shop("c").updateOne(Filters.eq("_id", "m-1"), Updates.set("status", "done")); // matched
        shop("c").updateOne(Filters.eq("_id", "m-1"), Updates.set("n", 3));          // not matched
        List<BsonDocument> events = awaitEvents("matched", 1);
        sleepQuietly(500); // the unmatched update after it would have arrived by now
        assertThat(TriggerLogs.events(host, "matched")).hasSize(1);
        // an inclusion projection keeps _id (the resume token), as MongoDB's $project does on change events
        BsonDocument shaped = new BsonDocument();
        shaped.putAll(events.getFirst());
        assertThat(shaped.remove("_id")).isNotNull();
        assertThat(shaped).isEqualTo(new BsonDocument("operationType", new BsonString("update"))
                .append("documentKey", new BsonDocument("_id", new BsonString("m-1")))
                .append("updateDescription", new BsonDocument("updatedFields", new BsonDocument("status", new BsonString("done")))));
    }

    @Test
    void operationTypesSelectWhichEventsFire() {
        shop("d").insertOne(new Document("_id", "t-1"));
        shop("d").updateOne(Filters.eq("_id", "t-1"), Updates.set("x", 1));
        shop("d").deleteOne(Filters.eq("_id", "t-1"));
        List<BsonDocument> events = awaitEvents("deletesOnly", 1);
        sleepQuietly(300);
        assertThat(TriggerLogs.events(host, "deletesOnly")).extracting(e -> e.getString("operationType").getValue())
                .containsExactly("delete");
        assertThat(events.getFirst().getDocument("documentKey")).isEqualTo(new BsonDocument("_id", new BsonString("t-1")));
    }

    @Test
    void anEmptyCollectionWatchesTheWholeDatabase() {
        host.database().database("other").getCollection("x").insertOne(new Document("_id", "w-1"));
        host.database().database("other").getCollection("y").insertOne(new Document("_id", "w-2"));
        host.database().database("shop").getCollection("x").insertOne(new Document("_id", "w-3")); // another database
        List<BsonDocument> events = awaitEvents("wholeDatabase", 2);
        sleepQuietly(300);
        assertThat(TriggerLogs.events(host, "wholeDatabase")).extracting(e -> e.getDocument("ns").getString("coll").getValue())
                .containsExactly("x", "y");
        assertThat(events).extracting(e -> e.getDocument("ns").getString("db").getValue()).containsOnly("other");
    }

    @Test
    void writesFromASecondClientConnectionFireTriggers() {
        try (MongoClient other = MongoClients.create(host.database().connectionString())) {
            other.getDatabase("shop").getCollection("a").insertOne(new Document("_id", "second-1").append("by", "plain driver"));
        }
        BsonDocument event = eventOf("plain", "second-1", "insert");
        assertThat(event.getDocument("fullDocument").getString("by").getValue()).isEqualTo("plain driver");
    }

    @Test
    void aDisabledTriggerDoesNotFire() {
        shop("a").insertOne(new Document("_id", "off-1"));
        eventOf("plain", "off-1", "insert");
        sleepQuietly(300);
        assertThat(TriggerLogs.runs(host, "off", LogType.values())).isEmpty();
        assertThat(host.triggers().runningHere()).contains("plain").doesNotContain("off");
    }

    @Test
    void eachRunIsLoggedWithItsEventAndAFailureAsTriggerFailure() {
        shop("a").insertOne(new Document("_id", "log-1"));
        eventOf("plain", "log-1", "insert");
        LogRecord ok = TriggerLogs.runs(host, "plain", LogType.DB_TRIGGER).stream()
                .filter(r -> r.arguments().get(0).asDocument().getDocument("documentKey").get("_id").equals(new BsonString("log-1")))
                .findFirst().orElseThrow();
        assertThat(ok.status()).isEqualTo(LogStatus.SUCCESS);
        assertThat(ok.functionName()).isEqualTo("recA");
        assertThat(ok.namespace()).isEqualTo("shop.a");
        assertThat(ok.duration()).isGreaterThanOrEqualTo(Duration.ZERO);

        shop("f").insertOne(new Document("_id", "f-1").append("n", 7));
        Eventually.await("the failure record", () -> !TriggerLogs.runs(host, "failing", LogType.TRIGGER_FAILURE).isEmpty());
        LogRecord failed = TriggerLogs.runs(host, "failing", LogType.TRIGGER_FAILURE).getFirst();
        assertThat(failed.status()).isEqualTo(LogStatus.ERROR);
        assertThat(failed.error()).contains("no thanks");
        assertThat(failed.messages()).containsExactly("about to fail on 7");
        assertThat(failed.arguments().get(0).asDocument().getDocument("fullDocument").get("n")).isEqualTo(new BsonInt32(7));
        Eventually.await("the suspension", () -> host.triggers().suspension("failing").isPresent());
        Eventually.await("the suspended trigger to stop", () -> !host.triggers().runningHere().contains("failing"));
        assertThat(TriggerLogs.runs(host, "failing", LogType.values())).hasSize(1);
    }

    @Test
    void aFunctionWithDisableArgLogsLeavesTheEventOutOfItsRecords() {
        shop("s").insertOne(new Document("_id", "private-1").append("ssn", "123-45-6789"));
        Eventually.await("the failure record", () -> !TriggerLogs.runs(host, "secretive", LogType.TRIGGER_FAILURE).isEmpty());
        LogRecord failed = TriggerLogs.runs(host, "secretive", LogType.TRIGGER_FAILURE).getFirst();
        assertThat(failed.arguments()).isNull();
        assertThat(failed.error()).contains("nope");
    }

    @Test
    void aTriggerWhoseMatchCannotRunSaysWhyAndTheOthersRun() {
        assertThat(host.triggers().problem("badMatch")).hasValueSatisfying(reason ->
                assertThat(reason).contains("triggers/badMatch.json", "config.match", "$where"));
        assertThat(host.triggers().runningHere()).doesNotContain("badMatch").contains("plain", "images");
    }

    private static BsonDocument eventOf(String trigger, String id, String type) {
        Eventually.await(type + " of " + id + " through " + trigger, Duration.ofSeconds(20), () -> find(trigger, id, type) != null);
        return find(trigger, id, type);
    }

    private static BsonDocument find(String trigger, String id, String type) {
        return TriggerLogs.events(host, trigger).stream()
                .filter(e -> e.getString("operationType").getValue().equals(type))
                .filter(e -> e.getDocument("documentKey").get("_id").equals(new BsonString(id)))
                .findFirst().orElse(null);
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
