package dev.thimble.runtime.data;

import com.mongodb.client.model.Projections;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An acknowledged write is on disk: a child JVM writes, the test kills it with SIGKILL at an
 * arbitrary moment, and every id the child saw acknowledged must be there when the directory is
 * opened again. Several rounds on one directory, so recovery is followed by more writes.
 */
class KillDashNineTest {

    private static final int ROUNDS = 3;
    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path dataDirectory;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void acknowledgedWritesSurviveKillDashNine() throws Exception {
        acknowledgedWritesSurvive(1);
    }

    /** Sixteen writer threads: their writes share commits (group commit), and still none acknowledged is lost. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void acknowledgedConcurrentWritesThatShareCommitsSurviveKillDashNine() throws Exception {
        acknowledgedWritesSurvive(16);
    }

    private void acknowledgedWritesSurvive(int threads) throws Exception {
        Set<Long> acknowledged = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            acknowledged.addAll(writeUntilKilled(round * 10_000_000L, threads));

            try (Database database = Database.open(DatabaseSettings.embedded(dataDirectory))) {
                Set<Long> stored = new HashSet<>();
                database.database("durability").getCollection("writes").find().projection(Projections.include("_id"))
                        .forEach(document -> stored.add(document.getLong("_id")));
                Set<Long> lost = new HashSet<>(acknowledged);
                lost.removeAll(stored);
                assertThat(lost).as("acknowledged writes lost after kill -9 in round %d (of %d acknowledged)",
                        round + 1, acknowledged.size()).isEmpty();
            }
        }
    }

    /** Starts the writer, reads its acknowledgements, kills it with SIGKILL, returns what it acknowledged. */
    private List<Long> writeUntilKilled(long firstId, int threads) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                KillDashNineWriter.class.getName(), dataDirectory.toString(), Long.toString(firstId), Integer.toString(threads))
                .redirectErrorStream(true)
                .start();
        long started = System.nanoTime();
        long ready = 0;
        List<Long> acks = new ArrayList<>();
        List<String> otherOutput = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acks.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.equals("READY")) {
                    ready = System.nanoTime();
                } else if (line.startsWith("ACK ")) {
                    acks.add(Long.parseLong(line.substring(4)));
                } else if (otherOutput.size() < 50) {
                    otherOutput.add(line);
                }
            }
            writer.destroyForcibly(); // SIGKILL on Unix
            writer.waitFor(10, TimeUnit.SECONDS);
            System.out.printf("writer from %d: ready after %d ms, %d acks in %d ms, then killed%n", firstId,
                    (ready - started) / 1_000_000, acks.size(), (System.nanoTime() - ready) / 1_000_000);
        } finally {
            writer.destroyForcibly();
        }
        assertThat(acks).as("acknowledgements before the writer stopped; its other output: %s", otherOutput)
                .hasSize(ACKS_BEFORE_KILL);
        return acks;
    }
}
