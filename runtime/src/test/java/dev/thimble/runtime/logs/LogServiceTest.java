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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class LogServiceTest {
    /** A database stop and restart under a loaded machine's CI can take longer than the usual limit (seen at load 20). */
    private static final Duration OUTAGE_LIMIT = Duration.ofSeconds(60);

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
        // only the ids: 10,000 records with large decisions would cross the socket whole otherwise
        return db.logs().find().projection(new BsonDocument("_id", new org.bson.BsonInt32(1))).into(new ArrayList<>())
                .stream().map(d -> d.getObjectId("_id").getValue()).sorted().toList();
    }

    @Test
    void appendedRecordsArePersistedInBatches() {
        service = logs().batchSize(500).maxBatchDelay(Duration.ofMillis(200)).start();
        List<LogRecord> appended = records(2_000);
        int insertsBefore = db.insertCommands.get();

        appended.forEach(service::append);

        Eventually.await("all 2000 records stored", () -> db.logs().countDocuments() == 2_000);
        // the writer counts a batch once its insert has returned, a moment after its records are visible
        Eventually.await("all 2000 records counted as persisted", () -> service.stats().persisted() >= 2_000);
        assertThat(db.insertCommands.get() - insertsBefore).isBetween(1, 20);
        assertThat(storedIds()).isEqualTo(ids(appended).stream().sorted().toList());
        assertThat(service.stats().persisted()).isEqualTo(2_000);
    }

    @Test
    void aTrickleIsWrittenWithinTheBatchDelay() {
        service = logs().batchSize(500).maxBatchDelay(Duration.ofMillis(50)).start();

        service.append(record("one"));

        // no flush and no full batch: only the batch delay can have written it
        Eventually.await("a lone record stored without a flush", () -> db.logs().countDocuments() == 1);
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
        assertThat(slowIsBusy.await(30, TimeUnit.SECONDS)).as("slow subscriber got its first batch").isTrue();
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
        assertThat(slowIsBusy.await(30, TimeUnit.SECONDS)).isTrue();

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
        // appending must not wait for the database: the appends return while it is still down
        CompletableFuture<Void> appending = CompletableFuture.runAsync(() -> duringOutage.forEach(service::append));
        Eventually.await("appends returned while the database is down", appending::isDone);
        assertThat(appending).isCompleted();
        Eventually.await("the writer noticed the outage", OUTAGE_LIMIT, () -> !service.stats().storeReachable());
        db.restart();

        Eventually.await("the newest 100 stored after the outage", OUTAGE_LIMIT, () -> db.logs().countDocuments() == 100);
        assertThat(storedIds()).isEqualTo(ids(duringOutage.subList(50, 150)).stream().sorted().toList());
        assertThat(service.stats().dropped()).isEqualTo(50);
        // the writer marks the store reachable once the insert has returned, a moment after the documents are visible
        Eventually.await("the writer noticed the recovery", OUTAGE_LIMIT, () -> service.stats().storeReachable());
    }

    @Test
    void appendNeverThrowsAndCloseGivesUpWhenTheClientIsClosed() {
        service = logs().batchSize(5).maxBatchDelay(Duration.ofMillis(10))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).closeTimeout(Duration.ofMillis(300)).start();
        db.client.close();

        records(10).forEach(service::append);
        // close gives up after its close timeout instead of retrying a closed client for ever
        CompletableFuture<Void> closing = CompletableFuture.runAsync(service::close);
        Eventually.await("close returned with the client closed", closing::isDone);
        assertThat(closing).isCompleted();
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

    /** A function record with a rule decision of {@code documents} per-document entries (~33 bytes each), as a count logs. */
    private LogRecord withDecision(String function, int documents) {
        BsonArray perDocument = new BsonArray();
        for (int i = 0; i < documents; i++) {
            perDocument.add(new BsonDocument("_id", new BsonString(function + "-" + i)).append("role", new BsonString("owner")));
        }
        return LogRecord.start(LogType.FUNCTION, clock).function(function, null).message("counted " + function)
                .arguments(new BsonArray(List.of(new BsonString(function))), false)
                .decision(new BsonDocument("documents", perDocument)).finish();
    }

    private static long heavyBytesHeld(List<LogRecord> inRing) {
        return inRing.stream().mapToLong(LogRecord::heavyBytes).sum();
    }

    @Test
    void theRingHoldsItsByteBudgetOfStoredRecordsWhileLargeRecordsFlowAndTheStoreGetsEveryOne() {
        long budget = 256 * 1024;
        service = logs().ringBytes(budget).start(); // the default 10,000 records
        List<LogRecord> appended = new ArrayList<>();

        for (int chunk = 0; chunk < 40; chunk++) {
            List<LogRecord> these = IntStream.range(0, 250).mapToObj(i -> withDecision("f" + appended.size() + i, 100)).toList();
            these.forEach(service::append);
            appended.addAll(these);
            assertThat(service.flush(Duration.ofSeconds(30))).as("chunk %d stored", chunk).isTrue();

            List<LogRecord> inRing = service.recent(10_000);
            assertThat(inRing).hasSize(appended.size());
            assertThat(heavyBytesHeld(inRing)).as("heavy parts held after chunk %d", chunk).isLessThanOrEqualTo(budget);
            assertThat(service.heldBytes()).isEqualTo(heavyBytesHeld(inRing));
        }

        List<LogRecord> inRing = service.recent(10_000);
        long heavy = appended.getFirst().heavyBytes();
        assertThat(heavy).as("one record's heavy parts").isGreaterThan(3_000);
        assertThat(heavyBytesHeld(inRing)).isGreaterThan(budget - heavy); // the budget is used, not just respected
        // the newest keep everything; the oldest keep all but the heavy parts
        assertThat(inRing.getLast()).isEqualTo(appended.getLast());
        LogRecord oldest = inRing.getFirst();
        assertThat(oldest.id()).isEqualTo(appended.getFirst().id());
        assertThat(oldest.decision()).isNull();
        assertThat(oldest.arguments()).isNull();
        assertThat(oldest.messages()).isEqualTo(appended.getFirst().messages());
        assertThat(oldest.functionName()).isEqualTo(appended.getFirst().functionName());
        // the store has every record whole
        assertThat(service.stats().persisted()).isEqualTo(10_000);
        assertThat(service.stats().dropped()).isZero();
        assertThat(storedIds()).isEqualTo(ids(appended).stream().sorted().toList());
        LogRecord storedOldest = LogRecord.fromDocument(db.logs().find(new BsonDocument("_id",
                new org.bson.BsonObjectId(appended.getFirst().id()))).first());
        assertThat(storedOldest).isEqualTo(appended.getFirst());
    }

    @Test
    void aSubscriberGetsEveryRecordWholeAndInOrderAfterTheRingReleasedIt() {
        service = logs().ringBytes(16 * 1024).subscriberInterval(Duration.ofMillis(10)).subscriberBatchSize(300).start();
        List<LogRecord> before = IntStream.range(0, 1_000).mapToObj(i -> withDecision("before" + i, 100)).toList();
        before.forEach(service::append);
        assertThat(service.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(service.recent(1_000).getFirst().decision()).as("released from the ring").isNull();
        List<LogRecord> got = Collections.synchronizedList(new ArrayList<>());

        LogSubscription subscription = service.subscribe(got::addAll, 1_000);
        List<LogRecord> after = IntStream.range(0, 500).mapToObj(i -> withDecision("after" + i, 100)).toList();
        after.forEach(service::append);

        Eventually.await("1000 replayed and 500 live", Duration.ofSeconds(60), () -> got.size() == 1_500);
        assertThat(got).isEqualTo(concat(before, after));
        assertThat(subscription.overflowed()).isZero();
    }

    @Test
    void recordsNotYetStoredAreNeverReleased() {
        service = logs().ringBytes(0).capacity(500).batchSize(50).maxBatchDelay(Duration.ofMillis(20))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).start();
        service.append(withDecision("stored", 10));
        assertThat(service.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(service.recent(1).getFirst().decision()).as("stored, over a budget of 0").isNull();

        db.stop();
        List<LogRecord> duringOutage = IntStream.range(0, 200).mapToObj(i -> withDecision("outage" + i, 10)).toList();
        duringOutage.forEach(service::append);
        Eventually.await("the writer noticed the outage", OUTAGE_LIMIT, () -> !service.stats().storeReachable());
        assertThat(service.recent(200)).as("waiting for the store, whole").isEqualTo(duringOutage);
        db.restart();

        Eventually.await("all 200 stored after the outage", () -> db.logs().countDocuments() == 200);
        assertThat(db.stored().stream().map(LogRecord::fromDocument).sorted(java.util.Comparator.comparing(LogRecord::id)).toList())
                .isEqualTo(duringOutage.stream().sorted(java.util.Comparator.comparing(LogRecord::id)).toList());
        assertThat(service.stats().dropped()).isZero();
    }

    @Test
    void aNegativeByteBudgetIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> logs().ringBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ringBytes");
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
