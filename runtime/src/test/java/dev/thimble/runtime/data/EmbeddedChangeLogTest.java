package dev.thimble.runtime.data;

import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.ChangeHistoryLostException;
import dev.thimble.runtime.changes.Subscription;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event log on its own: trimming by count and age, catching up from the map, lost history. */
class EmbeddedChangeLogTest {
    final MVStore store = new MVStore.Builder().open();
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @AfterEach
    void close() {
        subscriptions.forEach(Subscription::close);
        store.close();
    }

    static RawBsonDocument doc(int id) {
        return new RawBsonDocument(BsonDocument.parse("{_id: " + id + ", n: " + id + "}"), new BsonDocumentCodec());
    }

    static void insert(EmbeddedChangeLog log, int id) {
        log.inserted("db", "c", doc(id));
        log.publish(log.lastRecorded());
    }

    @Test
    void keepsTheNewestEventsAndReportsLostHistoryToOlderPositions() throws Exception {
        EmbeddedChangeLog log = new EmbeddedChangeLog(store, clock, 5, Duration.ofHours(1));
        for (int i = 1; i <= 8; i++) {
            insert(log, i);
        }
        BsonDocument third = EmbeddedChangeLog.token(3);
        BsonDocument second = EmbeddedChangeLog.token(2);
        // Events 4..8 are kept: resuming after 3 works, after 2 does not.
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        subscriptions.add(log.subscribe(ChangeFilter.all().resumeAfter(third), events::add));
        for (int expected = 4; expected <= 8; expected++) {
            assertThat(events.poll(5, TimeUnit.SECONDS).documentId().asInt32().getValue()).isEqualTo(expected);
        }
        assertThatThrownBy(() -> log.subscribe(ChangeFilter.all().resumeAfter(second), e -> { }))
                .isInstanceOf(ChangeHistoryLostException.class).hasMessageContaining("no longer holds");
    }

    @Test
    void dropsEventsOlderThanTheMaximumAgeButAlwaysKeepsTheNewest() {
        EmbeddedChangeLog log = new EmbeddedChangeLog(store, clock, 10_000, Duration.ofHours(24));
        insert(log, 1);
        clock.now = clock.now.plus(Duration.ofHours(25));
        for (int i = 2; i <= 70; i++) { // the age check runs every 64 events
            insert(log, i);
        }
        assertThatThrownBy(() -> log.subscribe(ChangeFilter.all().resumeAfter(EmbeddedChangeLog.token(0)), e -> { }))
                .isInstanceOf(ChangeHistoryLostException.class);
        subscriptions.add(log.subscribe(ChangeFilter.all().resumeAfter(EmbeddedChangeLog.token(1)), e -> { }));

        EmbeddedChangeLog single = new EmbeddedChangeLog(new MVStore.Builder().open(), clock, 10_000, Duration.ofSeconds(1));
        insert(single, 1);
        clock.now = clock.now.plus(Duration.ofDays(3));
        assertThat(single.currentPosition()).isEqualTo(EmbeddedChangeLog.token(1));
    }

    @Test
    void aSubscriberFarBehindCatchesUpFromTheStoredLogInOrder() throws Exception {
        EmbeddedChangeLog log = new EmbeddedChangeLog(store, clock, 5000, Duration.ofHours(1));
        for (int i = 1; i <= EmbeddedChangeLog.MEMORY_EVENTS + 500; i++) {
            insert(log, i);
        }
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        subscriptions.add(log.subscribe(ChangeFilter.all().resumeAfter(EmbeddedChangeLog.token(0)), events::add));
        for (int expected = 1; expected <= EmbeddedChangeLog.MEMORY_EVENTS + 500; expected++) {
            ChangeEvent event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event.documentId().asInt32().getValue()).isEqualTo(expected);
        }
    }

    @Test
    void eventsAreDeliveredOnlyOncePublished() throws Exception {
        EmbeddedChangeLog log = new EmbeddedChangeLog(store, clock);
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        subscriptions.add(log.subscribe(ChangeFilter.all(), events::add));
        log.inserted("db", "c", doc(1));
        assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("recorded, not yet committed").isNull();
        log.publish(log.lastRecorded());
        assertThat(events.poll(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void theSequenceAndClusterTimeContinueAfterReopeningTheStore() {
        EmbeddedChangeLog log = new EmbeddedChangeLog(store, clock);
        insert(log, 1);
        insert(log, 2);
        clock.now = clock.now.minusSeconds(100); // a clock that went back
        EmbeddedChangeLog reopened = new EmbeddedChangeLog(store, clock);
        reopened.inserted("db", "c", doc(3));
        assertThat(reopened.lastRecorded()).isEqualTo(3);
    }
}
