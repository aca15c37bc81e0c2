package dev.thimble.runtime.logs;

import dev.thimble.testing.Eventually;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogQueryTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T10:00:00Z"));
    private final TestDatabase db = new TestDatabase();
    private LogService service;

    @BeforeEach
    void start() {
        // A long batch delay: nothing reaches the database unless a query flushes it there.
        service = LogService.builder(db.logs()).clock(clock).maxBatchDelay(Duration.ofMinutes(10)).start();
    }

    @AfterEach
    void tearDown() {
        service.close();
        db.close();
    }

    /** Appends a record that started {@code secondsLater} after the previous one. */
    private LogRecord append(long secondsLater, LogType type, UnaryOperator<LogRecord.Builder> fill) {
        clock.advance(Duration.ofSeconds(secondsLater));
        LogRecord r = fill.apply(LogRecord.start(type, clock)).finish();
        service.append(r);
        return r;
    }

    private LogRecord function(String name, String error) {
        return append(1, LogType.FUNCTION, b -> b.function(name, null).error(error, error == null ? null : "FunctionExecutionError"));
    }

    private static List<ObjectId> ids(List<LogRecord> records) {
        return records.stream().map(LogRecord::id).toList();
    }

    @Test
    void queryFindsErrorsOfOneFunctionNewestFirst() {
        LogRecord first = function("checkout", "qty is undefined");
        function("checkout", null);
        function("reserveStock", "out of stock");
        LogRecord second = function("checkout", "card declined");
        function("checkout", null);
        LogRecord third = function("checkout", "timeout");

        LogPage page = service.query(LogQuery.all().errorsOnly().withFunctionName("checkout"));

        assertThat(ids(page.records())).containsExactly(third.id(), second.id(), first.id());
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void aRecordAppendedJustBeforeAQueryIsInItsResult() {
        Eventually.await("the writer finished starting up and waits for a batch", () -> service.stats().retentionRuns() >= 1);
        LogRecord r = function("checkout", null);

        assertThat(db.logs().countDocuments()).as("not yet written by the writer").isZero();
        assertThat(ids(service.query(LogQuery.all()).records())).containsExactly(r.id());
    }

    @Test
    void queryFiltersByTypeUserCorrelationIdAndDates() {
        LogRecord login = append(1, LogType.AUTH, b -> b.userId("u1").authEvent("local-userpass", null));
        LogRecord call = append(1, LogType.FUNCTION, b -> b.userId("u1").coId("req-7").function("f", null));
        LogRecord find = append(1, LogType.SERVICE_FUNCTION, b -> b.userId("u1").coId("req-7").service("mongodb-atlas", "find"));
        LogRecord other = append(1, LogType.FUNCTION, b -> b.userId("u2").function("f", null));
        LogRecord trigger = append(1, LogType.DB_TRIGGER, b -> b.trigger("t1", "onOrder"));

        assertThat(ids(service.query(LogQuery.all().withTypes(LogType.AUTH, LogType.DB_TRIGGER)).records()))
                .containsExactly(trigger.id(), login.id());
        assertThat(ids(service.query(LogQuery.all().withUserId("u1")).records()))
                .containsExactly(find.id(), call.id(), login.id());
        assertThat(ids(service.query(LogQuery.all().withCoId("req-7")).records()))
                .containsExactly(find.id(), call.id());
        assertThat(ids(service.query(LogQuery.all().withStartDate(call.started()).withEndDate(other.started())).records()))
                .containsExactly(other.id(), find.id(), call.id());
        assertThat(ids(service.query(LogQuery.all().withStatus(LogStatus.SUCCESS).withLimit(2)).records()))
                .containsExactly(trigger.id(), other.id());
    }

    @Test
    void queryFindsTextInErrorsAndConsoleMessagesIgnoringCase() {
        LogRecord inError = append(1, LogType.FUNCTION, b -> b.error("Stock for SKU (a+b) is low", null));
        LogRecord inMessage = append(1, LogType.FUNCTION, b -> b.message("start").message("checking sku (A+B) now"));
        append(1, LogType.FUNCTION, b -> b.message("sku ab").function("sku (a+b)", null));

        assertThat(ids(service.query(LogQuery.all().withText("sku (a+b)")).records()))
                .containsExactly(inMessage.id(), inError.id());
    }

    @Test
    void pagesFollowNextEndDateAndNextSkipWithoutGapsOrRepeats() {
        // Five records share the newest second, two the next, then one each: pages cut through ties.
        List<LogRecord> all = new ArrayList<>();
        all.add(function("a", null));
        for (int i = 0; i < 2; i++) { all.add(append(i == 0 ? 1 : 0, LogType.FUNCTION, b -> b)); }
        all.add(function("b", null));
        for (int i = 0; i < 5; i++) { all.add(append(i == 0 ? 1 : 0, LogType.FUNCTION, b -> b)); }
        List<ObjectId> newestFirst = all.stream()
                .sorted(Comparator.comparing(LogRecord::started).thenComparing(LogRecord::id).reversed())
                .map(LogRecord::id).toList();

        for (int limit = 1; limit <= 4; limit++) {
            List<ObjectId> seen = new ArrayList<>();
            LogQuery q = LogQuery.all().withLimit(limit);
            LogPage page = service.query(q);
            seen.addAll(ids(page.records()));
            int pages = 1;
            while (page.hasMore()) {
                q = q.next(page);
                page = service.query(q);
                seen.addAll(ids(page.records()));
                assertThat(++pages).as("pages for limit " + limit).isLessThanOrEqualTo(all.size());
            }
            assertThat(seen).as("all pages with limit " + limit).isEqualTo(newestFirst);
        }
    }

    @Test
    void theLastPageHasNoNextPage() {
        function("only", null);

        LogPage page = service.query(LogQuery.all());

        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextEndDate()).isNull();
        assertThatThrownBy(() -> LogQuery.all().next(page)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aQueryOutsideTheLimitsIsRefused() {
        assertThatThrownBy(() -> LogQuery.all().withLimit(0)).hasMessageContaining("limit must be between 1 and 1000");
        assertThatThrownBy(() -> LogQuery.all().withSkip(-1)).hasMessageContaining("skip must not be negative");
    }
}
