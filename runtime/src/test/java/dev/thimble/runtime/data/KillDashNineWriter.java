package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.nio.file.Path;

/**
 * Child process for {@link KillDashNineTest}: opens the embedded database on a directory and inserts
 * documents one at a time, forever, printing {@code ACK <id>} after each acknowledged insert.
 * Arguments: the data directory, the first id and, optionally, how many writer threads (default 1);
 * with several, thread t writes ids from first + t × 100,000, so their writes share commits.
 */
public final class KillDashNineWriter {

    private KillDashNineWriter() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        long id = Long.parseLong(args[1]);
        Database database = Database.open(DatabaseSettings.embedded(directory));
        MongoCollection<Document> writes = database.database("durability").getCollection("writes");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        System.out.println("READY");
        System.out.flush();
        for (int t = 1; t < threads; t++) {
            long first = id + t * 100_000L;
            Thread.ofPlatform().start(() -> write(writes, first));
        }
        write(writes, id);
    }

    private static void write(MongoCollection<Document> writes, long first) {
        for (long id = first; ; id++) {
            writes.insertOne(new Document("_id", id).append("payload", "x".repeat(100)));
            synchronized (System.out) {
                System.out.println("ACK " + id);
                System.out.flush();
                if (System.out.checkError()) {
                    System.exit(1); // nobody is reading any more: do not outlive the test
                }
            }
        }
    }
}
