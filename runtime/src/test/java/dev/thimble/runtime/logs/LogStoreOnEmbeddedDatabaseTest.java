package dev.thimble.runtime.logs;

import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.testing.Eventually;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log store on the embedded database, where the panel's filters and the newest-first order are served
 * by the store's single-field indexes (decision 0040): every query, page by page, answers exactly what the
 * same query answers on a twin store on the library's in-memory backend, which scans and sorts everything;
 * also after the data file is reopened (the indexes are rebuilt from the records) and after retention
 * deleted the oldest records.
 */
class LogStoreOnEmbeddedDatabaseTest {
    private static final List<String> FUNCTIONS = List.of("checkout", "reserveStock", "notify", "needle");

    @TempDir
    Path temp;

    @Test
    void filteredPagesAreTheSameAsOnAScanningStoreThroughReopenAndRetention() {
        MutableClock clock = new MutableClock(Instant.parse("2024-03-01T10:00:00Z"));
        List<LogRecord> records = records(clock, new Random(37), 1_500);
        List<Function<LogQuery, LogQuery>> filters = filters(records);
        try (TestDatabase scanning = new TestDatabase()) {
            LogService reference = LogService.builder(scanning.logs()).clock(clock).start();
            records.forEach(reference::append);
            try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
                LogService indexed = service(database, clock);
                records.forEach(indexed::append);
                assertSamePages(indexed, reference, filters);
                indexed.close();
            }
            try (Database reopened = Database.open(DatabaseSettings.embedded(temp))) {
                LogService indexed = service(reopened, clock);
                assertSamePages(indexed, reference, filters);

                // retention (10 days) takes the older half: the records that started before the middle one
                Instant middle = records.get(records.size() / 2).started();
                clock.advance(Duration.ofDays(10).minus(Duration.between(middle, records.getLast().started())));
                long deleted = indexed.deleteExpired();
                assertThat(deleted).as("records past retention").isPositive();
                assertThat(reference.deleteExpired()).isEqualTo(deleted);
                assertSamePages(indexed, reference, filters);
                indexed.close();
            }
            reference.close();
        }
    }

    @Test
    void theStoreCreatesTheIndexesItsQueriesNeed() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            LogService service = service(database, new MutableClock(Instant.parse("2024-03-01T10:00:00Z")));
            service.append(LogRecord.start(LogType.FUNCTION, java.time.Clock.systemUTC()).function("f", null).finish());
            Eventually.await("the store's indexes", () -> indexNames(database).containsAll(List.of("started_-1",
                    "type_1_started_-1", "status_1_started_-1", "user_id_1_started_-1", "function_name_1_started_-1", "co_id_1")));
            service.close();
        }
    }

    @Test
    void aStoreOfAnEarlierBuildHasItsTypeStatusUserAndFunctionIndexesReplacedByTheNewestFirstOnes() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            var records = database.database("__thimble_test").getCollection("log_records");
            for (String field : List.of("type", "status", "user_id", "function_name")) {
                records.createIndex(com.mongodb.client.model.Indexes.ascending(field),
                        new com.mongodb.client.model.IndexOptions().name(field + "_1"));
            }
            LogService service = service(database, new MutableClock(Instant.parse("2024-03-01T10:00:00Z")));
            service.append(LogRecord.start(LogType.FUNCTION, java.time.Clock.systemUTC()).function("f", null).finish());
            // the log writer makes the indexes on its own thread: wait for the last drop
            Eventually.await("the newest-first indexes in place of the single-field ones", () -> {
                List<String> names = indexNames(database);
                return names.containsAll(List.of("type_1_started_-1", "status_1_started_-1", "user_id_1_started_-1",
                        "function_name_1_started_-1"))
                        && names.stream().noneMatch(List.of("type_1", "status_1", "user_id_1", "function_name_1")::contains);
            });
            assertThat(indexNames(database)).contains("co_id_1");
            service.close();
        }
    }

    private static List<String> indexNames(Database database) {
        List<String> names = new ArrayList<>();
        database.database("__thimble_test").getCollection("log_records").listIndexes()
                .forEach(d -> names.add(d.getString("name")));
        return names;
    }

    private static LogService service(Database database, MutableClock clock) {
        return LogService.builder(database.database("__thimble_test").getCollection("log_records")).clock(clock)
                // a generous wait for the writer: at load ~20 storing 1,500 records with six indexes took over the 5 s default
                .retentionInterval(Duration.ofDays(365)).flushTimeout(Duration.ofMinutes(2)).start();
    }

    /** Records a second apart, a few sharing a second (pages cut through ties), of several types, users, functions. */
    private static List<LogRecord> records(MutableClock clock, Random random, int n) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(random.nextInt(5) == 0 ? 0 : 1));
            String user = "u" + random.nextInt(12);
            String coId = "req-" + (i / 3);
            LogRecord record = switch (random.nextInt(6)) {
                case 0 -> LogRecord.start(LogType.AUTH, clock).userId(user).coId(coId).authEvent("local-userpass", null).finish();
                case 1 -> LogRecord.start(LogType.SERVICE_FUNCTION, clock).userId(user).coId(coId).service("mongodb-atlas", "find").finish();
                default -> {
                    LogRecord.Builder b = LogRecord.start(LogType.FUNCTION, clock).userId(user).coId(coId)
                            .function(FUNCTIONS.get(random.nextInt(FUNCTIONS.size())), null);
                    if (random.nextInt(7) == 0) {
                        b.error("Stock for item " + i + " is low", "FunctionExecutionError");
                        yield b.finish(LogStatus.ERROR);
                    }
                    yield b.finish();
                }
            };
            out.add(record);
        }
        return out;
    }

    private static List<Function<LogQuery, LogQuery>> filters(List<LogRecord> records) {
        Instant first = records.getFirst().started();
        Instant middle = records.get(records.size() / 2).started();
        List<Function<LogQuery, LogQuery>> filters = new ArrayList<>();
        filters.add(q -> q);
        filters.add(q -> q.withLimit(7));
        filters.add(q -> q.withFunctionName("needle"));
        filters.add(q -> q.withFunctionName("checkout").withLimit(13));
        filters.add(q -> q.withFunctionName("nobody"));
        filters.add(q -> q.withUserId("u3"));
        filters.add(q -> q.withUserId("u3").errorsOnly().withLimit(2));
        filters.add(q -> q.errorsOnly().withLimit(9));
        filters.add(q -> q.withStatus(LogStatus.SUCCESS).withLimit(250));
        filters.add(q -> q.withTypes(LogType.AUTH).withLimit(20));
        filters.add(q -> q.withTypes(LogType.AUTH, LogType.SERVICE_FUNCTION).withLimit(40));
        filters.add(q -> q.withCoId("req-100"));
        filters.add(q -> q.withStartDate(middle).withLimit(30));
        filters.add(q -> q.withEndDate(middle).withLimit(30));
        filters.add(q -> q.withStartDate(first.plusSeconds(60)).withEndDate(middle).withFunctionName("notify").withLimit(11));
        filters.add(q -> q.withStartDate(middle).withEndDate(first).withLimit(5)); // an empty window
        filters.add(q -> q.withText("item 1").withLimit(25));
        filters.add(q -> q.withSkip(3).withLimit(10));
        return filters;
    }

    /** Walks every page of every filter on both stores (all pages for the smaller ones, the first 5 of the others). */
    private static void assertSamePages(LogService indexed, LogService reference, List<Function<LogQuery, LogQuery>> filters) {
        for (Function<LogQuery, LogQuery> filter : filters) {
            LogQuery q = filter.apply(LogQuery.all());
            for (int page = 0; page < 5; page++) {
                LogPage expected = reference.query(q);
                LogPage actual = indexed.query(q);
                assertThat(ids(actual.records())).as("page " + page + " of " + q).isEqualTo(ids(expected.records()));
                assertThat(actual.nextEndDate()).isEqualTo(expected.nextEndDate());
                assertThat(actual.nextSkip()).isEqualTo(expected.nextSkip());
                if (!expected.hasMore()) {
                    break;
                }
                q = q.next(expected);
            }
        }
    }

    private static List<ObjectId> ids(List<LogRecord> records) {
        return records.stream().map(LogRecord::id).toList();
    }

}
