package dev.thimble.workbench.logs;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.testing.FakeUiThread;
import dev.thimble.workbench.testing.LogRecords;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The logs panel's state without a window: filters, detail, rates, trimming and export. */
class LogsViewModelTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final FakeUiThread ui = new FakeUiThread();
    private final java.util.concurrent.ExecutorService background = Executors.newSingleThreadExecutor();
    private final LogsViewModel logs = ui.call(() -> new LogsViewModel(new UiTasks(background, ui), Clock.fixed(NOW, ZoneOffset.UTC)));

    @TempDir
    Path temp;

    @AfterEach
    void close() {
        background.shutdownNow();
        ui.close();
    }

    static LogRecord record(int i, LogType type, String function, String user, String error, long secondsAgo, long ms) {
        return LogRecords.record(i, NOW.minusSeconds(secondsAgo), type, function, user, error, ms);
    }

    private static List<LogRecord> manyRecords(int n) {
        return LogRecords.many(n, NOW, 30);
    }

    @Test
    void aFullPanelOfRecordsIsHeldAndEachFilterNarrowsThem() {
        int n = LogsViewModel.MAX_RECORDS; // every 1000th is an error, every other one a service call
        List<LogRecord> batch = manyRecords(n);
        ui.run(() -> logs.append(batch));

        assertThat(ui.call(() -> logs.shown().size())).isEqualTo(n);
        assertThat(ui.call(() -> logs.summaryProperty().get())).isEqualTo(String.format("%,d records", n));

        ui.run(() -> logs.statusProperty().set(LogStatus.ERROR));
        assertThat(ui.call(() -> logs.shown().size())).isEqualTo(n / 1000);
        ui.run(() -> logs.functionProperty().set("checkout"));
        assertThat(ui.call(() -> logs.shown().stream().allMatch(r -> r.isError() && r.functionName().equals("checkout")))).isTrue();
        assertThat(ui.call(() -> logs.shown().size())).isEqualTo(n / 1000);
        ui.run(() -> logs.userProperty().set("user0"));
        assertThat(ui.call(() -> logs.shown().size())).isEqualTo(n / 1000);
        String last = "boom " + (n - 1000);
        ui.run(() -> logs.textProperty().set(last.toUpperCase(java.util.Locale.ROOT)));
        assertThat(ui.call(() -> logs.shown().stream().map(LogRecord::error).toList())).containsExactly("Error: " + last);
        assertThat(ui.call(() -> logs.summaryProperty().get())).isEqualTo(String.format("1 of %,d records", n));

        ui.run(logs::resetFilters);
        ui.run(() -> logs.typeProperty().set(LogType.SERVICE_FUNCTION));
        assertThat(ui.call(() -> logs.shown().size())).isEqualTo(n / 2);
    }

    @Test
    void theTimeRangeKeepsOnlyRecentRecords() {
        ui.run(() -> logs.append(List.of(record(1, LogType.FUNCTION, "old", "u", null, 600, 1),
                record(2, LogType.FUNCTION, "recent", "u", null, 30, 1))));

        ui.run(() -> logs.rangeProperty().set(LogsViewModel.TimeRange.LAST_MINUTE));
        assertThat(ui.call(() -> logs.shown().stream().map(LogRecord::functionName).toList())).containsExactly("recent");
        ui.run(() -> logs.rangeProperty().set(LogsViewModel.TimeRange.LAST_15_MINUTES));
        assertThat(ui.call(() -> logs.shown().size())).isEqualTo(2);
    }

    @Test
    void theDetailShowsRequestUserArgumentsConsoleErrorAndDecision() {
        LogRecord failed = record(7, LogType.FUNCTION, "checkout", "u-42", "Error: no qty\n    at exports (functions/checkout/source.js:3:9)", 5, 12);
        LogRecord find = record(8, LogType.SERVICE_FUNCTION, null, "u-42", null, 5, 3);
        ui.run(() -> logs.append(List.of(failed, find)));

        ui.run(() -> logs.selectedProperty().set(failed));
        String detail = ui.call(() -> logs.detailProperty().get());
        assertThat(detail).contains("FUNCTION  error").contains("12 ms").contains("Request     POST http://127.0.0.1:8080/api/client/v2.0/app/todo-thmbl/functions/call")
                .contains("User        u-42").contains("Function    checkout").contains("\"arg7\"").contains("line of 7")
                .contains("Error (FunctionExecutionError)").contains("functions/checkout/source.js:3:9");

        ui.run(() -> logs.selectedProperty().set(find));
        assertThat(ui.call(() -> logs.detailProperty().get())).contains("Service     mongodb-atlas find")
                .contains("Rule decision: in the tree below");
        assertThat(ui.call(() -> logs.decision().getFirst().text())).contains("by role \"owner\"");
    }

    @Test
    void showSimilarFiltersByTheSelectedFunctionAndUser() {
        ui.run(() -> logs.append(manyRecords(40)));
        LogRecord first = ui.call(() -> logs.shown().get(0));
        ui.run(() -> logs.selectedProperty().set(first));
        ui.run(logs::showSimilar);

        assertThat(ui.call(() -> logs.shown().stream().allMatch(r -> "checkout".equals(r.functionName()) && "user0".equals(r.userId())))).isTrue();
        assertThat(ui.call(() -> logs.shown().size())).isEqualTo(2);
    }

    @Test
    void beyondTheCapTheOldestRecordsGo() {
        ui.run(() -> logs.append(manyRecords(LogsViewModel.MAX_RECORDS)));
        LogRecord newest = record(-1, LogType.FUNCTION, "newest", "u", null, 1, 1);
        ui.run(() -> logs.append(List.of(newest)));

        int held = ui.call(() -> logs.records().size());
        assertThat(held).isLessThanOrEqualTo(LogsViewModel.MAX_RECORDS).isGreaterThan(LogsViewModel.MAX_RECORDS * 8 / 10);
        assertThat(ui.call(() -> logs.records().getLast())).isSameAs(newest);
    }

    @Test
    void ratesCountRequestsPerSecondAndTheirMeanLatency() {
        List<LogRecord> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(record(i, LogType.FUNCTION, "f", "u", null, 3, i < 5 ? 10 : 30)); // 10 records in one second, 20 ms mean
        }
        ui.run(() -> logs.append(batch));
        ui.run(logs::tick);

        LogRates.Series series = ui.call(() -> logs.seriesProperty().get());
        assertThat(series.maxRate()).isEqualTo(10);
        assertThat(series.maxLatency()).isEqualTo(20);
        assertThat(ui.call(() -> logs.perSecondProperty().get())).isEqualTo(2.0); // 10 over the last 5 s
    }

    @Test
    void exportWritesTheFilteredRecordsAsAJsonArray() throws Exception {
        ui.run(() -> logs.append(manyRecords(2000)));
        ui.run(() -> logs.statusProperty().set(LogStatus.ERROR));
        Path file = temp.resolve("out/errors.json");

        int n = ui.call(() -> logs.export(file)).get(10, TimeUnit.SECONDS);

        assertThat(n).isEqualTo(2);
        BsonArray written = BsonDocument.parse("{\"a\": " + Files.readString(file) + "}").getArray("a");
        assertThat(written).hasSize(2);
        assertThat(written.stream().map(v -> LogRecord.fromDocument(v.asDocument()).error()).toList())
                .containsExactly("Error: boom 0", "Error: boom 1000");
    }
}
