package dev.thimble.bench;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.IntFunction;

/**
 * Issue 4's benchmark: three functions called through the client API — {@code sum}, {@code findItem}
 * (a database call under the owner rule) and a CPU-heavy {@code cpu} — against the same calls to what
 * a user would write by hand (Node 20 + Express + the mongodb driver, {@code bench/node/baseline.js}),
 * at 1 and 16 clients; and the first call after a hot reload that changed a function's source.
 */
public final class FunctionCallBench {
    static final int RELOADS = Integer.getInteger("bench.reloads", 10);
    static final String SUM_SOURCE = "exports = function(a, b) { return a + b; };";

    static final String FIND_ITEM_SOURCE = "exports = async function(id) {\n"
            + "  return context.services.get('mongodb-atlas').db('todo').collection('items').findOne({ _id: id });\n"
            + "};";
    /** The same source as {@code bench/node/baseline.js}'s {@code cpu}: objects, sorting, strings, arithmetic. */
    static final String CPU_SOURCE = """
            exports = function(n) {
              const rows = [];
              for (let i = 0; i < n; i++) rows.push({ id: i, name: 'item-' + ((i * 7919) % n), price: ((i * 31) % 997) / 10 });
              rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
              let total = 0;
              for (const r of rows) total += r.price * (r.id % 3);
              const text = JSON.stringify(rows.slice(0, 200));
              let h = 0;
              for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
              return Math.round(total) + (Math.abs(h) % 1000);
            };
            """;
    static final int CPU_N = Integer.getInteger("bench.cpuN", 20000);
    static final int ITEMS = Integer.getInteger("bench.items", 1000);
    /** The CPU-heavy case hogs a shared 2-core machine for minutes at 16 clients: -Dbench.cpu=false leaves it out. */
    static final boolean CPU = !"false".equals(System.getProperty("bench.cpu"));
    static final int WARMUP_CALLS = Integer.getInteger("bench.warmupCalls", 1000);
    /**
     * {@code -Dbench.only=insertOne,sum}: measure only the cases whose name contains one of these words (for
     * profiling one path); the warm-up curve and the reloads need {@code sum} and are left out without it.
     */
    static final List<String> ONLY = System.getProperty("bench.only", "").isBlank() ? List.of()
            : List.of(System.getProperty("bench.only").split(","));

    static boolean selected(String caseName) {
        return ONLY.isEmpty() || ONLY.stream().anyMatch(w -> caseName.contains(w.trim()));
    }

    public static void main(String[] args) throws Exception {
        Path scratch = Files.createTempDirectory("thimble-bench-functions");
        boolean serve = !System.getProperty("bench.serve", "").isBlank();
        String engine = serve ? "as thimble serve chose: its start-up line in the notes" : engineName();
        String suffix = System.getProperty("bench.suffix", "");
        Report report = new Report("functions" + suffix, "Functions: Thimble (GraalJS, " + engine + ") vs Node 20 + Express + the mongodb driver; first call after a hot reload");
        Process node = null;
        try (BenchedServer server = startServer(scratch)) {
            AppModel model = server.app();
            HttpClient http = Common.httpClient();
            Login login = login(http, server.clientApiUrl());
            List<ObjectId> ids = seedItems(server.databaseUri(), login.userId());

            node = startNode(server);
            BufferedReader nodeOut = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String portLine = nodeOut.readLine();
            Common.check(portLine != null && portLine.startsWith("PORT "), "node baseline did not start: " + portLine);
            String nodeVersion = new String(new ProcessBuilder(NODE_COMMAND, "--version")
                    .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String nodeApi = "http://127.0.0.1:" + portLine.substring(5).trim() + "/api/client/v2.0/app/" + model.clientAppId();

            String token = login.accessToken();
            // First, while both servers are fresh: the warm-up curve (issue 18: the first calls after a start)
            double[] startToWarm = prepareCurve(http, server);
            if (startToWarm != null) {
                report.single("server start to the end of its warm-up", "from the server's start (AppHost.start returning; for serve, the launcher "
                        + "starting) until the function engine's start-time warm-up ended (decision 0047); the curve's first call comes after it", startToWarm);
            }
            String api = server.clientApiUrl();
            HttpRequest firstSum = Common.call(api, token, SUM_BODY);
            boolean sum = selected(T_SUM);
            double[] thimbleCurveCpu = server.requestThreadsCpuNanos() < 0 ? null : new double[WARMUP_CALLS / 100];
            double[] thimbleCurve = sum ? curve(http, firstSum, server, thimbleCurveCpu) : null;
            double[] nodeCurve = sum ? curve(http, Common.call(nodeApi, token, SUM_BODY), server, null) : null;
            HttpRequest thimbleSum = Common.call(api, token, SUM_BODY);
            HttpRequest nodeSum = Common.call(nodeApi, token, SUM_BODY);
            List<HttpRequest> thimbleFinds = ids.stream().map(id -> Common.call(api, token, findBody(id))).toList();
            List<HttpRequest> nodeFinds = ids.stream().map(id -> Common.call(nodeApi, token, findBody(id))).toList();
            HttpRequest thimbleCpu = Common.call(api, token, cpuBody());
            HttpRequest nodeCpu = Common.call(nodeApi, token, cpuBody());
            List<HttpRequest> thimbleSdkFinds = ids.stream().map(id -> Common.call(api, token, FindOneBench.findOneBody(id))).toList();
            List<HttpRequest> nodeSdkFinds = ids.stream().map(id -> Common.call(nodeApi, token, FindOneBench.findOneBody(id))).toList();
            HttpRequest thimbleInsert = Common.call(api, token, insertBody(login.userId()));
            HttpRequest nodeInsert = Common.call(nodeApi, token, insertBody(login.userId()));

            // Both sides must give the same answers before anything is timed.
            String cpuExpected = number(Common.send(http, nodeCpu).body());
            Common.check(cpuExpected != null, "node cpu answer");
            checkSame(http, thimbleSum, nodeSum, "3");
            checkSame(http, thimbleFinds.get(0), nodeFinds.get(0), ids.get(0).toHexString());
            checkSame(http, thimbleCpu, nodeCpu, cpuExpected);
            checkSame(http, thimbleSdkFinds.get(0), nodeSdkFinds.get(0), ids.get(0).toHexString());
            checkSame(http, thimbleInsert, nodeInsert, "insertedId");
            var foreign = Common.send(http, Common.call(api, token, findBody(FOREIGN)));
            Common.check(foreign.body().trim().equals("null"), "thimble findItem of another's item must be null: " + foreign.body());

            report.describe(T_SUM, "POST functions/call {name:sum, arguments:[1, 2]} (canonical EJSON) with an anon-user's Bearer access token, as the Stitch SDK sends it; "
                    + "the function `exports = function(a, b) { return a + b; };`");
            report.describe(N_SUM, "the same request (same HttpClient) to bench/node/baseline.js: Node " + nodeVersion
                    + " + Express 5 + mongodb driver 6, verifying the same HS256 token, parsing and answering canonical EJSON");
            report.describe(T_FIND, "callFunction('findItem', ObjectId) of a random one of " + ITEMS + " items the user owns: the function awaits "
                    + "context.services.get('mongodb-atlas')…findOne({_id}) under the example app's owner rule and filter of todo.items, as the calling user");
            report.describe(N_FIND, "the same call to the Node baseline: items.findOne({_id, owner_id: <user id from the token>}) with the mongodb driver "
                    + "on the same embedded server (the owner rule written by hand)");
            report.describe(T_SDKFIND, "the SDK's collection.findOne({_id}): POST functions/call {name:findOne, service:mongodb-atlas, arguments:[{database:todo, "
                    + "collection:items, query:{_id:{$oid}}}]} under todo.items' owner rule and filter; a random one of " + ITEMS + " items the user owns");
            report.describe(N_SDKFIND, "the same request to the Node baseline: findOne({$and:[query, {owner_id: <user id from the token>}]}) with the driver");
            report.describe(T_INSERT, "the SDK's collection.insertOne({owner_id: <user>, text, done}): POST functions/call {name:insertOne, service:mongodb-atlas, ...}, "
                    + "checked against todo.items' owner rule and schema, committed and fsynced before the answer (decision 0002)");
            report.describe(N_INSERT, "the same request to the Node baseline: checks owner_id against the token's user by hand, insertOne with the driver "
                    + "on the same embedded server (so the same durable commit)");
            report.describe(T_CPU, "callFunction('cpu', " + CPU_N + "): build, sort and serialise " + CPU_N + " objects (source in FunctionCallBench.CPU_SOURCE)");
            report.describe(N_CPU, "the same function, same source, in the Node baseline");

            List<String> names = new ArrayList<>(List.of(T_SUM, N_SUM, T_FIND, N_FIND, T_SDKFIND, N_SDKFIND, T_INSERT, N_INSERT));
            List<IntFunction<Load.Op>> cases = new ArrayList<>(List.of(
                    c -> () -> answers(http, thimbleSum, "3"),
                    c -> () -> answers(http, nodeSum, "3"),
                    c -> () -> answersAny(http, thimbleFinds),
                    c -> () -> answersAny(http, nodeFinds),
                    c -> () -> answersAny(http, thimbleSdkFinds),
                    c -> () -> answersAny(http, nodeSdkFinds),
                    c -> () -> answers(http, thimbleInsert, "insertedId"),
                    c -> () -> answers(http, nodeInsert, "insertedId")));
            if (CPU) {
                names.addAll(List.of(T_CPU, N_CPU));
                cases.add(c -> () -> answers(http, thimbleCpu, cpuExpected));
                cases.add(c -> () -> answers(http, nodeCpu, cpuExpected));
            }
            for (int k = names.size() - 1; k >= 0; k--) {
                if (!selected(names.get(k))) {
                    names.remove(k);
                    cases.remove(k);
                }
            }
            List<java.util.function.LongSupplier> serverCpu = new ArrayList<>();
            Process nodeProcess = node;
            boolean ownProcess = server.processCpuNanos() >= 0;
            for (String name : names) { // each case's server processes' CPU per operation
                // Node's database is the embedded one inside Thimble's server, so Node's cases count both processes when
                // that is a process of its own (serve does little else meanwhile); in this JVM, Node's process alone
                serverCpu.add(name.startsWith("thimble") ? (ownProcess ? server::processCpuNanos : null)
                        : () -> ProcStat.cpuNanos(nodeProcess.pid()) + (ownProcess ? server.processCpuNanos() : 0));
            }
            Common.measureInterleaved(report, names.toArray(String[]::new), cases, serverCpu);
            for (int clients : new int[]{1, Common.CONCURRENT}) {
                ratioIfMeasured(report, names, "sum: Thimble / Node+Express", T_SUM, N_SUM, clients);
                ratioIfMeasured(report, names, "findItem (database call): Thimble / Node+Express+driver", T_FIND, N_FIND, clients);
                ratioIfMeasured(report, names, "SDK findOne under the owner rule: Thimble / Node+Express+driver", T_SDKFIND, N_SDKFIND, clients);
                ratioIfMeasured(report, names, "SDK insertOne (durable): Thimble / Node+Express+driver", T_INSERT, N_INSERT, clients);
                ratioIfMeasured(report, names, "cpu: Thimble / Node", T_CPU, N_CPU, clients);
            }
            if (sum && names.contains(T_SUM) && names.contains(N_SUM)) {
                warmUpTable(report, thimbleCurve, nodeCurve, report.medians(T_SUM, 1)[0], report.medians(N_SUM, 1)[0], thimbleCurveCpu);
                if (!measureReloads(report, server, http, thimbleSum)) {
                    report.note("The first call after a hot reload was not measured: the server ran in its own process (run without "
                            + "-Dbench.serve for it).");
                }
            }
            memory(report, server, node);

            report.note("Rounds: " + Common.ROUNDS + " × " + Common.ROUND_MILLIS + " ms per case and client count, cases interleaved within each round; "
                    + "warm-up " + Common.WARMUP_MILLIS + " ms per case first; " + RELOADS + " reloads. Closed loop: each client sends its next request when the previous answer arrives.");
            report.note(server.describe() + "; Node ran in its own process; all on a shared " + Runtime.getRuntime().availableProcessors()
                    + "-core machine, so the 16-client numbers include CPU contention. Compare ratios, not absolute numbers. 'JVM CPU' is the bench's JVM "
                    + "(its clients, and the server when it runs there); 'server CPU' is the server's own process "
                    + "(from /proc, 10 ms ticks): for Node's cases Node's process, plus Thimble's server process when it has its own, since the "
                    + "embedded database both use runs there.");
            if (server instanceof ServeProcess process) {
                report.note("serve's start-up lines: " + String.join(" | ", process.startLines()));
            } else {
                report.note("GraalJS engine: " + engine + ". " + (engine.startsWith("Interpreted")
                    ? (Boolean.getBoolean("truffle.UseFallbackRuntime")
                        ? "Interpreter only, as thimble serve runs by default (decision 0077): GraalJS and the compiler on the module path, Truffle's fallback runtime chosen."
                        : "Interpreter only: this JVM ran GraalJS from the class path (bench/run functions runs it both ways).")
                    : "The optimizing Truffle runtime: GraalJS on the module path, the Graal compiler on the upgrade module path (as the window and THIMBLE_JIT=on run it)."));
            }
            report.note("A Thimble call also applies run-as semantics, runs in a sandboxed realm of the app version (reused between calls, decision 0030; "
                    + (System.getProperty("thimble.functions.reuseRealms", "true").equals("false") ? "THIS RUN: a fresh realm per call, -Dthimble.functions.reuseRealms=false" : "reuse on")
                    + ") and writes a log record (batched); the Node baseline verifies the token and does the same work, without rules engine, sandbox or logs.");
            report.note("Warm-up curve: the first " + WARMUP_CALLS + " sequential callFunction('sum') calls "
                    + (CURVE_RIGHT_AFTER_START ? "right after the server started (Thimble: the host's background warm-up runs meanwhile)"
                    : "after the server's start-time warm-up ended (Thimble; see 'server start to the end of its warm-up')")
                    + " and right after the Node process printed its port (Thimble's curve first); p50 of each 100. Before either, the bench's own HTTP client "
                    + "made " + CLIENT_WARM_UP_CALLS + " calls to a JDK HttpServer in this JVM, so neither curve pays for a cold client.");
        } finally {
            if (node != null) {
                node.destroy();
                node.waitFor(5, TimeUnit.SECONDS);
            }
            Common.deleteTree(scratch);
        }
        report.write(Common.RESULTS, Common.COMMAND);
    }

    static final String T_SUM = "thimble sum";
    static final String N_SUM = "node+express sum";
    static final String T_FIND = "thimble findItem";
    static final String N_FIND = "node+express+driver findItem";
    static final String T_CPU = "thimble cpu";
    static final String N_CPU = "node cpu";
    static final String T_SDKFIND = "thimble sdk findOne";
    static final String N_SDKFIND = "node+express+driver findOne";
    static final String T_INSERT = "thimble sdk insertOne";
    static final String N_INSERT = "node+express+driver insertOne";
    static final String SUM_BODY = "{\"name\":\"sum\",\"arguments\":[{\"$numberInt\":\"1\"},{\"$numberInt\":\"2\"}]}";
    static final String NODE_COMMAND = System.getProperty("bench.node", "node");
    static final ObjectId FOREIGN = new ObjectId();
    private static final Pattern NUMBER = Pattern.compile("\"\\$number(?:Int|Long|Double)\"\\s*:\\s*\"([^\"]+)\"");

    private static void ratioIfMeasured(Report report, List<String> names, String label, String a, String b, int clients) {
        if (names.contains(a) && names.contains(b)) {
            report.ratio(label, a, b, clients);
        }
    }

    /** Items owned by the benchmark's user, and one that is not (which findItem must not return), written with the driver. */
    static List<ObjectId> seedItems(String databaseUri, String owner) {
        try (MongoClient client = MongoClients.create(databaseUri)) {
            MongoCollection<Document> items = client.getDatabase("todo").getCollection("items");
            List<ObjectId> ids = new ArrayList<>();
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                ObjectId id = new ObjectId();
                ids.add(id);
                docs.add(new Document("_id", id).append("owner_id", owner).append("text", "item " + i).append("done", i % 3 == 0).append("created", new Date()));
            }
            items.insertMany(docs);
            items.insertOne(new Document("_id", FOREIGN).append("owner_id", "someone-else").append("text", "not yours"));
            return ids;
        }
    }

    /** For the benches that hold an AppHost themselves. */
    static List<ObjectId> seedItems(AppHost host, String owner) {
        return seedItems(host.database().connectionString(), owner);
    }

    record Login(String accessToken, String userId) {
    }

    /** An anonymous user's login, as the SDK does it. */
    static Login login(HttpClient http, String clientApiUrl) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(java.net.URI.create(clientApiUrl + "/auth/providers/anon-user/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Common.check(r.statusCode() == 200, "anonymous login: " + r.statusCode() + " " + r.body());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        return new Login(json.path("access_token").asText(), json.path("user_id").asText());
    }

    /**
     * The server under test: with {@code -Dbench.serve=<launcher>}, {@code <launcher> serve} on a copy of the example app
     * in a process of its own ({@code -Dbench.serveOptions}, or else {@code THIMBLE_JAVA_OPTS}, adds JVM options); otherwise an AppHost in this JVM.
     * Either way the example app without its triggers, with the three functions of this bench.
     */
    static BenchedServer startServer(Path scratch) throws Exception {
        String launcher = System.getProperty("bench.serve", "");
        if (launcher.isBlank()) {
            return new BenchedServer.InProcess(Common.exampleApp(fs -> {
                fs.add(function("sum", SUM_SOURCE));
                fs.add(function("findItem", FIND_ITEM_SOURCE));
                fs.add(function("cpu", CPU_SOURCE));
                return fs;
            }), scratch);
        }
        Path bundle = scratch.resolve("app");
        copyTree(Common.EXAMPLE, bundle);
        Common.deleteTree(bundle.resolve("triggers"));
        writeFunction(bundle, "sum", SUM_SOURCE);
        writeFunction(bundle, "findItem", FIND_ITEM_SOURCE);
        writeFunction(bundle, "cpu", CPU_SOURCE);
        AppModel app = dev.thimble.runtime.app.AppBundles.read(bundle).app();
        Common.check(app != null && app.functions().stream().anyMatch(f -> f.name().equals("cpu")), "the bench's copy of the example app did not read");
        // options with spaces cannot pass through BENCH_OPTS: THIMBLE_JAVA_OPTS in the bench's environment is taken then
        String options = System.getProperty("bench.serveOptions", System.getenv().getOrDefault("THIMBLE_JAVA_OPTS", ""));
        return new ServeProcess(bundle, app, scratch, launcher, options);
    }

    private static void writeFunction(Path bundle, String name, String source) throws IOException {
        Path dir = Files.createDirectories(bundle.resolve("functions").resolve(name));
        Files.writeString(dir.resolve("config.json"), "{\"name\":\"" + name + "\",\"private\":false,\"run_as_system\":false,"
                + "\"can_evaluate\":{},\"disable_arg_logs\":false}\n");
        Files.writeString(dir.resolve("source.js"), source);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    /** For the benches that hold an AppHost themselves (its secrets in {@code scratch/secrets.json}, as Common.start keeps them). */
    static Process startNode(AppHost host, Path scratch) throws IOException {
        return startNode(host.database().connectionString(), new SecretStore(scratch.resolve("secrets.json")).get(BenchedServer.SIGNING_KEY).orElseThrow(),
                host.app().clientAppId());
    }

    static Process startNode(BenchedServer server) throws IOException {
        return startNode(server.databaseUri(), server.signingKeyHex(), server.app().clientAppId());
    }

    private static Process startNode(String databaseUri, String signingKeyHex, String clientAppId) throws IOException {
        Path baseline = Path.of(System.getProperty("bench.nodeDir", "bench/node"));
        Common.check(Files.isDirectory(baseline.resolve("node_modules")), baseline + "/node_modules is missing: bench/run installs it (npm ci)");
        ProcessBuilder pb = new ProcessBuilder(NODE_COMMAND, baseline.resolve("baseline.js").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("MONGO_URI", databaseUri);
        pb.environment().put("SIGNING_KEY_HEX", signingKeyHex);
        pb.environment().put("APP_ID", clientAppId);
        return pb.start();
    }

    /** The first calls after hot reloads; false when the server cannot be reloaded from here. */
    private static boolean measureReloads(Report report, BenchedServer server, HttpClient http, HttpRequest thimbleSum) throws Exception {
        double[] reloadMicros = new double[RELOADS];
        double[] firstMicros = new double[RELOADS];
        double[] secondMicros = new double[RELOADS];
        for (int i = 0; i < RELOADS; i++) {
            int bump = i + 1;
            AppModel changed = withFunction(server.app(), function("sum", "exports = function(a, b) { return a + b + " + bump + "; };"));
            long r0 = System.nanoTime();
            if (!server.reload(changed)) {
                return false;
            }
            long r1 = System.nanoTime();
            var first = Common.send(http, thimbleSum);
            long r2 = System.nanoTime();
            var second = Common.send(http, thimbleSum);
            long r3 = System.nanoTime();
            String expected = String.valueOf(3 + bump);
            Common.check(first.statusCode() == 200 && first.body().contains(expected), "first call after reload " + bump + ": " + first.body());
            Common.check(second.statusCode() == 200 && second.body().contains(expected), "second call after reload: " + second.body());
            reloadMicros[i] = (r1 - r0) / 1e3;
            firstMicros[i] = (r2 - r1) / 1e3;
            secondMicros[i] = (r3 - r2) / 1e3;
            for (int w = 0; w < 50; w++) {
                Common.send(http, thimbleSum); // settle between reloads
            }
        }
        report.single("host.reload(changed sum)", "time spent in host.reload(model) with only sum's source changed", reloadMicros);
        report.single("first call after reload", "the first callFunction('sum', 1, 2) after each reload, sequential; its answer proves the new source ran", firstMicros);
        report.single("second call after reload", "the call right after that first one", secondMicros);
        report.ratioOfSingle("first call after reload / warm call (1-client p50)", "first call after reload", report.medians(T_SUM, 1)[0], T_SUM + " @1");
        report.ratioOfSingle("first call after reload / Node warm call (1-client p50)", "first call after reload", report.medians(N_SUM, 1)[0], N_SUM + " @1");
        return true;
    }

    private static void checkSame(HttpClient http, HttpRequest thimble, HttpRequest node, String expected) throws Exception {
        var t = Common.send(http, thimble);
        var n = Common.send(http, node);
        System.err.println("thimble: " + t.statusCode() + " " + abbreviate(t.body()) + " | node: " + n.statusCode() + " " + abbreviate(n.body()));
        Common.check(t.statusCode() == 200 && t.body().contains(expected), "thimble answer: " + t.statusCode() + " " + t.body());
        Common.check(n.statusCode() == 200 && n.body().contains(expected), "node answer: " + n.statusCode() + " " + n.body());
    }

    private static boolean answers(HttpClient http, HttpRequest request, String expected) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains(expected);
    }

    private static boolean answersAny(HttpClient http, List<HttpRequest> requests) throws Exception {
        HttpResponse<String> r = http.send(requests.get(ThreadLocalRandom.current().nextInt(requests.size())), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("owner_id");
    }

    private static String number(String ejson) {
        Matcher m = NUMBER.matcher(ejson);
        return m.find() ? m.group(1) : null;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    static String findBody(ObjectId id) {
        return "{\"name\":\"findItem\",\"arguments\":[{\"$oid\":\"" + id.toHexString() + "\"}]}";
    }

    static String insertBody(String owner) {
        return "{\"name\":\"insertOne\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\","
                + "\"document\":{\"owner_id\":\"" + owner + "\",\"text\":\"a new item\",\"done\":false}}]}";
    }

    /**
     * {@code -Dbench.curveRightAfterStart=true}: the curve starts as soon as the bench is ready, while the server's
     * warm-up still runs (as before decision 0047); by default it starts when the warm-up ended.
     */
    static final boolean CURVE_RIGHT_AFTER_START = Boolean.getBoolean("bench.curveRightAfterStart");

    /**
     * Before the curve: warms this JVM's HTTP client on a server of its own (the JDK's), so the curve measures the
     * server's warm-up and not the bench client's (a user's client is another process, already warm); then waits
     * for the function engine's start-time warm-up to end, unless {@link #CURVE_RIGHT_AFTER_START}.
     *
     * @return µs from the server's start to the end of its warm-up, or null when not waited for
     */
    private static double[] prepareCurve(HttpClient http, BenchedServer server) throws Exception {
        com.sun.net.httpserver.HttpServer own = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] answer = "{\"$numberInt\":\"3\"}".getBytes(StandardCharsets.UTF_8);
        own.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        own.start();
        try {
            HttpRequest call = Common.call("http://127.0.0.1:" + own.getAddress().getPort() + "/api/client/v2.0/app/x", "token", SUM_BODY);
            for (int i = 0; i < CLIENT_WARM_UP_CALLS; i++) {
                Common.check(Common.send(http, call).statusCode() == 200, "the bench client's own warm-up");
            }
        } finally {
            own.stop(0);
        }
        if (CURVE_RIGHT_AFTER_START) {
            return null;
        }
        double startToWarm = server.awaitWarmUp(java.time.Duration.ofMinutes(3));
        Common.check(startToWarm >= 0, "the server's warm-up did not end within 3 minutes");
        return new double[]{startToWarm};
    }

    /** {@code -Dbench.curveMarks=true}: prints a line on stdout before each block of 100 curve calls (decision 0075). */
    static final boolean CURVE_MARKS = Boolean.getBoolean("bench.curveMarks");

    static final int CLIENT_WARM_UP_CALLS = Integer.getInteger("bench.clientWarmUpCalls", 3000);

    /**
     * Latencies of {@link #WARMUP_CALLS} sequential calls: the p50 of each 100, in µs.
     *
     * @param cpu when not null, gets the CPU µs per call the server's request threads spent in each 100 (decision 0060):
     *            unlike the latency, it hardly moves with the machine's load, and falls as the server's code warms
     */
    private static double[] curve(HttpClient http, HttpRequest request, BenchedServer server, double[] cpu) throws Exception {
        double[] micros = new double[WARMUP_CALLS];
        long cpuBefore = cpu == null ? 0 : server.requestThreadsCpuNanos();
        for (int i = 0; i < WARMUP_CALLS; i++) {
            if (cpu != null && i > 0 && i % 100 == 0) {
                long now = server.requestThreadsCpuNanos();
                cpu[i / 100 - 1] = (now - cpuBefore) / 1e3 / 100;
                cpuBefore = server.requestThreadsCpuNanos();
            }
            if (CURVE_MARKS && i % 100 == 0) {
                // a line between the JVM's own output (-XX:+PrintCompilation) that says which block its compilations fell in
                System.out.println("== curve calls " + (i + 1) + "-" + (i + 100) + " of " + request.uri().getPort());
                System.out.flush();
            }
            long t0 = System.nanoTime();
            Common.check(answers(http, request, "3"), "warm-up call " + i);
            micros[i] = (System.nanoTime() - t0) / 1e3;
        }
        if (cpu != null) {
            cpu[WARMUP_CALLS / 100 - 1] = (server.requestThreadsCpuNanos() - cpuBefore) / 1e3 / 100;
        }
        double[] p50s = new double[WARMUP_CALLS / 100];
        for (int b = 0; b < p50s.length; b++) {
            double[] block = java.util.Arrays.copyOfRange(micros, b * 100, b * 100 + 100);
            java.util.Arrays.sort(block);
            p50s[b] = block[50];
        }
        return p50s;
    }

    private static void warmUpTable(Report report, double[] thimble, double[] node, double thimbleWarm, double nodeWarm, double[] cpu) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("calls", "thimble p50 µs", "thimble / its warm p50", "node p50 µs", "node / its warm p50",
                "thimble request threads' CPU µs per call", "/ calls 901–1000"));
        double warmCpu = cpu == null ? Double.NaN : cpu[cpu.length - 1];
        for (int b = 0; b < thimble.length; b++) {
            // the server's request threads' CPU is measured only in this JVM (outside, /proc's 10 ms ticks are too coarse)
            String cpuMicros = cpu == null ? "–" : fmt(cpu[b]);
            String cpuRatio = cpu == null ? "–" : fmt(cpu[b] / warmCpu) + "×";
            rows.add(List.of((b * 100 + 1) + "–" + (b * 100 + 100), fmt(thimble[b]), fmt(thimble[b] / thimbleWarm) + "×",
                    fmt(node[b]), fmt(node[b] / nodeWarm) + "×", cpuMicros, cpuRatio));
        }
        report.table("Warm-up curve (sum, sequential, from a fresh start; warm p50 = the 1-client sum case above)", rows);
    }

    /** Resident memory after the run: the Node process, Thimble's server process when it has its own, and the bench's JVM. */
    private static void memory(Report report, BenchedServer server, Process node) throws Exception {
        long serverRss = server.rssKb(); // as the run left it: serve's own collector decides, as it would for a user
        System.gc();
        Thread.sleep(500);
        long nodeRss = ProcStat.rssKb(node.pid());
        long jvmRss = ProcStat.rssKb(ProcessHandle.current().pid());
        Runtime rt = Runtime.getRuntime();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("process", "RSS MB", "heap used after GC MB", "heap committed MB", "max heap MB"));
        if (serverRss >= 0) {
            rows.add(List.of("thimble serve (its own process)", fmt(serverRss / 1024.0), "–", "–", "–"));
            rows.add(List.of("the bench's clients (one JVM)", fmt(jvmRss / 1024.0), fmt((rt.totalMemory() - rt.freeMemory()) / 1048576.0),
                    fmt(rt.totalMemory() / 1048576.0), fmt(rt.maxMemory() / 1048576.0)));
        } else {
            rows.add(List.of("Thimble server + bench clients (one JVM)", fmt(jvmRss / 1024.0), fmt((rt.totalMemory() - rt.freeMemory()) / 1048576.0),
                    fmt(rt.totalMemory() / 1048576.0), fmt(rt.maxMemory() / 1048576.0)));
        }
        rows.add(List.of("Node + Express + driver", fmt(nodeRss / 1024.0), "–", "–", "–"));
        report.table("Memory after the run", rows);
    }

    private static String fmt(double d) {
        return d >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", d) : String.format(java.util.Locale.ROOT, "%.2f", d);
    }

    static String cpuBody() {
        return "{\"name\":\"cpu\",\"arguments\":[{\"$numberInt\":\"" + CPU_N + "\"}]}";
    }

    static FunctionDef function(String name, String source) {
        return new FunctionDef(Json.parse("{\"name\":\"" + name + "\",\"private\":false,\"run_as_system\":false,\"can_evaluate\":{},\"disable_arg_logs\":false}"), source);
    }

    static AppModel withFunction(AppModel m, FunctionDef replacement) {
        List<FunctionDef> fs = new ArrayList<>();
        for (FunctionDef f : m.functions()) {
            fs.add(f.name().equals(replacement.name()) ? replacement : f);
        }
        return new AppModel(m.metadata(), m.authProviders(), fs, m.services(), m.triggers(), m.values(), m.secretNames(),
                m.environments(), m.endpoints(), m.otherFiles());
    }

    private static String engineName() {
        try (var engine = org.graalvm.polyglot.Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            return engine.getImplementationName();
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
