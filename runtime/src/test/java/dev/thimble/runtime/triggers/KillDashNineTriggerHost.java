package dev.thimble.runtime.triggers;

import dev.thimble.testing.Eventually;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import org.bson.Document;

import java.nio.file.Path;

/**
 * The child JVM of {@link TriggerKillDashNineTest}: serves the app on the data directory (its trigger
 * resumes), writes a burst of inserts printing {@code ACK <id>} after each acknowledged one, then waits
 * to be killed.
 */
public final class KillDashNineTriggerHost {
    private KillDashNineTriggerHost() {
    }

    public static void main(String[] args) throws Exception {
        Path app = Path.of(args[0]);
        Path data = Path.of(args[1]);
        long first = Long.parseLong(args[2]);
        int count = Integer.parseInt(args[3]);
        AppHost host = TriggerBundle.serve(AppBundles.read(app).app(), data, TriggerBundle.quick());
        // the previous, killed process still holds the lease until it expires: start writing once the trigger runs here
        Eventually.await("the trigger's lease", java.time.Duration.ofSeconds(30), () -> host.triggers().runningHere().contains("copier"));
        var burst = host.database().database("shop").getCollection("burst");
        System.out.println("READY");
        System.out.flush();
        for (long id = first; id < first + count; id++) {
            burst.insertOne(new Document("_id", id));
            System.out.println("ACK " + id);
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
