package dev.thimble.bench;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.logs.LogPage;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import org.bson.Document;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Issue 18, item 5: costs as work grows, each measured at two sizes in one run, reported as the growth
 * ratio (large / small) next to the size ratio. Parts ({@code -Dbench.scaleParts}, default all of them):
 * <ul>
 *   <li>{@code find}: the SDK's {@code find} under the example app's owner rule with an index on
 *       {@code owner_id} (the caller owns {@link #OWN} documents) and the driver's newest-20 sort on an
 *       indexed date, on {@code bench.scaleSmall} (10,000) and {@code bench.scaleLarge} (1,000,000) documents;</li>
 *   <li>{@code logs}: the log store's queries as the logs panel and the Admin API make them, on
 *       {@code bench.scaleLogsSmall} (10,000) and {@code bench.scaleLogsLarge} (1,000,000) records;</li>
 *   <li>{@code functions}: starting and reloading an app with {@code bench.scaleFunctionsSmall} (10) and
 *       {@code bench.scaleFunctionsLarge} (500) functions, and a call;</li>
 *   <li>{@code watch}: {@code bench.scaleWatchSmall} (10) and {@code bench.scaleWatchLarge} (1,000) open watch
 *       streams: heap per stream and the latency of an insert's event to every stream.</li>
 * </ul>
 * Each size runs on a fresh host and embedded database in this JVM; the table is rewritten after every
 * measurement, so a run stopped half way keeps what it measured.
 */
public final class ScaleBench {
    static final int OWN = 50;
    static final int CALLS = Integer.getInteger("bench.scaleCalls", 30);
    static final int WARMUP = Integer.getInteger("bench.scaleWarmup", 20);
    /** {@code -Dbench.scaleDataDir=DIR}: keep the seeded documents and log records in DIR/items-N, DIR/logs-N and reuse them next run (seeding 1M takes minutes). */
    static final String DATA_DIR = System.getProperty("bench.scaleDataDir");
    /** The small size of {@code functions} and {@code watch} is run twice, the first time unmeasured (a JVM warming up). */
    static final int[] SIZE_ORDER = Boolean.parseBoolean(System.getProperty("bench.scaleWarmPass", "true")) ? new int[]{0, 0, 1} : new int[]{0, 1};
    static final Set<String> PARTS = Set.of(System.getProperty("bench.scaleParts", "find,logs,functions,watch").split(","));
    /**
     * {@code -Dbench.scaleKill=true} (with kept data): before the kept documents are measured, a child JVM opens them,
     * writes one document and is killed with SIGKILL (kill -9), so the measured open is the one after a crash.
     */
    static final boolean KILL = Boolean.getBoolean("bench.scaleKill");

    /** {@code -Dbench.scaleName=scale-before} writes another results file (e.g. a run with {@code -Dthimble.db.fieldIndexes=false}). */
    private static final Report REPORT = new Report(System.getProperty("bench.scaleName", "scale"),
            "Costs as work grows: documents, log records, functions, watch streams"
                    + ("false".equals(System.getProperty("thimble.db.fieldIndexes")) ? " (BEFORE: -Dthimble.db.fieldIndexes=false, every query scans)" : "")
                    + ("false".equals(System.getProperty("thimble.db.indexSnapshots")) ? " (index snapshots off: -Dthimble.db.indexSnapshots=false)" : ""));
    private static final List<List<String>> GROWTH = new ArrayList<>();
    private static final List<List<String>> COSTS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("crash")) {
            writeAndWait(Path.of(args[1]));
            return;
        }
        REPORT.note("Each size runs on a fresh host and embedded database in the same JVM (-Xmx2g), one after the other, "
                + "small size first (so the small size also pays for a JVM still warming up). Heap: used heap after System.gc(), server and bench "
                + "clients together (one JVM), so an upper bound of the server's.");
        REPORT.note("Latencies: p50 over " + CALLS + " sequential calls after " + WARMUP + " warm-up calls."
                + (SIZE_ORDER.length == 3 ? " functions and watch run their small size twice and keep the second (the first warms the JVM)." : ""));
        GROWTH.add(List.of("measurement", "small", "large", "small value", "large value", "growth (large / small)", "size ratio"));
        COSTS.add(List.of("what it took", "small", "large"));
        if (PARTS.contains("find")) {
            find(Integer.getInteger("bench.scaleSmall", 10_000), Integer.getInteger("bench.scaleLarge", 1_000_000));
        }
        if (PARTS.contains("logs")) {
            logs(Integer.getInteger("bench.scaleLogsSmall", 10_000), Integer.getInteger("bench.scaleLogsLarge", 1_000_000));
        }
        if (PARTS.contains("functions")) {
            functions(Integer.getInteger("bench.scaleFunctionsSmall", 10), Integer.getInteger("bench.scaleFunctionsLarge", 500));
        }
        if (PARTS.contains("watch")) {
            watch(Integer.getInteger("bench.scaleWatchSmall", 10), Integer.getInteger("bench.scaleWatchLarge", 1_000));
        }
        write();
    }

    // ------------------------------------------------------------------ documents

    private static void find(int small, int large) throws Exception {
        int[] sizes = {small, large};
        double[] sdkFind = new double[2];
        double[] newest = new double[2];
        double[] range = new double[2];
        double[] seedSeconds = new double[2];
        double[] heap = new double[2];
        double[] firstQuery = new double[2];
        double[] openSeconds = new double[2];
        double[] firstAfterOpen = new double[2];
        double[] closeSeconds = new double[2];
        double[] disk = new double[2];
        boolean anyReuse = false;
        for (int s = 0; s < 2; s++) {
            boolean keep = DATA_DIR != null;
            Path scratch = keep ? Path.of(DATA_DIR, "items-" + sizes[s]) : Files.createTempDirectory("thimble-bench-scale");
            boolean reuse = keep && Files.exists(scratch.resolve("owner.txt"));
            anyReuse |= reuse;
            if (reuse && KILL) {
                killAfterWrite(scratch);
            }
            disk[s] = reuse ? diskMb(scratch) : Double.NaN;
            long tOpen = System.nanoTime();
            long tClose;
            try (AppHost host = Common.start(Common.exampleApp(fs -> fs), scratch)) {
                openSeconds[s] = (System.nanoTime() - tOpen) / 1e9;
                firstAfterOpen[s] = Double.NaN;
                if (reuse) {
                    // the first query after opening kept data: what filling (or restoring) the indexes costs (decision 0048)
                    long tq = System.nanoTime();
                    host.database().database("todo").getCollection("items").find(Filters.eq("owner_id", "nobody")).first();
                    firstAfterOpen[s] = (System.nanoTime() - tq) / 1e9;
                }
                AuthService.LoginResult login = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
                long t0 = System.nanoTime();
                MongoCollection<Document> items;
                if (reuse) {
                    // the caller is a new anonymous user: hand the kept owner's documents to it
                    items = host.database().database("todo").getCollection("items");
                    String kept = Files.readString(scratch.resolve("owner.txt")).trim();
                    items.updateMany(Filters.eq("owner_id", kept), new Document("$set", new Document("owner_id", login.userId())));
                    Common.check(items.estimatedDocumentCount() == sizes[s], "kept data set " + scratch + " has " + items.estimatedDocumentCount() + " documents");
                } else {
                    items = seedItems(host, login.userId(), sizes[s]);
                }
                if (keep) {
                    Files.writeString(scratch.resolve("owner.txt"), login.userId());
                }
                seedSeconds[s] = reuse ? Double.NaN : (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                items.find(Filters.eq("owner_id", "nobody")).first();
                firstQuery[s] = (System.nanoTime() - t1) / 1e9;
                heap[s] = heapMb();
                HttpClient http = Common.httpClient();
                HttpRequest findMine = Common.call(host.clientApiUrl(), login.accessToken(),
                        "{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\",\"query\":{}}]}");
                String body = Common.send(http, findMine).body();
                Common.check(body.split("owner_id").length - 1 == OWN, "find must answer the caller's " + OWN + " items: " + body.length());
                sdkFind[s] = p50(() -> Common.check(Common.send(http, findMine).statusCode() == 200, "find"));
                int n = sizes[s];
                newest[s] = p50(() -> Common.check(items.find().sort(Sorts.descending("created")).limit(20)
                        .into(new ArrayList<>()).getFirst().getInteger("n") == n - 1, "newest first"));
                Date from = new Date(BASE_MILLIS + (n / 2) * 1000L);
                Date to = new Date(BASE_MILLIS + (n / 2 + 99) * 1000L);
                range[s] = p50(() -> Common.check(items.find(Filters.and(Filters.gte("created", from), Filters.lte("created", to)))
                        .into(new ArrayList<>()).size() == 100, "a 100-document date range"));
                tClose = System.nanoTime();
            } finally {
                if (!keep) {
                    Common.deleteTree(scratch);
                }
            }
            String label = "documents";
            growth("SDK find under the owner rule (" + OWN + " own documents, index on owner_id), µs", label, sizes, sdkFind);
            growth("driver find().sort({created: -1}).limit(20), index on created, µs", label, sizes, newest);
            growth("driver find({created: {$gte, $lte}}) of 100 documents, index on created, µs", label, sizes, range);
            cost("seeding todo.items (insertMany of 5,000, 2 indexes), s", sizes, seedSeconds, s);
            cost("first query after seeding (fills both indexes in one read), s", sizes, firstQuery, s);
            cost("heap after seeding todo.items and filling its indexes, MB", sizes, heap, s);
            closeSeconds[s] = (System.nanoTime() - tClose) / 1e9;
            cost("opening the host and its database (AppHost.start; reads index snapshots when kept data has them), s", sizes, openSeconds, s);
            if (anyReuse) {
                cost("first query after opening the kept data (fills the indexes, unless restored from a snapshot)"
                        + (KILL ? ", the open after a kill -9 of a process that had written to it" : "") + ", s", sizes, firstAfterOpen, s);
                cost("disk use of the kept data set before the open, MB", sizes, disk, s);
            }
            cost("closing the host (writes the index snapshots), s", sizes, closeSeconds, s);
            write();
        }
    }

    private static final long BASE_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static MongoCollection<Document> seedItems(AppHost host, String owner, int n) {
        MongoCollection<Document> items = host.database().database("todo").getCollection("items");
        items.createIndex(Indexes.ascending("owner_id"));
        items.createIndex(Indexes.descending("created"));
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String who = i % (n / OWN) == 0 ? owner : "owner-" + (i % 1000);
            batch.add(new Document("owner_id", who).append("text", "item " + i).append("done", i % 3 == 0)
                    .append("n", i).append("created", new Date(BASE_MILLIS + i * 1000L)));
            if (batch.size() == 5000) {
                items.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            items.insertMany(batch);
        }
        return items;
    }

    // ------------------------------------------------------------------ log records

    private static void logs(int small, int large) throws Exception {
        int[] sizes = {small, large};
        String[] names = {"records of one function (100 of them)", "records of one user (1 in 100)",
                "errors only (1 in 1,000)", "type AUTH (1 in 50)", "newest 100, no filter", "second page, no filter",
                "one function in a one-hour window (a page of 100)"};
        double[][] values = new double[names.length][2];
        double[] seedSeconds = new double[2];
        double[] heap = new double[2];
        double[] firstQuery = new double[2];
        double[] openSeconds = new double[2];
        double[] disk = new double[2];
        boolean anyReuse = false;
        for (int s = 0; s < 2; s++) {
            boolean keep = DATA_DIR != null;
            Path scratch = keep ? Path.of(DATA_DIR, "logs-" + sizes[s]) : Files.createTempDirectory("thimble-bench-scale-logs");
            Path firstFile = scratch.resolve("first.txt");
            boolean reuse = keep && Files.exists(firstFile);
            disk[s] = reuse ? diskMb(scratch) : Double.NaN;
            long tOpen = System.nanoTime();
            try (AppHost host = Common.start(Common.exampleApp(fs -> fs), scratch)) {
                openSeconds[s] = (System.nanoTime() - tOpen) / 1e9;
                int n = sizes[s];
                long t0 = System.nanoTime();
                Instant first = reuse ? Instant.parse(Files.readString(firstFile).trim()) : seedLogs(host, n);
                if (keep) {
                    Files.writeString(firstFile, first.toString());
                }
                seedSeconds[s] = reuse ? Double.NaN : (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                host.logs().query(LogQuery.all().withLimit(1));
                firstQuery[s] = (System.nanoTime() - t1) / 1e9;
                heap[s] = heapMb();
                Instant middle = first.plusMillis(n * 125L);
                LogQuery[] queries = {
                        LogQuery.all().withFunctionName("needle"),
                        LogQuery.all().withUserId("user-7"),
                        LogQuery.all().errorsOnly(),
                        LogQuery.all().withTypes(LogType.AUTH),
                        LogQuery.all(),
                        null,
                        LogQuery.all().withFunctionName("fn3").withStartDate(middle).withEndDate(middle.plusSeconds(3600)),
                };
                int[] expected = {100, Math.min(100, n / 100), Math.min(100, n / 1000), 100, 100, 100, -1};
                for (int q = 0; q < names.length; q++) {
                    LogQuery query = queries[q] != null ? queries[q] : LogQuery.all().next(host.logs().query(LogQuery.all()));
                    LogPage page = host.logs().query(query);
                    if (expected[q] >= 0) {
                        Common.check(page.records().size() == expected[q], names[q] + ": " + page.records().size() + " records");
                    } else {
                        Common.check(!page.records().isEmpty(), names[q] + ": no records");
                    }
                    values[q][s] = p50(() -> host.logs().query(query));
                }
            } finally {
                if (!keep) {
                    Common.deleteTree(scratch);
                }
            }
            for (int q = 0; q < names.length; q++) {
                growth("log store: " + names[q] + ", µs", "log records", sizes, values[q]);
            }
            cost("seeding the log store (insertMany of 10,000 LogRecord documents), s", sizes, seedSeconds, s);
            anyReuse |= reuse;
            cost(anyReuse ? "first log query after opening the kept records (or after seeding them), s"
                    : "first log query after seeding (the indexes were kept up to date while seeding), s", sizes, firstQuery, s);
            cost("opening the host and its database (AppHost.start; with kept records: the log store's open), s", sizes, openSeconds, s);
            if (anyReuse) {
                cost("disk use of the kept log records before the open, MB", sizes, disk, s);
            }
            cost("heap after seeding the log store and filling its 6 indexes, MB", sizes, heap, s);
            write();
        }
    }

    /** {@code n} records 250 ms apart ending now; returns the first one's start. */
    private static Instant seedLogs(AppHost host, int n) {
        // 250 ms apart: 1M records span 2.9 days, well inside the 10-day retention
        Instant first = Instant.now().minusMillis(n * 250L).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        // the log writer makes the store's indexes before its first records: let it, so they take the seeding's writes
        Common.check(host.logs().flush(Duration.ofMinutes(5)), "log flush before seeding");
        int needleEvery = Math.max(1, n / 100);
        // Bulk inserts straight into the store's collection, in the store's own format (LogRecord.toDocument):
        // what the log writer does, in batches of 10,000 instead of 500.
        MongoCollection<org.bson.BsonDocument> store = host.database().database(AppHost.stateDatabaseName(host.app().clientAppId()))
                .getCollection("log_records", org.bson.BsonDocument.class);
        List<org.bson.BsonDocument> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Clock at = Clock.fixed(first.plusMillis(i * 250L), java.time.ZoneOffset.UTC);
            LogRecord record;
            if (i % 50 == 25) {
                record = LogRecord.start(LogType.AUTH, at).userId("user-" + (i % 100)).finish();
            } else {
                String name = i % needleEvery == 0 ? "needle" : "fn" + (i % 10);
                // user-7 owns 1 in 100 records, but at most 100 of them at the small size too (the page holds 100)
                LogRecord.Builder b = LogRecord.start(LogType.FUNCTION, at).function(name, "id-" + name).userId("user-" + (i % 100));
                record = i % 1000 == 999 ? b.error("boom " + i, "FunctionExecutionError").finish(LogStatus.ERROR) : b.finish();
            }
            batch.add(record.toDocument());
            if (batch.size() == 10_000) {
                store.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.insertMany(batch);
        }
        Common.check(host.logs().flush(Duration.ofMinutes(5)), "log flush");
        return first;
    }

    // ------------------------------------------------------------------ functions

    private static void functions(int small, int large) throws Exception {
        int[] sizes = {small, large};
        double[] start = new double[2];
        double[] reloadOne = new double[2];
        double[] reloadAll = new double[2];
        double[] call = new double[2];
        double[] firstCall = new double[2];
        for (int s : SIZE_ORDER) {
            int n = sizes[s];
            Path scratch = Files.createTempDirectory("thimble-bench-scale-functions");
            try {
                double[] starts = new double[3];
                AppModel model = Common.exampleApp(fs -> withGenerated(fs, n, 0));
                for (int r = 0; r < starts.length; r++) {
                    Path dir = scratch.resolve("start-" + r);
                    long t0 = System.nanoTime();
                    AppHost host = Common.start(model, dir);
                    starts[r] = (System.nanoTime() - t0) / 1e3;
                    host.close();
                }
                start[s] = median(starts);
                try (AppHost host = Common.start(model, scratch.resolve("host"))) {
                    AuthService.LoginResult login = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
                    HttpClient http = Common.httpClient();
                    String name = "gen" + (n / 2);
                    HttpRequest req = Common.call(host.clientApiUrl(), login.accessToken(),
                            "{\"name\":\"" + name + "\",\"arguments\":[{\"$numberInt\":\"1\"}]}");
                    long t0 = System.nanoTime();
                    HttpResponse<String> answer = Common.send(http, req);
                    firstCall[s] = (System.nanoTime() - t0) / 1e3;
                    Common.check(answer.statusCode() == 200, name + ": " + answer.body());
                    call[s] = p50(() -> Common.check(Common.send(http, req).statusCode() == 200, "call"));
                    double[] one = new double[5];
                    double[] all = new double[5];
                    for (int r = 0; r < one.length; r++) {
                        AppModel changedOne = FunctionCallBench.withFunction(host.app(),
                                FunctionCallBench.function("gen0", source(0, r + 1)));
                        long t1 = System.nanoTime();
                        host.reload(changedOne);
                        one[r] = (System.nanoTime() - t1) / 1e3;
                        int bump = 100 + r;
                        AppModel changedAll = Common.exampleApp(fs -> withGenerated(fs, n, bump));
                        long t2 = System.nanoTime();
                        host.reload(changedAll);
                        all[r] = (System.nanoTime() - t2) / 1e3;
                    }
                    reloadOne[s] = median(one);
                    reloadAll[s] = median(all);
                    Common.check(Common.send(http, req).body().contains(String.valueOf(1 + 104)), "the last reload's source runs");
                }
            } finally {
                Common.deleteTree(scratch);
            }
            String label = "functions";
            growth("start an app (AppHost.start, fresh database; median of 3), µs", label, sizes, start);
            growth("first call after start, µs", label, sizes, firstCall);
            growth("call p50 (warm), µs", label, sizes, call);
            growth("reload with one function changed (median of 5), µs", label, sizes, reloadOne);
            growth("reload with every function changed (median of 5), µs", label, sizes, reloadAll);
            write();
        }
    }

    private static List<FunctionDef> withGenerated(List<FunctionDef> existing, int n, int bump) {
        List<FunctionDef> all = new ArrayList<>(existing);
        for (int i = 0; i < n; i++) {
            all.add(FunctionCallBench.function("gen" + i, source(i, bump)));
        }
        return all;
    }

    /** A small but real function: a helper, a loop, an object; answers {@code a + bump}. */
    private static String source(int i, int bump) {
        return "// generated function " + i + "\n"
                + "const label = 'gen" + i + "';\n"
                + "function describe(items) {\n"
                + "  return items.map((x, k) => ({ k, x, label })).filter(o => o.k % 2 === 0).length;\n"
                + "}\n"
                + "exports = function(a) {\n"
                + "  const seen = describe([a, a + 1, a + 2]);\n"
                + "  return seen > 0 ? a + " + bump + " : -1;\n"
                + "};\n";
    }

    // ------------------------------------------------------------------ watch streams

    private static void watch(int small, int large) throws Exception {
        int[] sizes = {small, large};
        int events = Integer.getInteger("bench.scaleWatchEvents", 20);
        double[] perStream = new double[2];
        double[] p50 = new double[2];
        double[] last = new double[2];
        double[] openSeconds = new double[2];
        double[] cpuPerEvent = new double[2];
        for (int s : SIZE_ORDER) {
            int n = sizes[s];
            Path scratch = Files.createTempDirectory("thimble-bench-scale-watch");
            List<InputStream> bodies = new ArrayList<>();
            try (AppHost host = Common.start(Common.exampleApp(fs -> fs), scratch)) {
                AuthService.LoginResult login = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
                HttpClient http = Common.httpClient();
                MongoCollection<Document> items = host.database().database("todo").getCollection("items");
                items.insertOne(new Document("owner_id", login.userId()).append("text", "before"));
                double before = heapMb();
                String request = Base64.getEncoder().encodeToString(("{\"name\":\"watch\",\"service\":\"mongodb-atlas\",\"arguments\":"
                        + "[{\"database\":\"todo\",\"collection\":\"items\"}]}").getBytes(StandardCharsets.UTF_8));
                URI uri = URI.create(host.clientApiUrl() + "/functions/call?baas_request=" + URLEncoder.encode(request, StandardCharsets.UTF_8));
                AtomicLongArray arrivals = new AtomicLongArray(n * events);
                long t0 = System.nanoTime();
                for (int k = 0; k < n; k++) {
                    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                            .header("Authorization", "Bearer " + login.accessToken()).build(), HttpResponse.BodyHandlers.ofInputStream());
                    Common.check(response.statusCode() == 200, "watch stream " + k + ": " + response.statusCode());
                    bodies.add(response.body());
                    int stream = k;
                    Thread.ofVirtual().start(() -> read(response.body(), arrivals, stream, events));
                }
                waitFor(() -> host.server().openWatchStreams() == n, "all streams open");
                openSeconds[s] = (System.nanoTime() - t0) / 1e9;
                perStream[s] = heapMb() - before;
                double[] p50s = new double[events];
                double[] lasts = new double[events];
                long cpu0 = processCpuNanos();
                for (int e = 0; e < events; e++) {
                    long sent = System.nanoTime();
                    items.insertOne(new Document("owner_id", login.userId()).append("text", "event " + e));
                    int event = e;
                    waitFor(() -> {
                        for (int k = 0; k < n; k++) {
                            if (arrivals.get(k * events + event) == 0) {
                                return false;
                            }
                        }
                        return true;
                    }, "event " + e + " on every stream");
                    double[] latencies = new double[n];
                    for (int k = 0; k < n; k++) {
                        latencies[k] = (arrivals.get(k * events + e) - sent) / 1e3;
                    }
                    Arrays.sort(latencies);
                    p50s[e] = latencies[n / 2];
                    lasts[e] = latencies[n - 1];
                }
                cpuPerEvent[s] = (processCpuNanos() - cpu0) / 1e6 / events;
                p50[s] = median(p50s);
                last[s] = median(lasts);
            } finally {
                for (InputStream body : bodies) {
                    try {
                        body.close();
                    } catch (IOException ignored) {
                        // closing the connection
                    }
                }
                Common.deleteTree(scratch);
            }
            String label = "streams";
            growth("heap held by the open watch streams (server + client), MB", label, sizes, perStream);
            if (s == 1) {
                cost("heap per watch stream, (heap at large - heap at small) / (large - small), KB", sizes,
                        new double[]{Double.NaN, (perStream[1] - perStream[0]) * 1024 / (sizes[1] - sizes[0])}, 1);
            }
            growth("insert → event on a stream, p50 over streams (median of " + events + " inserts), µs", label, sizes, p50);
            growth("insert → event on the last stream (median of " + events + " inserts), µs", label, sizes, last);
            growth("JVM CPU per insert delivered to every stream (server and the bench's stream readers), ms", label, sizes, cpuPerEvent);
            cost("opening the watch streams one after the other, s", sizes, openSeconds, s);
            write();
        }
    }

    /** Notes the arrival time of each of the first {@code events} data lines of a stream. */
    private static void read(InputStream body, AtomicLongArray arrivals, int stream, int events) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            int seen = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("data: ") && seen < events) {
                    arrivals.set(stream * events + seen++, System.nanoTime());
                }
            }
        } catch (IOException ignored) {
            // the bench closed the stream
        }
    }

    // ------------------------------------------------------------------ a crash (kill -9) of kept data

    /** Runs this class as a child JVM that opens {@code scratch}, writes to todo.items and is killed with SIGKILL. */
    private static void killAfterWrite(Path scratch) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleBench.class.getName(), "crash", scratch.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; !"written".equals(line = out.readLine()); ) {
                if (line == null) {
                    throw new IllegalStateException("the child that writes before the kill -9 ended early: " + child.waitFor());
                }
            }
            child.destroyForcibly(); // SIGKILL on Linux: no close, no index snapshot
            child.waitFor();
        }
    }

    /**
     * In the child: a query and one committed update. Before decision 0069 the open dropped the index snapshots of the
     * last clean close, so the open after the kill filled the indexes from every document; since 0069 the update is
     * journaled and that open restores the snapshots and corrects them for it.
     */
    private static void writeAndWait(Path scratch) throws Exception {
        AppHost host = Common.start(Common.exampleApp(fs -> fs), scratch);
        MongoCollection<Document> items = host.database().database("todo").getCollection("items");
        Document first = items.find().first();
        Common.check(first != null, "no kept documents in " + scratch);
        items.updateOne(Filters.eq("_id", first.get("_id")), new Document("$set", new Document("touched", true)));
        System.out.println("written");
        System.out.flush();
        Thread.sleep(Duration.ofHours(1));
        host.close();
    }

    /** This JVM's CPU time: what a delivery costs, which the machine's load moves far less than its latency. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double diskMb(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum() / 1e6;
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    // ------------------------------------------------------------------ measuring and reporting

    interface Call {
        void run() throws Exception;
    }

    private static double p50(Call call) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            call.run();
        }
        double[] micros = new double[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long t0 = System.nanoTime();
            call.run();
            micros[i] = (System.nanoTime() - t0) / 1e3;
        }
        return median(micros);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double heapMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed() / (1024.0 * 1024.0);
    }

    /** A row of the growth table, replaced when the pair is measured again (after its large size). */
    private static void growth(String label, String unit, int[] sizes, double[] values) {
        GROWTH.removeIf(row -> row.getFirst().equals(label));
        boolean both = values[1] > 0;
        GROWTH.add(List.of(label, fmtSize(sizes[0], unit), fmtSize(sizes[1], unit), fmt(values[0]), both ? fmt(values[1]) : "…",
                both ? fmt(values[1] / values[0]) + "×" : "…", fmt((double) sizes[1] / sizes[0]) + "×"));
    }

    private static void cost(String label, int[] sizes, double[] values, int measured) {
        COSTS.removeIf(row -> row.getFirst().equals(label));
        COSTS.add(List.of(label, fmt(values[0]), measured > 0 ? fmt(values[1]) : "…"));
    }

    private static void write() throws IOException {
        REPORT.table("Growth (large / small; flat ≈ 1×, linear ≈ size ratio)", GROWTH);
        REPORT.table("What building the sizes took", COSTS);
        REPORT.write(Common.RESULTS, Common.COMMAND);
        System.err.println("scale: wrote " + (GROWTH.size() - 1) + " growth rows; load " + Report.uptime());
    }

    private static String fmtSize(int size, String unit) {
        return String.format(Locale.ROOT, "%,d %s", size, unit);
    }

    private static String fmt(double d) {
        return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
