package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent writers share commits (decision 0002, issue 18): sixteen clients inserting at once need
 * fewer commit + fsync rounds than they make writes, and every acknowledged write is there after the
 * database is closed and opened again. (That a shared commit survives kill -9 is KillDashNineTest's.)
 */
class GroupCommitTest {
    private static final int WRITERS = 16;
    private static final int WRITES_EACH = 40;

    @TempDir
    Path directory;

    @Test
    void sixteenConcurrentWritersShareCommitsAndEveryAcknowledgedWriteIsStored() throws Exception {
        Set<Long> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long commits;
        try (Database database = Database.open(DatabaseSettings.embedded(directory))) {
            EmbeddedDatabase embedded = (EmbeddedDatabase) database;
            MongoCollection<Document> writes = database.database("group").getCollection("writes");
            writes.insertOne(new Document("_id", -1L)); // creates the collection before the writers race
            long before = embedded.writerCommits();
            CyclicBarrier start = new CyclicBarrier(WRITERS);
            try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < WRITERS; t++) {
                    long first = t * 1_000L;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (long id = first; id < first + WRITES_EACH; id++) {
                            writes.insertOne(new Document("_id", id).append("payload", "x".repeat(100)));
                            acknowledged.add(id);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            commits = embedded.writerCommits() - before;
        }
        assertThat(acknowledged).hasSize(WRITERS * WRITES_EACH);
        assertThat(commits).as("commit + fsync rounds for %d concurrent writes", acknowledged.size())
                .isPositive().isLessThan(acknowledged.size());
        try (Database reopened = Database.open(DatabaseSettings.embedded(directory))) {
            Set<Long> stored = new HashSet<>();
            reopened.database("group").getCollection("writes").find().forEach(d -> stored.add(((Number) d.get("_id")).longValue()));
            assertThat(stored).containsAll(acknowledged);
        }
    }
}
