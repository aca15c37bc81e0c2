package dev.thimble.runtime.logs;

import dev.thimble.testing.Eventually;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class LogServiceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T10:00:00Z"));
    private final TestDatabase db = new TestDatabase();
    private LogService service;

    @AfterEach
    void tearDown() {
        if (service != null) { service.close(); }
        db.close();
    }

    private LogService.Builder logs() {
        return LogService.builder(db.logs()).clock(clock);
    }

    private LogRecord record(String function) {
        return LogRecord.start(LogType.FUNCTION, clock).function(function, null).finish();
    }

    private List<LogRecord> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> record("f" + i)).toList();
    }

    private static List<ObjectId> ids(List<LogRecord> records) {
        return records.stream().map(LogRecord::id).toList();
    }

    private List<ObjectId> storedIds() {
        return db.stored().stream().map(d -> d.getObjectId("_id").getValue()).sorted().toList();
    }

    @Test
    void appendedRecordsArePersistedInBatches() {
        service = logs().batchSize(500).maxBatchDelay(Duration.ofMillis(200)).start();
        List<LogRecord> appended = records(2_000);
        int insertsBefore = db.insertCommands.get();

        appended.forEach(service::append);

        Eventually.await("all 2000 records stored", () -> db.logs().countDocuments() == 2_000);
        assertThat(db.insertCommands.get() - insertsBefore).isBetween(1, 20);
        assertThat(storedIds()).isEqualTo(ids(appended).stream().sorted().toList());
        assertThat(service.stats().persisted()).isEqualTo(2_000);
    }

    @Test
    void aTrickleIsWrittenWithinTheBatchDelay() {
        service = logs().batchSize(500).maxBatchDelay(Duration.ofMillis(50)).start();

        service.append(record("one"));

        Eventually.await("a lone record stored without a flush", Duration.ofSeconds(2), () -> db.logs().countDocuments() == 1);
    }

    @Test
    void closeStoresWhatIsLeft() {
        service = logs().batchSize(500).maxBatchDelay(Duration.ofMinutes(10)).start();
        List<LogRecord> appended = records(42);
        appended.forEach(service::append);

        service.close();

        assertThat(storedIds()).isEqualTo(ids(appended).stream().sorted().toList());
    }

    @Test
    void aSlowSubscriberDoesNotDelayOthers() throws Exception {
        service = logs().subscriberInterval(Duration.ofMillis(10)).start();
        CountDownLatch slowIsBusy = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        LogSubscription slow = service.subscribe(batch -> {
            slowIsBusy.countDown();
            await(releaseSlow);
        });
        List<LogRecord> fastGot = Collections.synchronizedList(new ArrayList<>());
        service.subscribe(fastGot::addAll);
        List<LogRecord> appended = records(300);

        service.append(appended.getFirst());
        assertThat(slowIsBusy.await(5, TimeUnit.SECONDS)).as("slow subscriber got its first batch").isTrue();
        appended.subList(1, appended.size()).forEach(service::append);

        try {
            Eventually.await("the fast subscriber got all 300 while the slow one is stuck", () -> fastGot.size() == 300);
            assertThat(ids(fastGot)).isEqualTo(ids(appended));
            assertThat(slowIsBusy.getCount()).isZero();
            assertThat(slow.overflowed()).isZero();
        } finally {
            releaseSlow.countDown();
        }
    }

    @Test
    void aSubscriberThatFallsBehindTheRingLosesTheOldestAndCountsThem() throws Exception {
        service = logs().capacity(100).subscriberBatchSize(10).subscriberInterval(Duration.ofMillis(10)).start();
        CountDownLatch slowIsBusy = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        List<LogRecord> slowGot = Collections.synchronizedList(new ArrayList<>());
        LogSubscription slow = service.subscribe(batch -> {
            slowGot.addAll(batch);
            slowIsBusy.countDown();
            await(releaseSlow);
        });
        List<LogRecord> appended = records(251);
        service.append(appended.getFirst());
        assertThat(slowIsBusy.await(5, TimeUnit.SECONDS)).isTrue();

        appended.subList(1, appended.size()).forEach(service::append);
        assertThat(slow.overflowed()).as("overflow counted while the subscriber is still stuck").isEqualTo(150);
        releaseSlow.countDown();

        Eventually.await("the slow subscriber caught up with what the ring still holds", () -> slowGot.size() == 101);
        assertThat(ids(slowGot)).isEqualTo(ids(concat(appended.subList(0, 1), appended.subList(151, 251))));
        assertThat(slow.overflowed()).isEqualTo(150);
        assertThat(service.stats().subscriberOverflow()).isEqualTo(150);
    }

    @Test
    void aThrowingSubscriberKeepsGettingRecordsAndDoesNotStopOthers() {
        service = logs().subscriberBatchSize(1).subscriberInterval(Duration.ofMillis(10)).start();
        List<LogRecord> throwerSaw = Collections.synchronizedList(new ArrayList<>());
        LogSubscription thrower = service.subscribe(batch -> {
            throwerSaw.addAll(batch);
            throw new IllegalStateException("listener bug");
        });
        List<LogRecord> otherGot = Collections.synchronizedList(new ArrayList<>());
        service.subscribe(otherGot::addAll);

        records(3).forEach(service::append);

        Eventually.await("both got all three", () -> throwerSaw.size() == 3 && otherGot.size() == 3);
        assertThat(thrower.failures()).isEqualTo(3);
    }

    @Test
    void aSubscriptionCanReplayRecentRecordsWithoutGapOrDuplicate() {
        service = logs().subscriberInterval(Duration.ofMillis(10)).start();
        List<LogRecord> before = records(5);
        before.forEach(service::append);
        List<LogRecord> got = Collections.synchronizedList(new ArrayList<>());

        service.subscribe(got::addAll, 3);
        List<LogRecord> after = records(2);
        after.forEach(service::append);

        Eventually.await("three replayed and two live", () -> got.size() == 5);
        assertThat(ids(got)).isEqualTo(ids(concat(before.subList(2, 5), after)));
    }

    @Test
    void closingASubscriptionStopsItsBatches() {
        service = logs().subscriberInterval(Duration.ofMillis(10)).start();
        List<LogRecord> got = Collections.synchronizedList(new ArrayList<>());
        List<LogRecord> witness = Collections.synchronizedList(new ArrayList<>());
        LogSubscription s = service.subscribe(got::addAll);
        service.subscribe(witness::addAll);
        service.append(record("a"));
        Eventually.await("first record delivered", () -> got.size() == 1);

        s.close();
        service.append(record("b"));

        Eventually.await("the witness got the second record", () -> witness.size() == 2);
        assertThat(got).hasSize(1);
    }

    @Test
    void recentReturnsTheNewestRecordsOldestFirst() {
        service = logs().capacity(10).start();
        List<LogRecord> appended = records(25);
        appended.forEach(service::append);

        assertThat(ids(service.recent(4))).isEqualTo(ids(appended.subList(21, 25)));
        assertThat(ids(service.recent(100))).isEqualTo(ids(appended.subList(15, 25)));
    }

    @Test
    void recordsSurviveADatabaseOutageUpToTheBound() {
        service = logs().capacity(100).batchSize(20).maxBatchDelay(Duration.ofMillis(20))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).start();
        List<LogRecord> beforeOutage = records(30);
        beforeOutage.forEach(service::append);
        assertThat(service.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(db.logs().countDocuments()).isEqualTo(30);

        db.stop();
        List<LogRecord> duringOutage = records(150);
        long t0 = System.nanoTime();
        duringOutage.forEach(service::append);
        long appendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Eventually.await("the writer noticed the outage", () -> !service.stats().storeReachable());
        db.restart();

        Eventually.await("the newest 100 stored after the outage", () -> db.logs().countDocuments() == 100);
        assertThat(appendMillis).as("appending while the database is down").isLessThan(1_000);
        assertThat(storedIds()).isEqualTo(ids(duringOutage.subList(50, 150)).stream().sorted().toList());
        assertThat(service.stats().dropped()).isEqualTo(50);
        // the writer marks the store reachable once the insert has returned, a moment after the documents are visible
        Eventually.await("the writer noticed the recovery", () -> service.stats().storeReachable());
    }

    @Test
    void appendNeverThrowsAndCloseGivesUpWhenTheClientIsClosed() {
        service = logs().batchSize(5).maxBatchDelay(Duration.ofMillis(10))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).closeTimeout(Duration.ofMillis(300)).start();
        db.client.close();

        records(10).forEach(service::append);
        long t0 = System.nanoTime();
        service.close();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
        assertThat(service.stats().dropped()).isEqualTo(10);
        assertThat(service.stats().persisted()).isZero();
    }

    @Test
    void secretValuesAreRedactedBeforeStorage() {
        String secret = "whsec_9f8e7d6c5b4a";
        service = logs().start();
        service.setSecretValues(Set.of(secret, "other-secret"));
        List<LogRecord> published = Collections.synchronizedList(new ArrayList<>());
        service.subscribe(published::addAll);

        service.append(LogRecord.start(LogType.WEBHOOK, clock)
                .request("POST", "/api/client/v2.0/app/x/service/http/incoming_webhook/in?secret=" + secret)
                .arguments(new BsonArray(List.of(new BsonDocument("token", new BsonString(secret)))), false)
                .message("signing with " + secret)
                .error("signature mismatch for " + secret, "WebhookError")
                .finish());
        assertThat(service.flush(Duration.ofSeconds(5))).isTrue();

        List<BsonDocument> stored = db.stored();
        assertThat(stored).hasSize(1);
        assertThat(stored.getFirst().toJson()).doesNotContain(secret).contains("****");
        assertThat(stored.getFirst().getArray("messages").get(0).asString().getValue()).isEqualTo("signing with ****");
        Eventually.await("published", () -> published.size() == 1);
        assertThat(published.getFirst().toDocument().toJson()).doesNotContain(secret);
        assertThat(service.recent(1).getFirst().toDocument().toJson()).doesNotContain(secret);
    }

    @Test
    void oldRecordsAreDeletedAfterTheRetentionAge() {
        service = logs().retention(Duration.ofDays(10)).retentionInterval(Duration.ofMillis(20)).start();
        LogRecord old = record("old");
        service.append(old);
        clock.advance(Duration.ofDays(9));
        LogRecord younger = record("younger");
        service.append(younger);
        assertThat(service.flush(Duration.ofSeconds(5))).isTrue();

        long runs = service.stats().retentionRuns();
        Eventually.await("retention ran twice more", () -> service.stats().retentionRuns() >= runs + 2);
        assertThat(storedIds()).as("9 days old: kept").containsExactlyInAnyOrder(old.id(), younger.id());

        clock.advance(Duration.ofDays(1).plusMillis(1));
        Eventually.await("the 10-day-old record deleted", () -> db.logs().countDocuments() == 1);
        assertThat(storedIds()).containsExactly(younger.id());
        // the count is added just after the delete returns: the document can be gone a moment before it is counted
        Eventually.await("the deletion counted", () -> service.stats().deletedByRetention() == 1);
        assertThat(service.stats().deletedByRetention()).isEqualTo(1);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
