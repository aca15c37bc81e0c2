package dev.thimble.runtime.logs;

import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.testing.Eventually;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring's released records read back whole from the embedded database serve runs on (the live panel opening on a
 * busy app: its replay is almost all released records).
 */
class LogRingOnEmbeddedDatabaseTest {
    @TempDir
    Path temp;

    @Test
    void aReplayOfReleasedRecordsIsWholeAndInOrder() {
        MutableClock clock = new MutableClock(Instant.parse("2024-03-01T10:00:00Z"));
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            LogService service = LogService.builder(database.database("__thimble_test").getCollection("log_records"))
                    .clock(clock).ringBytes(0).flushTimeout(Duration.ofMinutes(2)).subscriberInterval(Duration.ofMillis(10)).start();
            List<LogRecord> appended = IntStream.range(0, 600).mapToObj(i -> LogRecord.start(LogType.FUNCTION, clock)
                    .function("count", null).userId("user" + i % 7).message("call " + i)
                    .arguments(new BsonArray(List.of(new BsonInt32(i))), false)
                    .decision(new BsonDocument("documents", new BsonArray(List.of(new BsonDocument("_id", new BsonString("d" + i))))))
                    .result(new BsonInt32(i), false).finish()).toList();
            appended.forEach(service::append);
            assertThat(service.flush(Duration.ofMinutes(2))).isTrue();
            assertThat(service.recent(600)).allSatisfy(r -> assertThat(r.decision()).as("released").isNull());
            List<LogRecord> got = Collections.synchronizedList(new ArrayList<>());

            service.subscribe(got::addAll, 600);

            Eventually.await("600 replayed", Duration.ofMinutes(1), () -> got.size() == 600);
            assertThat(got).isEqualTo(appended);
            service.close();
        }
    }
}
