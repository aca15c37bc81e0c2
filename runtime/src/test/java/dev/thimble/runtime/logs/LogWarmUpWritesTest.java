package dev.thimble.runtime.logs;

import com.mongodb.client.MongoDatabase;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decision record 0071: the start-time warm-up's log records go through the store's write path (BSON, the driver,
 * the embedded database and its indexes) into a scratch collection that is dropped when the warm-up ends; the app's
 * log collection, the ring and the live feed never get them, and they are masked like any record.
 */
class LogWarmUpWritesTest {
    @TempDir
    Path temp;

    @Test
    void warmUpRecordsAreWrittenToTheScratchCollectionOnlyAndItIsDroppedWhenTheWarmUpEnds() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            MongoDatabase state = database.database("__thimble_test");
            state.getCollection("log_records_warm_up").insertOne(new Document("left", "by a warm-up cut short by a crash"));
            LogService logs = service(state);
            logs.setSecretValues(List.of("s3cret-value"));
            List<LogRecord> live = new CopyOnWriteArrayList<>();
            logs.subscribe(live::addAll);

            for (int i = 0; i < 3; i++) {
                logs.storeWarmUpRecord(record("call " + i + " with s3cret-value"));
            }

            assertThat(logs.warmUpRecordsStored()).as("warm-up records written through the store").isEqualTo(3);
            List<Document> scratch = state.getCollection("log_records_warm_up").find().into(new ArrayList<>());
            assertThat(scratch).as("the scratch collection: the three records, what a crash left dropped first").hasSize(3)
                    .allSatisfy(d -> assertThat(d.getList(LogFields.MESSAGES, String.class).getFirst())
                            .doesNotContain("s3cret-value").contains("call "));
            assertThat(indexNames(state)).as("the scratch collection has the log collection's indexes")
                    .contains("started_-1", "type_1_started_-1", "function_name_1_started_-1");
            assertThat(logs.stats().appended()).as("records taken into the ring").isZero();
            assertThat(logs.recent(10)).isEmpty();
            assertThat(logs.query(LogQuery.all()).records()).as("the app's logs").isEmpty();
            // a record appended after the warm-up's is delivered alone: the feed never had the warm-up's
            logs.append(record("a client's call"));
            dev.thimble.testing.Eventually.await("the client's record on the live feed", () -> !live.isEmpty());
            assertThat(live).extracting(r -> r.messages().getFirst()).containsExactly("a client's call");

            logs.warmUpEnded();
            assertThat(state.listCollectionNames()).as("the scratch collection after the warm-up").doesNotContain("log_records_warm_up");
            assertThat(logs.query(LogQuery.all()).records()).hasSize(1);

            // the next warm-up (after a reload) writes again, and closing the service drops it too
            logs.storeWarmUpRecord(record("reload"));
            assertThat(logs.warmUpRecordsStored()).isEqualTo(4);
            logs.close();
            assertThat(state.listCollectionNames()).doesNotContain("log_records_warm_up");
            logs.storeWarmUpRecord(record("after close"));
            assertThat(logs.warmUpRecordsStored()).as("nothing is written after close").isEqualTo(4);
        }
    }

    @Test
    void switchedOffTheWarmUpWritesNothing() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            MongoDatabase state = database.database("__thimble_test");
            LogService logs = service(state);
            System.setProperty("thimble.logs.warmUpWrites", "false");
            try {
                logs.storeWarmUpRecord(record("off"));
            } finally {
                System.clearProperty("thimble.logs.warmUpWrites");
            }
            assertThat(logs.warmUpRecordsStored()).isZero();
            assertThat(state.listCollectionNames()).doesNotContain("log_records_warm_up");
            logs.close();
        }
    }

    private static LogService service(MongoDatabase state) {
        return LogService.builder(state.getCollection("log_records")).warmUpCollection(state.getCollection("log_records_warm_up"))
                .retentionInterval(Duration.ofDays(365)).flushTimeout(Duration.ofMinutes(2)).start();
    }

    private static LogRecord record(String line) {
        return LogRecord.start(LogType.FUNCTION, Clock.systemUTC()).function("thimble-warm-up", null)
                .messages(List.of(line)).finish(LogStatus.SUCCESS);
    }

    private static List<String> indexNames(MongoDatabase state) {
        return state.getCollection("log_records_warm_up").listIndexes().map(d -> d.getString("name")).into(new ArrayList<>());
    }
}
