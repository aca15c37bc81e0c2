package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.nio.file.Path;

/**
 * Child process for {@link KillDashNineTest}: opens the embedded database on a directory and inserts
 * documents one at a time, forever, printing {@code ACK <id>} after each acknowledged insert.
 * Arguments: the data directory and the first id.
 */
public final class KillDashNineWriter {

    private KillDashNineWriter() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        long id = Long.parseLong(args[1]);
        Database database = Database.open(DatabaseSettings.embedded(directory));
        MongoCollection<Document> writes = database.database("durability").getCollection("writes");
        System.out.println("READY");
        System.out.flush();
        while (true) {
            writes.insertOne(new Document("_id", id).append("payload", "x".repeat(100)));
            System.out.println("ACK " + id);
            System.out.flush();
            if (System.out.checkError()) {
                System.exit(1); // nobody is reading any more: do not outlive the test
            }
            id++;
        }
    }
}
