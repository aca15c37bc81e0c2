package dev.thimble.runtime.triggers;

import dev.thimble.testing.Eventually;
import com.mongodb.client.model.Projections;
import dev.thimble.runtime.AppHost;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host is killed with SIGKILL in the middle of a burst of 1,000 inserts while its ordered trigger is
 * behind; after a restart the trigger has run for every stored insert (none lost), and at most once
 * more for the event that was in flight (duplicates counted and reported).
 */
class TriggerKillDashNineTest {
    private static final int ROUNDS = 2;
    private static final int BURST = 1000;
    private static final int ACKS_BEFORE_KILL = 400;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void killDashNineInABurstLosesNoTriggerEvent() throws Exception {
        Path app = temp.resolve("app");
        Path data = temp.resolve("data");
        TriggerBundle.in(app)
                .function("copy", "exports = async function(event) {\n"
                        + "  await context.services.get('mongodb-atlas').db('sink').collection('burst').insertOne({src: event.fullDocument._id});\n};")
                .databaseTrigger("copier", "shop", "burst", "[\"INSERT\"]", "", "copy");
        Set<Long> acknowledged = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            acknowledged.addAll(burstUntilKilled(app, data, round * 1_000_000L));
            try (var database = dev.thimble.runtime.data.Database.open(dev.thimble.runtime.data.DatabaseSettings.embedded(data))) {
                System.out.printf("after kill %d: %d inserts stored, %d handled by the trigger so far%n", round + 1,
                        database.database("shop").getCollection("burst").countDocuments(),
                        database.database("sink").getCollection("burst").countDocuments());
            }
        }
        try (AppHost host = TriggerBundle.serve(TriggerBundle.in(app).read(), data, TriggerBundle.quick())) {
            Set<Long> stored = new HashSet<>();
            host.database().database("shop").getCollection("burst").find().projection(Projections.include("_id"))
                    .forEach(d -> stored.add(d.getLong("_id")));
            assertThat(stored).containsAll(acknowledged);
            Eventually.await("a run for every stored insert", Duration.ofSeconds(120),
                    () -> copies(host).keySet().containsAll(stored));
            Thread.sleep(500); // anything more would arrive now
            Map<Long, Integer> copies = copies(host);
            long duplicates = copies.values().stream().mapToLong(n -> n - 1).sum();
            System.out.printf("kill -9 x%d: %d acknowledged, %d stored, %d handled, %d duplicate runs%n",
                    ROUNDS, acknowledged.size(), stored.size(), copies.size(), duplicates);
            assertThat(copies.keySet()).as("runs only for stored inserts").isEqualTo(stored);
            assertThat(duplicates).as("at most the event in flight at each kill runs again").isLessThanOrEqualTo(ROUNDS);
        }
    }

    private static Map<Long, Integer> copies(AppHost host) {
        Map<Long, Integer> counts = new HashMap<>();
        host.database().database("sink").getCollection("burst").find()
                .forEach((Document d) -> counts.merge(d.getLong("src"), 1, Integer::sum));
        return counts;
    }

    private List<Long> burstUntilKilled(Path app, Path data, long first) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                KillDashNineTriggerHost.class.getName(), app.toString(), data.toString(), Long.toString(first), Integer.toString(BURST))
                .redirectErrorStream(true).start();
        List<Long> acks = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acks.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acks.add(Long.parseLong(line.substring(4)));
                }
            }
            child.destroyForcibly(); // SIGKILL
            child.waitFor(10, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
        }
        assertThat(acks).hasSize(ACKS_BEFORE_KILL);
        return acks;
    }
}
