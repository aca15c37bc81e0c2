package dev.thimble.bench;

import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.functions.ExecutionThreads;
import dev.thimble.runtime.server.ClientCalls;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.IntFunction;

/**
 * Where a warm {@code findItem} call's time goes (issue 18), below HTTP: the same work measured at four depths of
 * one host, in interleaved blocks on a request-thread kind of thread ({@link ExecutionThreads#pool}), as a client's
 * call runs (decision records 0041, 0042):
 * <ol>
 *   <li>{@code driver}: the driver's {@code find({_id, owner_id}).first()} on the embedded server: the round trip
 *       the Node baseline also pays;</li>
 *   <li>{@code sdk findOne}: {@code ClientCallService.callService(findOne)}: rules, query building, the driver,
 *       conversions, the log record, as the SDK's findOne runs after HTTP;</li>
 *   <li>{@code function sum}: a function call that makes no database call (the call machinery);</li>
 *   <li>{@code function findItem}: the function awaiting {@code findOne({_id})} through
 *       {@code context.services.get('mongodb-atlas')}.</li>
 * </ol>
 * The differences between them are the breakdown. Each block reports p50 and the thread's CPU per call; the first
 * block is warm-up. Not a benchmark of the bench suite (no Node baseline): run by hand, optionally with
 * {@code -XX:StartFlightRecording} for a profile.
 *
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.thimble.bench.DatabaseCallMeasurement [calls per block] [blocks]
 * </pre>
 * {@code -Dmeasure.only=findItem,sdk} keeps the steps whose name contains one of the words; {@code -Dmeasure.clients=16} runs
 * each block on that many threads at once and adds the calls per second.
 */
public final class DatabaseCallMeasurement {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Functions that each do a part of findItem's work, so their differences locate its cost. */
    private static final Map<String, String> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("part-micro", """
                exports = async function(id) {
                  const N = 300, out = {};
                  const doc = { _id: id, owner_id: 'abc', text: 'item 1', done: false, created: new Date() };
                  const text = EJSON.stringify({ v: doc }, { relaxed: false });
                  const time = (name, f) => { f(); const t = Date.now(); for (let i = 0; i < N; i++) f(); out[name] = (Date.now() - t) * 1000 / N; };
                  time('JSON.parse', () => JSON.parse(text));
                  time('EJSON.parse', () => EJSON.parse(text, { relaxed: false }));
                  time('EJSON.stringify', () => EJSON.stringify({ v: doc }, { relaxed: false }));
                  time('JSON.stringify', () => JSON.stringify({ v: { _id: 'x', owner_id: 'abc', text: 'item 1', done: false, created: 5 } }));
                  time('new ObjectId', () => new BSON.ObjectId('5f0000000000000000000001'));
                  time('promise', () => new Promise((res) => res(1)));
                  time('chain', () => context.services.get('mongodb-atlas').db('todo').collection('items'));
                  const c = context.services.get('mongodb-atlas').db('todo').collection('items');
                  time('findOne call (not awaited)', () => c.findOne({ _id: id }));
                  let t = Date.now();
                  for (let i = 0; i < N; i++) await c.findOne({ _id: id });
                  out['findOne awaited'] = (Date.now() - t) * 1000 / N;
                  t = Date.now();
                  for (let i = 0; i < N; i++) await c.count({ _id: id });
                  out['count awaited'] = (Date.now() - t) * 1000 / N;
                  return JSON.stringify(out);
                };
                """);
        PARTS.put("part-refused", "exports = async function(id) { try { await context.services.get('mongodb-atlas').db('todo').collection('norule')"
                + ".findOne({ _id: id }); } catch (e) { return 1; } return 2; };");
        PARTS.put("part-chain", "exports = async function(id) { context.services.get('mongodb-atlas').db('todo').collection('items'); return 1; };");
        PARTS.put("part-echoDoc", "exports = async function(id) { return { _id: id, owner_id: 'x', text: 'item 1', done: false, created: new Date() }; };");
        PARTS.put("part-findNoReturn", "exports = async function(id) { const d = await context.services.get('mongodb-atlas').db('todo').collection('items')"
                + ".findOne({ _id: id }); return d === null ? 0 : 1; };");
    }

    /** {@code -Dmeasure.clients=16}: that many request-thread kind of threads call at once; each block then also reports calls/s. */
    private static final int CLIENTS = Integer.getInteger("measure.clients", 1);

    /** {@code calls} calls of {@code step} on this thread: their times, then the thread's CPU time as the last element. */
    private static long[] run(String name, IntFunction<BsonValue> step, int calls, int offset) {
        long[] samples = new long[calls + 1];
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            BsonValue v = step.apply(i + offset);
            samples[i] = System.nanoTime() - t;
            if (v == null || v.isNull()) {
                throw new IllegalStateException(name + ": no answer");
            }
        }
        samples[calls] = THREADS.getCurrentThreadCpuTime() - cpu0;
        return samples;
    }

    /** How many realms the app version made (a realm that is not given back costs a new one): the engine's own count. */
    private static Object realmsMade(AppHost host) {
        return engineCount(host, "realmsCreated") + " (calls that waited for one given back: " + engineCount(host, "realmsWaitedFor") + ")";
    }

    private static Object engineCount(AppHost host, String name) {
        try {
            var method = host.services().functions().getClass().getDeclaredMethod(name);
            method.setAccessible(true);
            return method.invoke(host.services().functions());
        } catch (ReflectiveOperationException e) {
            return "unknown (" + e + ")";
        }
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Path scratch = Files.createTempDirectory("thimble-measure-dbcall");
        AppModel model = Common.exampleApp(fs -> {
            fs.add(FunctionCallBench.function("sum", "exports = function(a, b) { return a + b; };"));
            fs.add(FunctionCallBench.function("findItem", FunctionCallBench.FIND_ITEM_SOURCE));
            for (var e : PARTS.entrySet()) {
                fs.add(FunctionCallBench.function(e.getKey(), e.getValue()));
            }
            return fs;
        });
        ExecutorService thread = ExecutionThreads.pool("measure-", CLIENTS);
        try (AppHost host = Common.start(model, scratch)) {
            host.services().functions().awaitWarmUp(Duration.ofMinutes(3));
            AuthService.LoginResult login = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
            AuthService.Authenticated caller = host.auth().authenticate(login.accessToken());
            String owner = login.userId();
            List<ObjectId> ids = FunctionCallBench.seedItems(host, owner);
            ClientCalls.CallInfo info = new ClientCalls.CallInfo("POST", host.clientApiUrl() + "/functions/call", "127.0.0.1", Map.of(), "");
            MongoCollection<BsonDocument> items = host.database().database("todo").getCollection("items", BsonDocument.class);
            var calls0 = host.services().calls();

            Map<String, IntFunction<BsonValue>> steps = new LinkedHashMap<>();
            steps.put("driver findOne({_id, owner_id})", i -> items.find(new BsonDocument("_id", new BsonObjectId(ids.get(i % ids.size())))
                    .append("owner_id", new BsonString(owner))).first());
            steps.put("sdk findOne (callService)", i -> calls0.callService(caller, "mongodb-atlas", "findOne",
                    new BsonDocument("database", new BsonString("todo")).append("collection", new BsonString("items"))
                            .append("query", new BsonDocument("_id", new BsonObjectId(ids.get(i % ids.size())))), info));
            steps.put("function sum (callFunction)", i -> calls0.callFunction(caller, "sum", new BsonArray(List.of(new BsonInt32(i), new BsonInt32(2))), info));
            steps.put("function findItem (callFunction)", i -> calls0.callFunction(caller, "findItem",
                    new BsonArray(List.of(new BsonObjectId(ids.get(i % ids.size())))), info));
            if (Boolean.getBoolean("measure.micro")) {
                thread.submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        System.out.println(calls0.callFunction(caller, "part-micro", new BsonArray(List.of(new BsonObjectId(ids.get(0)))), info));
                    }
                    return null;
                }).get();
                System.exit(0);
            }
            for (String part : PARTS.keySet()) {
                steps.put("function " + part, i -> calls0.callFunction(caller, part, new BsonArray(List.of(new BsonObjectId(ids.get(i % ids.size())))), info));
            }
            String only = System.getProperty("measure.only", "");
            if (!only.isBlank()) {
                steps.keySet().removeIf(name -> Arrays.stream(only.split(",")).noneMatch(w -> name.contains(w.trim())));
            }
            Map<String, List<Long>> all = new LinkedHashMap<>();
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            Map<String, List<Double>> cpus = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(steps.keySet());
            for (int block = 0; block < blocks; block++) {
                for (int turn = 0; turn < names.size(); turn++) {
                    String name = names.get((block + turn) % names.size()); // who goes first rotates
                    IntFunction<BsonValue> step = steps.get(name);
                    List<java.util.concurrent.Future<long[]>> each = new ArrayList<>();
                    long wall0 = System.nanoTime();
                    for (int c = 0; c < CLIENTS; c++) {
                        int offset = c * 7919;
                        each.add(thread.submit(() -> run(name, step, calls, offset)));
                    }
                    long[] samples = new long[0];
                    long cpu = 0;
                    for (var f : each) {
                        long[] one = f.get();
                        cpu += one[calls];
                        samples = concat(samples, Arrays.copyOf(one, calls));
                    }
                    double perSecond = CLIENTS * (double) calls / ((System.nanoTime() - wall0) / 1e9);
                    Arrays.sort(samples);
                    if (block > 0) {
                        List<Long> list = all.computeIfAbsent(name, k -> new ArrayList<>());
                        for (long x : samples) list.add(x);
                        rates.computeIfAbsent(name, k -> new ArrayList<>()).add(perSecond);
                        cpus.computeIfAbsent(name, k -> new ArrayList<>()).add(cpu / 1e3 / samples.length);
                    }
                    System.out.printf("block %d %-36s p50 %8.1f us  p90 %8.1f us  thread CPU %8.1f us/call  %7.0f calls/s  realms made %s%n", block, name,
                            samples[samples.length / 2] / 1e3, samples[samples.length * 9 / 10] / 1e3, cpu / 1e3 / samples.length, perSecond, realmsMade(host));
                }
            }
            System.out.println("clients: " + CLIENTS + "; realms made: " + realmsMade(host) + "; load: " + Files.readString(Path.of("/proc/loadavg")).trim());
            for (var e : all.entrySet()) {
                long[] x = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
                double[] r = rates.get(e.getKey()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double[] c = cpus.get(e.getKey()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf("%-36s all warm blocks p50 %8.1f us  p90 %8.1f us  median block %7.0f calls/s, %7.1f us thread CPU/call%n", e.getKey(),
                        x[x.length / 2] / 1e3, x[x.length * 9 / 10] / 1e3, r[r.length / 2], c[c.length / 2]);
            }
        } finally {
            thread.shutdownNow();
            Common.deleteTree(scratch);
        }
        System.exit(0);
    }
}
