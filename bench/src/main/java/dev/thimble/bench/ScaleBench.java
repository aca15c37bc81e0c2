package dev.thimble.bench;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import org.bson.Document;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * Issue 18, item 5: costs as data grows, each at two sizes in one run — the SDK's {@code find} under the
 * example app's owner rule and filter with an index on {@code owner_id} (the caller owns {@link #OWN} of the
 * documents, other owners the rest), and a filtered query of the log store (what the logs panel runs).
 * Sizes: {@code -Dbench.scaleSmall} (10,000) and {@code -Dbench.scaleLarge} (100,000).
 */
public final class ScaleBench {
    static final int SMALL = Integer.getInteger("bench.scaleSmall", 10_000);
    static final int LARGE = Integer.getInteger("bench.scaleLarge", 100_000);
    static final int OWN = 50;
    static final int CALLS = Integer.getInteger("bench.scaleCalls", 30);

    /** {@code -Dbench.scaleLogs=false} measures the find only (the log store's seeding is the slow part). */
    static final boolean LOGS = Boolean.parseBoolean(System.getProperty("bench.scaleLogs", "true"));

    public static void main(String[] args) throws Exception {
        Report report = new Report("scale", "Costs as data grows: find under the owner rule, filtered log queries");
        report.note("Each size runs on a fresh host and embedded database in the same JVM, one after the other. Documents: "
                + "~120 bytes, owner_id one of " + OWN + " for the caller and otherwise spread over 1,000 other owners. Log records: FUNCTION "
                + "records of 10 function names, 100 of them of the function `needle`, 1 s apart.");
        report.note("Not measured here (issue 18, item 5): 1,000,000 documents/records (seeding through durable commits takes too long "
                + "on the shared machine today: the large size is " + LARGE + "), apps with 10 vs 500 functions, 10 vs 1,000 watch streams.");
        double[] find = {Double.NaN, Double.NaN};
        double[] logs = {Double.NaN, Double.NaN};
        double[] newest = {Double.NaN, Double.NaN};
        int[] sizes = {SMALL, LARGE};
        for (int s = 0; s < 2; s++) {
            Path scratch = Files.createTempDirectory("thimble-bench-scale");
            AppModel model = Common.exampleApp(fs -> fs);
            try (AppHost host = Common.start(model, scratch)) {
                AuthService.LoginResult login = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
                seedItems(host, login.userId(), sizes[s]);
                HttpClient http = Common.httpClient();
                HttpRequest findMine = Common.call(host.clientApiUrl(), login.accessToken(),
                        "{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\",\"query\":{}}]}");
                String body = Common.send(http, findMine).body();
                Common.check(body.split("owner_id").length - 1 == OWN, "find must answer the caller's " + OWN + " items: " + body.length());
                find[s] = p50(() -> Common.check(Common.send(http, findMine).statusCode() == 200, "find"));
                report.single("find under the owner rule, " + sizes[s] + " documents",
                        "SDK find({}) on todo.items as a user owning " + OWN + " of them (the owner rule's filter), index on owner_id", samples(() -> Common.send(http, findMine)));

                // written after each size: a run stopped during the large size still leaves the small one's numbers
                writeSoFar(report, find, logs, newest);
                if (!LOGS) {
                    continue;
                }
                seedLogs(host, sizes[s]);
                LogQuery needle = LogQuery.all().withFunctionName("needle");
                Common.check(host.logs().query(needle).records().size() == 100, "log query must find the 100 needle records");
                logs[s] = p50(() -> host.logs().query(needle));
                newest[s] = p50(() -> host.logs().query(LogQuery.all()));
                writeSoFar(report, find, logs, newest);
            } finally {
                Common.deleteTree(scratch);
            }
        }
    }

    private static void writeSoFar(Report report, double[] find, double[] logs, double[] newest) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("measurement", SMALL + " p50 µs", LARGE + " p50 µs", "growth (large / small)", "size ratio"));
        rows.add(row("SDK find under the owner rule (" + OWN + " own documents, index on owner_id)", find));
        rows.add(row("log store: records of one function (100 of them, newest first)", logs));
        rows.add(row("log store: newest 100 records, no filter", newest));
        if (!LOGS) {
            rows.removeIf(row -> row.getFirst().startsWith("log store"));
        }
        report.table("Growth (each p50 over " + CALLS + " sequential calls after 5 warm-up calls)", rows);
        report.write(Common.RESULTS, Common.COMMAND);
    }

    private static List<String> row(String label, double[] p50) {
        return List.of(label, fmt(p50[0]), fmt(p50[1]), fmt(p50[1] / p50[0]) + "×", fmt((double) LARGE / SMALL) + "×");
    }

    interface Call {
        void run() throws Exception;
    }

    private static double[] samples(Call call) throws Exception {
        for (int i = 0; i < 5; i++) {
            call.run();
        }
        double[] micros = new double[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long t0 = System.nanoTime();
            call.run();
            micros[i] = (System.nanoTime() - t0) / 1e3;
        }
        return micros;
    }

    private static double p50(Call call) throws Exception {
        double[] m = samples(call);
        Arrays.sort(m);
        return m[m.length / 2];
    }

    private static void seedItems(AppHost host, String owner, int n) {
        MongoCollection<Document> items = host.database().database("todo").getCollection("items");
        items.createIndex(Indexes.ascending("owner_id"));
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String who = i % (n / OWN) == 0 ? owner : "owner-" + (i % 1000);
            batch.add(new Document("owner_id", who).append("text", "item " + i).append("done", i % 3 == 0).append("created", new Date()));
            if (batch.size() == 5000) {
                items.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            items.insertMany(batch);
        }
    }

    private static void seedLogs(AppHost host, int n) {
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-n));
        int needleEvery = n / 100;
        for (int i = 0; i < n; i++) {
            Clock at = Clock.offset(clock, Duration.ofSeconds(i));
            String name = i % needleEvery == 0 ? "needle" : "fn" + (i % 10);
            host.logs().append(LogRecord.start(LogType.FUNCTION, at).function(name, "id-" + name).userId("user-" + (i % 100)).finish());
            if (i % 2000 == 1999) {
                Common.check(host.logs().flush(Duration.ofMinutes(2)), "log flush");
            }
        }
        Common.check(host.logs().flush(Duration.ofMinutes(2)), "log flush");
    }

    private static String fmt(double d) {
        return d >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", d) : String.format(java.util.Locale.ROOT, "%.2f", d);
    }
}
