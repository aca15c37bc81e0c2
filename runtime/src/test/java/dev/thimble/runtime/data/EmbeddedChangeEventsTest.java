package dev.thimble.runtime.data;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.ChangeHistoryLostException;
import dev.thimble.runtime.changes.ChangeListener;
import dev.thimble.runtime.changes.Namespace;
import dev.thimble.runtime.changes.OperationType;
import dev.thimble.runtime.changes.Subscription;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Change events of the embedded database, produced from its write path, through the real driver. */
class EmbeddedChangeEventsTest {
    @TempDir
    Path temp;
    Database database;
    final List<Subscription> subscriptions = new ArrayList<>();

    @BeforeEach
    void open() {
        database = Database.open(DatabaseSettings.embedded(temp));
    }

    @AfterEach
    void close() {
        subscriptions.forEach(Subscription::close);
        if (database != null) {
            database.close();
        }
    }

    /** A listener that queues what it receives. */
    static final class Collector implements ChangeListener {
        final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<RuntimeException> errors = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(ChangeEvent event) {
            events.add(event);
        }

        @Override
        public void onError(RuntimeException error) {
            errors.add(error);
        }

        ChangeEvent next() throws InterruptedException {
            ChangeEvent event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).as("an event within 5 s").isNotNull();
            return event;
        }

        void assertNothingMore() throws InterruptedException {
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    Collector watch(ChangeFilter filter) {
        Collector collector = new Collector();
        subscriptions.add(database.changeEvents().subscribe(filter, collector));
        return collector;
    }

    static BsonDocument bson(String json) {
        return BsonDocument.parse(json);
    }

    @Test
    void insertUpdateReplaceAndDeleteGiveEventsInMongoDbsShape() throws Exception {
        Collector events = watch(ChangeFilter.collection("shop", "items"));
        MongoCollection<Document> items = database.database("shop").getCollection("items");

        items.insertOne(Document.parse("{_id: 1, name: 'apple', qty: 5, tags: ['red'], dims: {w: 1, h: 2}, note: 'x'}"));
        ChangeEvent insert = events.next();
        assertThat(insert.operationType()).isEqualTo(OperationType.INSERT);
        assertThat(insert.ns()).isEqualTo(new Namespace("shop", "items"));
        assertThat(insert.documentKey()).isEqualTo(bson("{_id: 1}"));
        assertThat(insert.fullDocument()).isEqualTo(bson("{_id: 1, name: 'apple', qty: 5, tags: ['red'], dims: {w: 1, h: 2}, note: 'x'}"));
        assertThat(insert.fullDocumentBeforeChange()).isNull();
        assertThat(insert.updateDescription()).isNull();
        assertThat(insert.id().getString("_data").getValue()).matches("[0-9A-F]{16}");

        items.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.set("qty", 6), Updates.set("dims.h", 3),
                Updates.unset("note"), Updates.push("tags", "fresh"), Updates.set("price", 1.5)));
        ChangeEvent update = events.next();
        assertThat(update.operationType()).isEqualTo(OperationType.UPDATE);
        assertThat(update.updateDescription().updatedFields())
                .isEqualTo(bson("{qty: 6, 'dims.h': 3, tags: ['red', 'fresh'], price: 1.5}"));
        assertThat(update.updateDescription().removedFields()).containsExactly("note");
        assertThat(update.updateDescription().truncatedArrays()).isEmpty();
        assertThat(update.fullDocument()).isEqualTo(bson("{_id: 1, name: 'apple', qty: 6, tags: ['red', 'fresh'], dims: {w: 1, h: 3}, price: 1.5}"));
        assertThat(update.fullDocumentBeforeChange()).isEqualTo(insert.fullDocument());

        items.replaceOne(Filters.eq("_id", 1), Document.parse("{name: 'pear'}"));
        ChangeEvent replace = events.next();
        assertThat(replace.operationType()).isEqualTo(OperationType.REPLACE);
        assertThat(replace.fullDocument()).isEqualTo(bson("{_id: 1, name: 'pear'}"));
        assertThat(replace.fullDocumentBeforeChange()).isEqualTo(update.fullDocument());
        assertThat(replace.updateDescription()).isNull();

        items.deleteOne(Filters.eq("_id", 1));
        ChangeEvent delete = events.next();
        assertThat(delete.operationType()).isEqualTo(OperationType.DELETE);
        assertThat(delete.documentKey()).isEqualTo(bson("{_id: 1}"));
        assertThat(delete.fullDocument()).isNull();
        assertThat(delete.fullDocumentBeforeChange()).isEqualTo(bson("{_id: 1, name: 'pear'}"));

        List<ChangeEvent> all = List.of(insert, update, replace, delete);
        assertThat(all).extracting(ChangeEvent::clusterTime).isSorted().doesNotHaveDuplicates();
        assertThat(all).extracting(ChangeEvent::resumeData).isSorted().doesNotHaveDuplicates();
        BsonDocument shape = update.toBsonDocument();
        assertThat(shape.keySet()).containsExactly("_id", "operationType", "clusterTime", "wallTime", "ns", "documentKey",
                "fullDocument", "fullDocumentBeforeChange", "updateDescription");
        assertThat(shape.getDocument("ns")).isEqualTo(bson("{db: 'shop', coll: 'items'}"));
        assertThat(shape.getDocument("updateDescription").keySet()).containsExactly("updatedFields", "removedFields", "truncatedArrays");
        events.assertNothingMore();
    }

    @Test
    void findAndModifyUpsertsManyAndBulkWritesEachGiveTheirOwnEvents() throws Exception {
        Collector events = watch(ChangeFilter.collection("shop", "items"));
        MongoCollection<Document> items = database.database("shop").getCollection("items");
        items.insertMany(List.of(Document.parse("{_id: 1, a: 1}"), Document.parse("{_id: 2, a: 1}"), Document.parse("{_id: 3, a: 9}")));
        assertThat(List.of(events.next(), events.next(), events.next())).extracting(ChangeEvent::operationType)
                .containsOnly(OperationType.INSERT);

        items.updateMany(Filters.eq("a", 1), Updates.inc("a", 1));
        ChangeEvent first = events.next();
        ChangeEvent second = events.next();
        assertThat(List.of(first.documentId(), second.documentId())).containsExactlyInAnyOrder(new BsonInt32(1), new BsonInt32(2));
        assertThat(first.updateDescription().updatedFields()).isEqualTo(bson("{a: 2}"));
        assertThat(first.fullDocumentBeforeChange().getInt32("a").getValue()).isEqualTo(1);

        items.updateOne(Filters.eq("_id", 3), Updates.set("a", 9)); // changes nothing: no event, as in MongoDB
        items.findOneAndUpdate(Filters.eq("_id", 3), Updates.set("b", true), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        ChangeEvent findAndUpdate = events.next();
        assertThat(findAndUpdate.operationType()).isEqualTo(OperationType.UPDATE);
        assertThat(findAndUpdate.updateDescription().updatedFields()).isEqualTo(bson("{b: true}"));
        assertThat(findAndUpdate.fullDocumentBeforeChange()).isEqualTo(bson("{_id: 3, a: 9}"));

        items.findOneAndReplace(Filters.eq("_id", 3), Document.parse("{c: 1}"));
        ChangeEvent findAndReplace = events.next();
        assertThat(findAndReplace.operationType()).isEqualTo(OperationType.REPLACE);
        assertThat(findAndReplace.fullDocument()).isEqualTo(bson("{_id: 3, c: 1}"));
        assertThat(findAndReplace.fullDocumentBeforeChange()).isEqualTo(bson("{_id: 3, a: 9, b: true}"));

        items.findOneAndDelete(Filters.eq("_id", 3));
        ChangeEvent findAndDelete = events.next();
        assertThat(findAndDelete.operationType()).isEqualTo(OperationType.DELETE);
        assertThat(findAndDelete.fullDocumentBeforeChange()).isEqualTo(bson("{_id: 3, c: 1}"));

        items.updateOne(Filters.eq("_id", 4), Updates.set("a", 4), new UpdateOptions().upsert(true));
        ChangeEvent upsert = events.next();
        assertThat(upsert.operationType()).isEqualTo(OperationType.INSERT);
        assertThat(upsert.fullDocument()).isEqualTo(bson("{_id: 4, a: 4}"));

        // One command, two statements; the second matches only what the first wrote: each gets its own images.
        items.bulkWrite(List.of(new UpdateOneModel<>(Filters.eq("_id", 4), Updates.set("a", 5)),
                new UpdateOneModel<>(Filters.eq("a", 5), Updates.set("z", "after"))));
        ChangeEvent bulk1 = events.next();
        ChangeEvent bulk2 = events.next();
        assertThat(bulk1.updateDescription().updatedFields()).isEqualTo(bson("{a: 5}"));
        assertThat(bulk2.fullDocumentBeforeChange()).isEqualTo(bson("{_id: 4, a: 5}"));
        assertThat(bulk2.updateDescription().updatedFields()).isEqualTo(bson("{z: 'after'}"));

        items.deleteMany(new Document());
        assertThat(List.of(events.next(), events.next(), events.next())).extracting(ChangeEvent::operationType)
                .containsOnly(OperationType.DELETE);
        events.assertNothingMore();
    }

    @Test
    void writesOfAnIndependentClientAppearAndFailedWritesDoNot() throws Exception {
        Collector events = watch(ChangeFilter.database("shop"));
        try (MongoClient other = MongoClients.create(database.connectionString())) {
            MongoCollection<Document> items = other.getDatabase("shop").getCollection("items");
            items.insertOne(new Document("_id", "k").append("v", 1));
            assertThatThrownBy(() -> items.insertOne(new Document("_id", "k").append("v", 2))).hasMessageContaining("E11000");
            other.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", "o"));
        }
        ChangeEvent insert = events.next();
        assertThat(insert.fullDocument()).isEqualTo(bson("{_id: 'k', v: 1}"));
        assertThat(events.next().ns()).isEqualTo(new Namespace("shop", "orders"));
        events.assertNothingMore();
    }

    @Test
    void internalDatabasesAndOtherNamespacesAreNotDelivered() throws Exception {
        Collector everything = watch(ChangeFilter.all());
        Collector itemsOnly = watch(ChangeFilter.collection("shop", "items"));
        database.database("__thimble_app").getCollection("users").insertOne(new Document("_id", 1));
        database.database("__thimble_scratch").getCollection("op_1_ab").insertOne(new Document("_id", 1));
        database.database("local").getCollection("things").insertOne(new Document("_id", 1));
        database.database("shop").getCollection("orders").insertOne(new Document("_id", 1));
        database.database("shop").getCollection("items").createIndex(new Document("name", 1));
        database.database("shop").getCollection("items").insertOne(new Document("_id", 2));

        assertThat(everything.next().ns()).isEqualTo(new Namespace("shop", "orders"));
        assertThat(everything.next().ns()).isEqualTo(new Namespace("shop", "items"));
        everything.assertNothingMore();
        assertThat(itemsOnly.next().documentId()).isEqualTo(new BsonInt32(2));
        itemsOnly.assertNothingMore();
    }

    @Test
    void aStoredResumeTokenResumesAfterTheDatabaseIsReopened() throws Exception {
        Collector events = watch(ChangeFilter.collection("shop", "items"));
        MongoCollection<Document> items = database.database("shop").getCollection("items");
        items.insertOne(new Document("_id", 1));
        BsonDocument stored = events.next().id();
        items.insertOne(new Document("_id", 2));
        items.updateOne(Filters.eq("_id", 2), Updates.set("x", 1));
        database.database("shop").getCollection("other").insertOne(new Document("_id", 3));
        events.next();
        events.next();
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        database.close();

        database = Database.open(DatabaseSettings.embedded(temp));
        Collector resumed = watch(ChangeFilter.collection("shop", "items").resumeAfter(stored));
        ChangeEvent second = resumed.next();
        assertThat(second.operationType()).isEqualTo(OperationType.INSERT);
        assertThat(second.documentId()).isEqualTo(new BsonInt32(2));
        ChangeEvent third = resumed.next();
        assertThat(third.operationType()).isEqualTo(OperationType.UPDATE);
        assertThat(third.fullDocumentBeforeChange()).isEqualTo(bson("{_id: 2}"));
        database.database("shop").getCollection("items").deleteOne(Filters.eq("_id", 1));
        ChangeEvent fourth = resumed.next();
        assertThat(fourth.operationType()).isEqualTo(OperationType.DELETE);
        assertThat(fourth.resumeData()).isGreaterThan(third.resumeData());
        assertThat(fourth.clusterTime()).isGreaterThan(third.clusterTime());
        resumed.assertNothingMore();

        assertThat(database.changeEvents().currentPosition()).isEqualTo(fourth.id());
        assertThatThrownBy(() -> database.changeEvents().subscribe(ChangeFilter.all().resumeAfter(bson("{_data: 'nope'}")), e -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a resume token");
        assertThatThrownBy(() -> database.changeEvents().subscribe(
                ChangeFilter.all().resumeAfter(new BsonDocument("_data", new BsonString("00000000000FFFFF"))), e -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another database");
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() throws Exception {
        Collector events = watch(ChangeFilter.collection("shop", "items"));
        MongoCollection<Document> items = database.database("shop").getCollection("items");
        items.insertOne(new Document("_id", 1));
        events.next();
        subscriptions.getFirst().close();
        assertThat(subscriptions.getFirst().isOpen()).isFalse();
        items.insertOne(new Document("_id", 2));
        events.assertNothingMore();
    }

    static long percentile(long[] values, double p) {
        long[] warm = Arrays.copyOfRange(values, 50, values.length);
        Arrays.sort(warm);
        return warm[(int) Math.min(warm.length - 1, warm.length * p)];
    }

    @Test
    void eventsArriveWithinMillisecondsOfTheWriteBeingAcknowledged() throws Exception {
        Collector events = watch(ChangeFilter.collection("bench", "latency"));
        MongoCollection<Document> coll = database.database("bench").getCollection("latency");
        int rounds = 300;
        long[] total = new long[rounds];
        long[] afterAck = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            coll.insertOne(new Document("_id", i).append("payload", "x".repeat(100)));
            long acknowledged = System.nanoTime();
            events.next();
            long received = System.nanoTime();
            total[i] = (received - start) / 1000;
            afterAck[i] = (received - acknowledged) / 1000;
        }
        long p50 = percentile(total, 0.5);
        System.out.printf("embedded change events: insert -> event received p50 %d us, p99 %d us;"
                        + " of which after the insert was acknowledged (commit + fsync done) p50 %d us, p99 %d us%n",
                p50, percentile(total, 0.99), percentile(afterAck, 0.5), percentile(afterAck, 0.99));
        assertThat(p50).isLessThan(50_000);
    }
}
