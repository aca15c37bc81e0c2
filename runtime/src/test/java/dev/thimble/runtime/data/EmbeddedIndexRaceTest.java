package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Indexes created and dropped while other clients query and write the same collection. The library keeps a
 * collection's indexes in a plain list that its queries, counts and writes iterate while {@code createIndex} and
 * {@code dropIndex} change it without a lock: a query then failed with a {@code ConcurrentModificationException},
 * which the client saw as "Unknown error: null" (found by CI in the log store). Every query must answer, every
 * write must land, and the indexes must still name every document afterwards.
 */
class EmbeddedIndexRaceTest {
    private static final String DB = "app";

    @TempDir
    Path temp;

    @Test
    void queriesCountsAggregationsAndWritesAnswerWhileIndexesAreCreatedAndDropped() throws Exception {
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            List<Document> seed = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                seed.add(new Document("_id", i).append("owner", "o" + (i % 7)).append("n", i).append("tag", "t" + (i % 3)));
            }
            items.insertMany(seed);

            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger answers = new AtomicInteger();
            AtomicInteger inserted = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(4);
            threads.add(worker(stop, failures, started, () -> {
                assertThat(items.find(Filters.eq("owner", "o3")).into(new ArrayList<>())).hasSizeGreaterThanOrEqualTo(57);
                answers.incrementAndGet();
            }));
            threads.add(worker(stop, failures, started, () -> {
                assertThat(items.countDocuments(Filters.gte("n", 100))).isGreaterThanOrEqualTo(300);
                assertThat(items.find().sort(Sorts.descending("n")).limit(5).into(new ArrayList<>())).hasSize(5);
                answers.incrementAndGet();
            }));
            threads.add(worker(stop, failures, started, () -> {
                assertThat(items.aggregate(List.of(Aggregates.match(Filters.eq("tag", "t1")), Aggregates.limit(10)))
                        .into(new ArrayList<>())).hasSize(10);
                answers.incrementAndGet();
            }));
            threads.add(worker(stop, failures, started, () -> {
                int n = 1_000 + inserted.getAndIncrement();
                items.insertOne(new Document("_id", n).append("owner", "o" + (n % 7)).append("n", n).append("tag", "t" + (n % 3)));
                items.updateOne(Filters.eq("_id", n), new Document("$set", new Document("touched", true)));
            }));
            threads.forEach(Thread::start);
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

            // The creator: ordered field indexes, a unique index (the library fills it itself) and a compound one,
            // created and dropped again and again while the others run.
            for (int round = 0; round < 40 && failures.isEmpty(); round++) {
                items.createIndex(Indexes.ascending("owner"));
                items.createIndex(Indexes.descending("n"));
                items.createIndex(Indexes.ascending("n", "owner"), new IndexOptions().unique(true).name("n_owner_unique"));
                items.createIndex(Indexes.ascending("tag", "n"));
                if (round % 2 == 0) {
                    items.dropIndex(Indexes.ascending("owner"));
                    items.dropIndex("n_owner_unique");
                    items.dropIndex(Indexes.ascending("tag", "n"));
                }
                items.dropIndex(Indexes.descending("n"));
            }
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(2));
            }
            assertThat(failures).as("errors while indexes changed").isEmpty();
            assertThat(answers.get()).as("queries answered").isPositive();

            // afterwards the indexes name every document: an indexed query answers as a scan does
            items.createIndex(Indexes.ascending("owner"));
            int total = 400 + inserted.get();
            assertThat(items.countDocuments()).isEqualTo(total);
            long owners = 0;
            for (int o = 0; o < 7; o++) {
                owners += items.find(Filters.eq("owner", "o" + o)).into(new ArrayList<>()).size();
            }
            assertThat(owners).isEqualTo(total);
            assertThat(items.find(Filters.eq("touched", true)).into(new ArrayList<>())).hasSize(inserted.get());
        }
    }

    /**
     * Point reads by {@code _id} (a function's {@code findOne}, with the rules' owner filter joined) while one writer
     * changes two fields of the same documents together and indexes come and go: every read answers a whole document,
     * both fields equal, never an error. The library applies an update to the stored document instance under the
     * collection's monitor, so a read taken without that monitor could see half of it (decision 0073: why a point read
     * keeps the lock).
     */
    @Test
    void pointReadsByIdAnswerWholeDocumentsWhileTheDocumentChangesAndIndexesComeAndGo() throws Exception {
        try (EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = database.client().getDatabase(DB).getCollection("items");
            List<Document> seed = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                seed.add(new Document("_id", i).append("owner", "o" + (i % 7)).append("a", 0).append("b", 0));
            }
            items.insertMany(seed);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger reads = new AtomicInteger();
            AtomicInteger writes = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(3);
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                threads.add(worker(stop, failures, started, () -> {
                    int id = reads.getAndIncrement() % 300;
                    Document found = items.find(Filters.and(Filters.eq("_id", id), Filters.eq("owner", "o" + (id % 7)))).first();
                    assertThat(found).as("document %d", id).isNotNull();
                    assertThat(found.get("a")).as("document %d read whole", id).isEqualTo(found.get("b"));
                }));
            }
            threads.add(worker(stop, failures, started, () -> {
                int n = writes.incrementAndGet();
                items.updateOne(Filters.eq("_id", n % 300), new Document("$set", new Document("a", n).append("b", n)));
            }));
            threads.forEach(Thread::start);
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            for (int round = 0; round < 20 && failures.isEmpty(); round++) {
                items.createIndex(Indexes.ascending("owner"));
                items.createIndex(Indexes.ascending("_id", "owner"), new IndexOptions().unique(true).name("id_owner_unique"));
                items.dropIndex(Indexes.ascending("owner"));
                items.dropIndex("id_owner_unique");
            }
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(2));
            }
            assertThat(failures).as("errors or torn documents while the documents and indexes changed").isEmpty();
            assertThat(reads.get()).as("point reads answered").isPositive();
            assertThat(writes.get()).as("updates made").isPositive();
        }
    }

    private static Thread worker(AtomicBoolean stop, ConcurrentLinkedQueue<Throwable> failures, CountDownLatch started,
                                 ThrowingRunnable step) {
        return Thread.ofPlatform().daemon(true).unstarted(() -> {
            started.countDown();
            while (!stop.get() && failures.isEmpty()) {
                try {
                    step.run();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }
        });
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
