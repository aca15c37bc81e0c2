package dev.thimble.runtime.data;

import com.mongodb.client.model.Projections;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.OperationType;
import dev.thimble.runtime.changes.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event is committed with its write: a child JVM inserts until it is killed with SIGKILL; after
 * each kill, the reopened log holds exactly one insert event for every stored document (so for
 * every acknowledged write) and none for a write that did not survive.
 */
class ChangeEventsKillDashNineTest {
    private static final int ROUNDS = 2;
    private static final int ACKS_BEFORE_KILL = 200;

    @TempDir
    Path dataDirectory;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyStoredWriteHasExactlyOneEventAfterKillDashNine() throws Exception {
        Set<Long> acknowledged = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            acknowledged.addAll(writeUntilKilled(round * 1_000_000L));
            try (Database database = Database.open(DatabaseSettings.embedded(dataDirectory))) {
                Set<Long> stored = new HashSet<>();
                database.database("durability").getCollection("writes").find().projection(Projections.include("_id"))
                        .forEach(document -> stored.add(document.getLong("_id")));
                assertThat(stored).containsAll(acknowledged);

                ConcurrentLinkedQueue<ChangeEvent> events = new ConcurrentLinkedQueue<>();
                try (Subscription all = database.changeEvents().subscribe(
                        ChangeFilter.collection("durability", "writes").resumeAfter(EmbeddedChangeLog.token(0)), events::add)) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (events.size() < stored.size() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(200); // anything beyond the stored documents would show up now
                    assertThat(all.isOpen()).isTrue();
                }
                List<Long> eventIds = events.stream()
                        .peek(event -> assertThat(event.operationType()).isEqualTo(OperationType.INSERT))
                        .map(event -> event.documentId().asInt64().getValue()).toList();
                Set<Long> distinct = new HashSet<>(eventIds);
                System.out.printf("round %d: %d acknowledged, %d stored, %d events, %d duplicates%n", round + 1,
                        acknowledged.size(), stored.size(), eventIds.size(), eventIds.size() - distinct.size());
                assertThat(eventIds).as("one event per stored write, no duplicates").hasSameSizeAs(distinct);
                assertThat(distinct).as("events of round %d", round + 1).isEqualTo(stored);
            }
        }
    }

    private List<Long> writeUntilKilled(long firstId) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                KillDashNineWriter.class.getName(), dataDirectory.toString(), Long.toString(firstId))
                .redirectErrorStream(true)
                .start();
        List<Long> acks = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acks.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acks.add(Long.parseLong(line.substring(4)));
                }
            }
            writer.destroyForcibly(); // SIGKILL on Unix
            writer.waitFor(10, TimeUnit.SECONDS);
        } finally {
            writer.destroyForcibly();
        }
        assertThat(acks).hasSize(ACKS_BEFORE_KILL);
        return acks;
    }
}
