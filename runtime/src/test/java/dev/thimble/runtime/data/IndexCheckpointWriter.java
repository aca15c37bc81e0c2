package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;

import java.nio.file.Path;
import java.util.Date;
import java.util.List;

/**
 * Child process for {@link IndexCheckpointKillDashNineTest}: opens the database (whose indexes were snapshotted at a clean
 * close), with journals limited to 500 entries for its 2,000 documents, and updates 600 distinct documents of the indexed
 * collection and its unindexed twin: past half the limit twice, and past the limit itself. Prints {@code CHECKPOINTS n}
 * once every update is acknowledged and the checkpoints are done, then waits to be killed.
 */
public final class IndexCheckpointWriter {
    static final long T0 = 1_700_000_000_000L;

    private IndexCheckpointWriter() {
    }

    public static void main(String[] args) throws Exception {
        FieldIndexJournal.minimumLimit = 200; // the limit is then 2,000 / 4 = 500 entries, a checkpoint asked for at 250
        EmbeddedDatabase database = (EmbeddedDatabase) Database.open(DatabaseSettings.embedded(Path.of(args[0])));
        System.out.println("READY");
        System.out.flush();
        update(database, 0, 300);
        awaitCheckpoints(database, 1);
        update(database, 300, 600);
        awaitCheckpoints(database, 2);
        System.out.println("CHECKPOINTS " + database.indexCheckpoints());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // killed here, with SIGKILL
    }

    /** Updates documents {@code from} to {@code to} (exclusive) on both collections, one acknowledged write each. */
    private static void update(EmbeddedDatabase database, int from, int to) {
        for (String name : List.of("indexed", "plain")) {
            MongoCollection<Document> c = database.client().getDatabase("app").getCollection(name);
            for (int i = from; i < to; i++) {
                c.updateOne(Filters.eq("_id", i), Updates.combine(Updates.set("owner", "o" + (i % 7)),
                        Updates.set("at", new Date(T0 + 5_000_000L + i * 1_000L))));
            }
        }
    }

    private static void awaitCheckpoints(EmbeddedDatabase database, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (database.indexCheckpoints() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
