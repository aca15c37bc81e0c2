package dev.thimble.bench;

import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.Subscription;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.triggers.TriggerSettings;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Issue 5's benchmark: insert → database-trigger function start on the embedded database, against
 * the baseline insert → the raw change-event listener being called, for the same inserts in the same
 * run; on a fresh database and on one with 20,000 events written before (the log keeps its newest
 * 10,000). Inserts are sequential: each waits for both signals before the next.
 */
public final class TriggerLatencyBench {
    static final int PER_ROUND = Integer.getInteger("bench.triggerInserts", 200);
    static final int PREFILL = Integer.getInteger("bench.prefillEvents", 20_000);
    static final long GAP_MILLIS = Long.getLong("bench.triggerGapMillis", 25);

    /** One host with its trigger and its raw listener, both fed by the same inserts. */
    private static final class Rig implements AutoCloseable {
        final String label;
        final AppHost host;
        final MongoCollection<Document> items;
        final Semaphore triggerStarts = new Semaphore(0);
        final Semaphore rawCalls = new Semaphore(0);
        final Subscription raw;
        volatile long triggerAt;
        volatile long rawAt;
        long next;

        Rig(String label, Path scratch, AppModel app) throws Exception {
            this.label = label;
            Files.createDirectories(scratch);
            host = AppHost.start(app, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(scratch.resolve("db")),
                    new SecretStore(scratch.resolve("secrets.json"))), TriggerSettings.defaults());
            items = host.database().database("bench").getCollection("items");
            host.triggers().onRunStart(name -> {
                triggerAt = System.nanoTime();
                triggerStarts.release();
            });
            raw = host.database().changeEvents().subscribe(ChangeFilter.collection("bench", "items"), event -> {
                rawAt = System.nanoTime();
                rawCalls.release();
            });
        }

        void prefill(int events) {
            MongoCollection<Document> other = host.database().database("bench").getCollection("filler");
            for (int done = 0; done < events; done += 1000) {
                List<Document> batch = new ArrayList<>();
                for (int i = 0; i < Math.min(1000, events - done); i++) {
                    batch.add(new Document("i", done + i));
                }
                other.insertMany(batch);
            }
        }

        /**
         * n sequential inserts, each after both signals of the previous one and a pause of {@code gapMillis}
         * (0: back to back, so the ordered trigger may still be storing the previous position):
         * [trigger latencies µs, raw latencies µs, elapsed ns].
         */
        double[][] measure(int n, long gapMillis) throws InterruptedException {
            double[] trigger = new double[n];
            double[] direct = new double[n];
            long began = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                items.insertOne(new Document("_id", next++));
                Common.check(rawCalls.tryAcquire(10, TimeUnit.SECONDS), "raw listener not called");
                Common.check(triggerStarts.tryAcquire(10, TimeUnit.SECONDS), "trigger function not started");
                trigger[i] = (triggerAt - t0) / 1000.0;
                direct[i] = (rawAt - t0) / 1000.0;
                if (gapMillis > 0) {
                    Thread.sleep(gapMillis);
                }
            }
            return new double[][]{trigger, direct, {System.nanoTime() - began}};
        }

        @Override
        public void close() {
            raw.close();
            host.close();
        }
    }

    public static void main(String[] args) throws Exception {
        Path scratch = Files.createTempDirectory("thimble-trigger-bench");
        Report report = new Report("triggers", "insert → trigger function start vs insert → raw change listener (embedded database)");
        AppModel app = appWithTrigger();
        try (Rig fresh = new Rig("0 events before", scratch.resolve("fresh"), app);
             Rig full = new Rig(PREFILL + " events before", scratch.resolve("full"), app)) {
            System.err.println("Prefilling " + PREFILL + " events…");
            full.prefill(PREFILL);
            System.err.println("Warm-up…");
            fresh.measure(PER_ROUND, 0);
            full.measure(PER_ROUND, 0);
            for (int round = 1; round <= Common.ROUNDS; round++) {
                System.err.println("Round " + round + "/" + Common.ROUNDS);
                for (Rig rig : List.of(fresh, full)) {
                    for (long gap : new long[]{GAP_MILLIS, 0}) {
                        double[][] r = rig.measure(PER_ROUND, gap);
                        report.add("trigger start, " + mode(gap) + ", " + rig.label, 1, sample(r[0], r[2][0]));
                        report.add("raw listener, " + mode(gap) + ", " + rig.label, 1, sample(r[1], r[2][0]));
                    }
                }
            }
            for (long gap : new long[]{GAP_MILLIS, 0}) {
                for (Rig rig : List.of(fresh, full)) {
                    String suffix = mode(gap) + ", " + rig.label;
                    report.describe("trigger start, " + suffix, "insertOne → the trigger layer hands the event to the function"
                            + " engine (TriggerService.onRunStart: after the subscription, operation type, event shaping and match;"
                            + " before the GraalJS context is created)");
                    report.describe("raw listener, " + suffix, "insertOne → a ChangeListener subscribed to the same collection is called");
                    report.ratio("trigger start / raw listener, " + suffix, "trigger start, " + suffix, "raw listener, " + suffix, 1);
                }
                report.ratio("trigger start, " + mode(gap) + ": " + PREFILL + " events before / 0 before",
                        "trigger start, " + mode(gap) + ", " + full.label, "trigger start, " + mode(gap) + ", " + fresh.label, 1);
            }
            report.note("Each round: per database, " + PER_ROUND + " sequential inserts \"idle\" (each waits until both the trigger"
                    + " and the raw listener have seen the previous one, then " + GAP_MILLIS + " ms, so the trigger has finished its run"
                    + " and stored its position) and " + PER_ROUND + " \"back to back\" (no pause: the ordered trigger may still be"
                    + " running the previous event or storing its position). A warm-up round first. Both databases in one JVM,"
                    + " cases interleaved within each round.");
            report.note("The event log keeps its newest 10,000 events (EmbeddedChangeLog.DEFAULT_MAX_EVENTS): after " + PREFILL
                    + " prefilled events it holds 10,000. The fresh database's log grows by the measured inserts (up to "
                    + PER_ROUND * (Common.ROUNDS + 1) + ").");
            report.note("The trigger is ordered with a no-op function; after each run it stores its position (one write + commit to"
                    + " the state database), which the next insert may queue behind. The throughput column is inserts per second of"
                    + " this sequential loop, not a capacity.");
        } finally {
            Common.deleteTree(scratch);
        }
        report.write(Common.RESULTS, Common.COMMAND);
    }

    static String mode(long gap) {
        return gap > 0 ? "idle" : "back to back";
    }

    static Load.Sample sample(double[] micros, double elapsedNanos) {
        double[] sorted = micros.clone();
        Arrays.sort(sorted);
        long[] asLong = Arrays.stream(sorted).mapToLong(d -> Math.round(d * 1000)).toArray();
        return new Load.Sample(micros.length, 0, Load.percentile(asLong, 0.50) / 1000.0, Load.percentile(asLong, 0.99) / 1000.0,
                micros.length / (elapsedNanos / 1e9));
    }

    /** The example app without its own triggers, plus one ordered trigger on bench.items running a no-op. */
    static AppModel appWithTrigger() {
        AppModel m = AppBundles.read(Common.EXAMPLE).app();
        List<FunctionDef> functions = new ArrayList<>(m.functions());
        functions.add(new FunctionDef(Json.parse("{\"name\": \"benchNoop\", \"private\": true}"), "exports = function(event) { };"));
        TriggerDef trigger = new TriggerDef(Json.parse("{\"name\": \"benchTrigger\", \"type\": \"DATABASE\", \"function_name\": \"benchNoop\","
                + " \"config\": {\"service_name\": \"mongodb-atlas\", \"database\": \"bench\", \"collection\": \"items\","
                + " \"operation_types\": [\"INSERT\"]}}"));
        return new AppModel(m.metadata(), m.authProviders(), functions, m.services(), List.of(trigger), m.values(),
                m.secretNames(), m.environments(), m.endpoints(), m.otherFiles());
    }
}
