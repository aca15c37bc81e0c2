package dev.thimble.runtime.triggers;

import dev.thimble.testing.Eventually;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Ordered and unordered delivery, suspension and resume, the error handler, disabling, catch-up and restarts. */
class TriggerDeliveryTest {
    static final String ALL = "[\"INSERT\", \"UPDATE\", \"REPLACE\", \"DELETE\"]";
    static final String BUSY = "{ const end = Date.now() + 40; while (Date.now() < end) {} }\n";

    @TempDir
    Path temp;
    final List<AppHost> hosts = new ArrayList<>();

    @AfterEach
    void stop() {
        hosts.forEach(AppHost::close);
    }

    AppHost serve(TriggerBundle bundle) {
        AppHost host = TriggerBundle.serve(bundle.read(), temp.resolve("data"), TriggerBundle.quick());
        hosts.add(host);
        return host;
    }

    static List<Integer> ns(AppHost host, String trigger, LogType... types) {
        return TriggerLogs.runs(host, trigger, types).stream()
                .map(r -> r.arguments().get(0).asDocument().getDocument("fullDocument").getInt32("n").getValue()).toList();
    }

    static void insert(AppHost host, String coll, int... ns) {
        for (int n : ns) {
            host.database().database("shop").getCollection(coll).insertOne(new Document("n", n));
        }
    }

    static void awaitRuns(AppHost host, String trigger, int count, LogType... types) {
        Eventually.await(count + " runs of " + trigger, Duration.ofSeconds(30), () -> TriggerLogs.runs(host, trigger, types).size() >= count);
    }

    @Test
    void anOrderedTriggerRunsOneEventAtATimeInTheirOrder() {
        AppHost host = serve(TriggerBundle.in(temp.resolve("app"))
                .function("slow", "exports = function(event) {\n" + BUSY + "};")
                .databaseTrigger("ordered", "shop", "o", ALL, "", "slow"));
        insert(host, "o", IntStream.range(0, 10).toArray());
        awaitRuns(host, "ordered", 10, LogType.DB_TRIGGER);
        List<LogRecord> runs = TriggerLogs.runs(host, "ordered", LogType.DB_TRIGGER);
        assertThat(ns(host, "ordered", LogType.DB_TRIGGER)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).started()).as("run %d starts after run %d ended", i, i - 1)
                    .isAfterOrEqualTo(runs.get(i - 1).completed());
        }
    }

    @Test
    void anUnorderedTriggerRunsEventsAtTheSameTimeAndStoresThePositionOfTheLast() {
        AppHost host = serve(TriggerBundle.in(temp.resolve("app"))
                .function("slow", "exports = function(event) {\n" + BUSY + BUSY + "};")
                .databaseTrigger("parallel", "shop", "u", ALL, "\"unordered\": true", "slow"));
        insert(host, "u", IntStream.range(0, 8).toArray());
        awaitRuns(host, "parallel", 8, LogType.DB_TRIGGER);
        List<LogRecord> runs = TriggerLogs.runs(host, "parallel", LogType.DB_TRIGGER);
        assertThat(ns(host, "parallel", LogType.DB_TRIGGER)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        boolean overlapped = IntStream.range(1, runs.size()).anyMatch(i -> runs.get(i).started().isBefore(runs.get(i - 1).completed()));
        assertThat(overlapped).as("some runs overlap in time").isTrue();
        BsonDocument lastToken = host.database().changeEvents().currentPosition();
        Eventually.await("the position of the last event", () -> lastToken.equals(storedPosition(host, "parallel")));
    }

    @Test
    void aFailingOrderedTriggerSuspendsAndResumeRunsTheFailedEventAgain() {
        AppHost host = serve(TriggerBundle.in(temp.resolve("app"))
                .function("picky", "exports = async function(event) {\n"
                        + "  const flag = await context.services.get('mongodb-atlas').db('shop').collection('flags').findOne({_id: 'fail'});\n"
                        + "  if (flag && event.fullDocument.n === 2) { throw new Error('refusing ' + event.fullDocument.n); }\n};")
                .databaseTrigger("picky", "shop", "p", "[\"INSERT\"]", "", "picky"));
        host.database().database("shop").getCollection("flags").insertOne(new Document("_id", "fail"));
        insert(host, "p", 1, 2, 3);
        Eventually.await("the suspension", () -> host.triggers().suspension("picky").isPresent());
        DatabaseTriggersTest.sleepQuietly(500);
        assertThat(ns(host, "picky", LogType.DB_TRIGGER)).containsExactly(1);
        assertThat(ns(host, "picky", LogType.TRIGGER_FAILURE)).containsExactly(2);
        assertThat(host.triggers().suspension("picky").orElseThrow()).contains("no error handler");

        host.database().database("shop").getCollection("flags").deleteOne(Filters.eq("_id", "fail"));
        host.triggers().resume("picky");
        awaitRuns(host, "picky", 3, LogType.DB_TRIGGER);
        assertThat(ns(host, "picky", LogType.DB_TRIGGER)).containsExactly(1, 2, 3);
        assertThat(host.triggers().suspension("picky")).isEmpty();
    }

    @Test
    void theErrorHandlerDecidesInsteadOfSuspending() {
        AppHost host = serve(TriggerBundle.in(temp.resolve("app"))
                .function("broken", "exports = function(event) { throw new Error('broken ' + event.fullDocument.n); };")
                .function("handler", "exports = async function(error, event) {\n"
                        + "  await context.services.get('mongodb-atlas').db('sink').collection('handled')"
                        + ".insertOne({message: error.message, trigger: error.triggerName, n: event.fullDocument.n});\n};")
                .trigger("guarded", "{\"name\": \"guarded\", \"type\": \"DATABASE\", \"function_name\": \"broken\","
                        + " \"error_handler\": {\"config\": {\"function_name\": \"handler\"}},"
                        + " \"config\": {\"service_name\": \"mongodb-atlas\", \"database\": \"shop\", \"collection\": \"g\","
                        + " \"operation_types\": [\"INSERT\"]}}"));
        insert(host, "g", 1, 2);
        awaitRuns(host, "guarded", 2, LogType.TRIGGER_ERROR_HANDLER);
        assertThat(ns(host, "guarded", LogType.TRIGGER_FAILURE)).containsExactly(1, 2);
        assertThat(TriggerLogs.runs(host, "guarded", LogType.TRIGGER_ERROR_HANDLER)).extracting(LogRecord::status)
                .containsOnly(LogStatus.SUCCESS);
        List<Document> handled = host.database().database("sink").getCollection("handled").find().into(new ArrayList<>());
        assertThat(handled).extracting(d -> d.getString("message")).containsExactlyInAnyOrder("broken 1", "broken 2");
        assertThat(handled).extracting(d -> d.getString("trigger")).containsOnly("guarded");
        assertThat(host.triggers().suspension("guarded")).isEmpty();
        assertThat(host.triggers().runningHere()).contains("guarded");
    }

    @Test
    void reEnablingResumesFromTheStoredPositionUnlessSkipCatchupEvents() {
        TriggerBundle bundle = TriggerBundle.in(temp.resolve("app"))
                .function("noop", "exports = function(event) { };")
                .databaseTrigger("catchesUp", "shop", "s", "[\"INSERT\"]", "", "noop")
                .databaseTrigger("skips", "shop", "s", "[\"INSERT\"]", "\"skip_catchup_events\": true", "noop");
        AppHost host = serve(bundle);
        insert(host, "s", 1);
        awaitRuns(host, "catchesUp", 1, LogType.DB_TRIGGER);
        awaitRuns(host, "skips", 1, LogType.DB_TRIGGER);

        host.reload(bundle.trigger("catchesUp", disabled("catchesUp", "")).trigger("skips", disabled("skips", ", \"skip_catchup_events\": true")).read());
        assertThat(host.triggers().runningHere()).doesNotContain("catchesUp", "skips");
        insert(host, "s", 2);
        DatabaseTriggersTest.sleepQuietly(300);

        host.reload(bundle.databaseTrigger("catchesUp", "shop", "s", "[\"INSERT\"]", "", "noop")
                .databaseTrigger("skips", "shop", "s", "[\"INSERT\"]", "\"skip_catchup_events\": true", "noop").read());
        insert(host, "s", 3);
        awaitRuns(host, "catchesUp", 3, LogType.DB_TRIGGER);
        awaitRuns(host, "skips", 2, LogType.DB_TRIGGER);
        DatabaseTriggersTest.sleepQuietly(300);
        assertThat(ns(host, "catchesUp", LogType.DB_TRIGGER)).containsExactly(1, 2, 3);
        assertThat(ns(host, "skips", LogType.DB_TRIGGER)).containsExactly(1, 3);
    }

    @Test
    void aRestartResumesAfterTheLastHandledEvent() {
        TriggerBundle bundle = TriggerBundle.in(temp.resolve("app"))
                .function("noop", "exports = function(event) { };")
                .databaseTrigger("durable", "shop", "r", "[\"INSERT\"]", "", "noop");
        AppHost first = TriggerBundle.serve(bundle.read(), temp.resolve("data"), TriggerBundle.quick());
        insert(first, "r", 1, 2, 3);
        awaitRuns(first, "durable", 3, LogType.DB_TRIGGER);
        first.close();
        try (Database offline = Database.open(DatabaseSettings.embedded(temp.resolve("data")))) {
            MongoDatabase shop = offline.database("shop");
            for (int n = 4; n <= 6; n++) {
                shop.getCollection("r").insertOne(new Document("n", n)); // written while no trigger runs
            }
        }
        AppHost second = serve(bundle);
        insert(second, "r", 7);
        awaitRuns(second, "durable", 4, LogType.DB_TRIGGER);
        DatabaseTriggersTest.sleepQuietly(300);
        assertThat(ns(second, "durable", LogType.DB_TRIGGER)).containsExactly(4, 5, 6, 7);
    }

    @Test
    void aReloadStartsNewTriggersStopsRemovedOnesAndAppliesChanges() {
        TriggerBundle bundle = TriggerBundle.in(temp.resolve("app"))
                .function("noop", "exports = function(event) { };")
                .function("other", "exports = function(event) { console.log('other'); };")
                .databaseTrigger("first", "shop", "l", "[\"INSERT\"]", "", "noop");
        AppHost host = serve(bundle);
        assertThat(host.triggers().runningHere()).containsExactly("first");

        host.reload(bundle.databaseTrigger("second", "shop", "l", "[\"INSERT\"]", "", "noop")
                .databaseTrigger("first", "shop", "l", "[\"INSERT\"]", "", "other").read());
        assertThat(host.triggers().runningHere()).containsExactlyInAnyOrder("first", "second");
        insert(host, "l", 1);
        awaitRuns(host, "first", 1, LogType.DB_TRIGGER);
        awaitRuns(host, "second", 1, LogType.DB_TRIGGER);
        assertThat(TriggerLogs.runs(host, "first", LogType.DB_TRIGGER).getFirst().functionName()).isEqualTo("other");

        host.reload(bundle.without("first").read());
        assertThat(host.triggers().runningHere()).containsExactly("second");
        insert(host, "l", 2);
        awaitRuns(host, "second", 2, LogType.DB_TRIGGER);
        DatabaseTriggersTest.sleepQuietly(300);
        assertThat(ns(host, "first", LogType.DB_TRIGGER)).containsExactly(1);
    }

    @Test
    void aPositionTheLogCannotResumeFromSuspendsTheTriggerAndSaysSo() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp.resolve("data")))) {
            database.database(AppHost.stateDatabaseName(TriggerBundle.APP_ID)).getCollection("trigger_state")
                    .insertOne(new Document("_id", "lost").append("position", new Document("_data", "00000000FFFFFFFF")));
        }
        AppHost host = serve(TriggerBundle.in(temp.resolve("app"))
                .function("noop", "exports = function(event) { };")
                .databaseTrigger("lost", "shop", "x", "[\"INSERT\"]", "", "noop"));
        assertThat(host.triggers().suspension("lost")).hasValueSatisfying(reason ->
                assertThat(reason).contains("00000000FFFFFFFF", "another database"));
        assertThat(host.triggers().runningHere()).doesNotContain("lost");
        LogRecord failure = TriggerLogs.runs(host, "lost", LogType.TRIGGER_FAILURE).getFirst();
        assertThat(failure.error()).startsWith("trigger suspended: cannot resume");
        assertThat(failure.namespace()).isEqualTo("shop.x");

        insert(host, "x", 1); // while suspended: never delivered
        host.triggers().resume("lost"); // the stored position is still unusable: resumed by hand, it starts from now
        assertThat(host.triggers().suspension("lost")).isEmpty();
        assertThat(host.triggers().runningHere()).contains("lost");
        assertThat(TriggerLogs.runs(host, "lost", LogType.TRIGGER_FAILURE).getLast().error()).contains("starts from now");
        insert(host, "x", 2);
        awaitRuns(host, "lost", 1, LogType.DB_TRIGGER);
        DatabaseTriggersTest.sleepQuietly(300);
        assertThat(ns(host, "lost", LogType.DB_TRIGGER)).containsExactly(2);
    }

    static String disabled(String name, String extra) {
        return "{\"name\": \"" + name + "\", \"type\": \"DATABASE\", \"function_name\": \"noop\", \"disabled\": true,"
                + " \"config\": {\"service_name\": \"mongodb-atlas\", \"database\": \"shop\", \"collection\": \"s\","
                + " \"operation_types\": [\"INSERT\"]" + extra + "}}";
    }

    static BsonDocument storedPosition(AppHost host, String trigger) {
        Document state = host.database().database(AppHost.stateDatabaseName(TriggerBundle.APP_ID))
                .getCollection("trigger_state").find(Filters.eq("_id", trigger)).first();
        return state == null || state.get("position") == null ? null : state.get("position", Document.class).toBsonDocument();
    }
}
