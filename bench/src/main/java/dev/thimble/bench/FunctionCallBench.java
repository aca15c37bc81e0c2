package dev.thimble.bench;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.auth.AuthService;
import org.bson.Document;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Issue 4's benchmark: warm {@code callFunction('sum', 1, 2)} through the client API against the
 * same request to a Node 20 server (built-in {@code http}) running {@code (a, b) => a + b}, at 1 and
 * 16 clients; and the first call after a hot reload that changed the function's source.
 */
public final class FunctionCallBench {
    static final String THIMBLE = "thimble callFunction sum";
    static final String NODE = "node http sum";
    static final int RELOADS = Integer.getInteger("bench.reloads", 10);
    static final String BODY = "{\"name\":\"sum\",\"arguments\":[{\"$numberInt\":\"1\"},{\"$numberInt\":\"2\"}]}";

    static final String NODE_SERVER = """
            'use strict';
            // The baseline: what a user would write by hand in Node 20 with the built-in http module.
            const http = require('http');
            const functions = { sum: (a, b) => a + b };
            const decode = (v) => {
              if (v && typeof v === 'object') {
                if ('$numberInt' in v) return parseInt(v.$numberInt, 10);
                if ('$numberDouble' in v) return parseFloat(v.$numberDouble);
                if ('$numberLong' in v) return Number(v.$numberLong);
              }
              return v;
            };
            const encode = (n) => (typeof n === 'number'
              ? (Number.isInteger(n) && Math.abs(n) < 2 ** 31 ? { $numberInt: String(n) } : { $numberDouble: String(n) })
              : n);
            const server = http.createServer((req, res) => {
              let body = '';
              req.setEncoding('utf8');
              req.on('data', (chunk) => { body += chunk; });
              req.on('end', () => {
                try {
                  if (!(req.headers.authorization || '').startsWith('Bearer ')) {
                    res.writeHead(401, { 'Content-Type': 'application/json' });
                    res.end('{"error":"missing token"}');
                    return;
                  }
                  const call = JSON.parse(body);
                  const fn = functions[call.name];
                  if (!fn) {
                    res.writeHead(404, { 'Content-Type': 'application/json' });
                    res.end('{"error":"function not found"}');
                    return;
                  }
                  const out = JSON.stringify(encode(fn(...call.arguments.map(decode))));
                  res.writeHead(200, { 'Content-Type': 'application/json' });
                  res.end(out);
                } catch (e) {
                  res.writeHead(400, { 'Content-Type': 'application/json' });
                  res.end(JSON.stringify({ error: String(e) }));
                }
              });
            });
            server.keepAliveTimeout = 60000;
            server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
            """;

    public static void main(String[] args) throws Exception {
        Path scratch = Files.createTempDirectory("thimble-bench-functions");
        Report report = new Report("functions", "callFunction('sum', 1, 2): Thimble (GraalJS) vs Node 20 http; first call after a hot reload");
        Process node = null;
        AppModel model = Common.exampleApp(fs -> {
            fs.add(sum("exports = function(a, b) { return a + b; };"));
            return fs;
        });
        try (AppHost host = Common.start(model, scratch)) {
            Path script = scratch.resolve("sum-server.js");
            Files.writeString(script, NODE_SERVER);
            node = new ProcessBuilder(System.getProperty("bench.node", "node"), script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader nodeOut = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String portLine = nodeOut.readLine();
            Common.check(portLine != null && portLine.startsWith("PORT "), "node server did not start: " + portLine);
            String nodeVersion = new String(new ProcessBuilder(System.getProperty("bench.node", "node"), "--version")
                    .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String nodeApi = "http://127.0.0.1:" + portLine.substring(5).trim() + "/api/client/v2.0/app/" + model.clientAppId();

            AuthService.LoginResult login = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
            HttpClient http = Common.httpClient();
            HttpRequest thimbleCall = Common.call(host.clientApiUrl(), login.accessToken(), BODY);
            HttpRequest nodeCall = Common.call(nodeApi, login.accessToken(), BODY);
            var t = Common.send(http, thimbleCall);
            var n = Common.send(http, nodeCall);
            System.err.println("thimble answers " + t.statusCode() + " " + t.body() + "; node answers " + n.statusCode() + " " + n.body());
            Common.check(t.statusCode() == 200 && t.body().contains("3"), "thimble sum: " + t.statusCode() + " " + t.body());
            Common.check(n.statusCode() == 200 && n.body().contains("3"), "node sum: " + n.body());

            IntFunction<Load.Op> thimble = c -> () -> ok(http.send(thimbleCall, HttpResponse.BodyHandlers.ofString()));
            IntFunction<Load.Op> nodeOp = c -> () -> ok(http.send(nodeCall, HttpResponse.BodyHandlers.ofString()));
            report.describe(THIMBLE, "POST functions/call " + BODY + " with an anon-user's Bearer access token, as the Stitch SDK sends it; "
                    + "the function `exports = function(a, b) { return a + b; };` added to the example app's model in memory");
            report.describe(NODE, "the same request (same HttpClient) to a Node " + nodeVersion + " server on the built-in http module that parses the "
                    + "canonical EJSON arguments, runs (a, b) => a + b and answers canonical EJSON; it checks only that a Bearer header is present "
                    + "(no JWT verification, no log record): the floor a hand-written server could reach");

            String[] names = {THIMBLE, NODE};
            List<IntFunction<Load.Op>> cases = List.of(thimble, nodeOp);
            Common.measureInterleaved(report, names, cases);
            for (int clients : new int[]{1, Common.CONCURRENT}) {
                report.ratio("Thimble callFunction / Node http", THIMBLE, NODE, clients);
            }

            // Hot reload: change the source, reload, time the first call (sequential), then a second one.
            double[] reloadMicros = new double[RELOADS];
            double[] firstMicros = new double[RELOADS];
            double[] secondMicros = new double[RELOADS];
            for (int i = 0; i < RELOADS; i++) {
                int bump = i + 1;
                AppModel changed = withSum(host.app(), "exports = function(a, b) { return a + b + " + bump + "; };");
                long r0 = System.nanoTime();
                host.reload(changed);
                long r1 = System.nanoTime();
                var first = Common.send(http, thimbleCall);
                long r2 = System.nanoTime();
                var second = Common.send(http, thimbleCall);
                long r3 = System.nanoTime();
                String expected = String.valueOf(3 + bump);
                Common.check(first.statusCode() == 200 && first.body().contains(expected), "first call after reload " + bump + ": " + first.body());
                Common.check(second.statusCode() == 200 && second.body().contains(expected), "second call after reload: " + second.body());
                reloadMicros[i] = (r1 - r0) / 1e3;
                firstMicros[i] = (r2 - r1) / 1e3;
                secondMicros[i] = (r3 - r2) / 1e3;
                for (int w = 0; w < 50; w++) {
                    Common.send(http, thimbleCall); // settle between reloads
                }
            }
            report.single("host.reload(changed sum)", "time spent in host.reload(model) with only sum's source changed (the call returns before or after re-parsing, as the runtime chooses)", reloadMicros);
            report.single("first call after reload", "the first callFunction('sum', 1, 2) after each reload, sequential; its answer proves the new source ran", firstMicros);
            report.single("second call after reload", "the call right after that first one", secondMicros);
            report.ratioOfSingle("first call after reload / warm call (1-client p50)", "first call after reload", report.medians(THIMBLE, 1)[0], THIMBLE + " @1");
            report.ratioOfSingle("first call after reload / Node warm call (1-client p50)", "first call after reload", report.medians(NODE, 1)[0], NODE + " @1");

            report.note("Rounds: " + Common.ROUNDS + " × " + Common.ROUND_MILLIS + " ms per case and client count, cases interleaved within each round; "
                    + "warm-up " + Common.WARMUP_MILLIS + " ms per case first; " + RELOADS + " reloads. Closed loop: each client sends its next request when the previous answer arrives.");
            report.note("Thimble (server, embedded database, GraalJS) and the clients run in one JVM; Node runs in its own process; all on a shared "
                    + Runtime.getRuntime().availableProcessors() + "-core machine, so the 16-client numbers include CPU contention. Compare ratios, not absolute numbers.");
            report.note("GraalJS engine: " + engineName() + " (the runtime's own engine options; the benchmark JVM runs GraalJS from the class path). "
                    + "A Thimble call also verifies the JWT, applies run-as semantics and writes a log record (batched); the Node baseline does none of that.");
            report.note("Not measured yet (issue 4 asks for them): Node + Express + the mongodb driver as the baseline, and a CPU-heavy function against Node.");
        } finally {
            if (node != null) {
                node.destroy();
                node.waitFor(5, TimeUnit.SECONDS);
            }
            Common.deleteTree(scratch);
        }
        report.write(Common.RESULTS, Common.COMMAND);
    }

    private static boolean ok(HttpResponse<String> r) {
        return r.statusCode() == 200 && r.body().contains("3");
    }

    static FunctionDef sum(String source) {
        return new FunctionDef(Json.parse("{\"name\":\"sum\",\"private\":false,\"run_as_system\":false,\"can_evaluate\":{},\"disable_arg_logs\":false}"), source);
    }

    static AppModel withSum(AppModel m, String source) {
        List<FunctionDef> fs = new ArrayList<>();
        for (FunctionDef f : m.functions()) {
            fs.add(f.name().equals("sum") ? sum(source) : f);
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
