package dev.thimble.bench;

import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.FunctionDebugger;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.principal.Principal;
import org.bson.BsonInt32;
import org.bson.Document;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Issue 7's benchmark: what debugging costs a function call. Two hosts of the same app run side by
 * side in one JVM: one with debugging off, one with a debugger attached and no breakpoint that the
 * call hits. Each is measured through the client API ({@code callFunction('sum', 1, 2)} over HTTP)
 * and directly on the engine ({@code FunctionEngine.execute}), interleaved within each round.
 */
public final class DebuggerOverheadBench {
    static final String OFF_HTTP = "debugging off, callFunction over HTTP";
    static final String ON_HTTP = "debugger attached, no breakpoint hit, callFunction over HTTP";
    static final String OFF_ENGINE = "debugging off, engine.execute";
    static final String ON_ENGINE = "debugger attached, no breakpoint hit, engine.execute";
    static final String BODY = "{\"name\":\"sum\",\"arguments\":[{\"$numberInt\":\"1\"},{\"$numberInt\":\"2\"}]}";

    public static void main(String[] args) throws Exception {
        Path scratch = Files.createTempDirectory("thimble-bench-debugger");
        Report report = new Report("debugger", "Function latency with debugging off vs a debugger attached without breakpoints (issue 7)");
        AppModel model = Common.exampleApp(fs -> {
            fs.add(FunctionCallBench.function("sum", "exports = function(a, b) { return a + b; };"));
            return fs;
        });
        try (AppHost off = Common.start(model, scratch.resolve("off"));
             AppHost on = Common.start(model, scratch.resolve("on"))) {
            Breakpoints breakpoints = new Breakpoints();
            // a breakpoint elsewhere in the app, as a developer would have one: it must not cost the calls that do not reach it
            breakpoints.set(Breakpoints.Line.at("functions/addItem/source.js", 4));
            try (FunctionDebugger debugger = FunctionDebugger.attach(on.services().functions(), breakpoints)) {
                HttpClient http = Common.httpClient();
                AuthService.LoginResult offLogin = off.auth().login("anon-user", new Document(), "127.0.0.1", null);
                AuthService.LoginResult onLogin = on.auth().login("anon-user", new Document(), "127.0.0.1", null);
                var offCall = Common.call(off.clientApiUrl(), offLogin.accessToken(), BODY);
                var onCall = Common.call(on.clientApiUrl(), onLogin.accessToken(), BODY);
                Common.check(ok(Common.send(http, offCall)), "off host answers sum");
                Common.check(ok(Common.send(http, onCall)), "debugged host answers sum");
                ExecutionRequest request = ExecutionRequest.asUser(Principal.normal("bench"));
                List<org.bson.BsonValue> sumArgs = List.of(new BsonInt32(1), new BsonInt32(2));

                IntFunction<Load.Op> offHttp = c -> () -> ok(http.send(offCall, HttpResponse.BodyHandlers.ofString()));
                IntFunction<Load.Op> onHttp = c -> () -> ok(http.send(onCall, HttpResponse.BodyHandlers.ofString()));
                IntFunction<Load.Op> offEngine = c -> () -> new BsonInt32(3).equals(off.services().functions().execute("sum", sumArgs, request).value());
                IntFunction<Load.Op> onEngine = c -> () -> new BsonInt32(3).equals(on.services().functions().execute("sum", sumArgs, request).value());

                report.describe(OFF_HTTP, "POST functions/call " + BODY + " with a Bearer token, to a host with no debugger (the runtime as before issue 7, plus its unused debugger seam)");
                report.describe(ON_HTTP, "the same request to a second host of the same app whose functions run on a debug Engine with a Truffle debugger session, "
                        + "one line breakpoint in addItem (never reached), every function bound up front per execution (what step-into needs)");
                report.describe(OFF_ENGINE, "FunctionEngine.execute(\"sum\", [1, 2]) in process on the undebugged host: no HTTP, no auth, no log record");
                report.describe(ON_ENGINE, "the same on the debugged host");

                String[] names = {OFF_HTTP, ON_HTTP, OFF_ENGINE, ON_ENGINE};
                Common.measureInterleaved(report, names, List.of(offHttp, onHttp, offEngine, onEngine));
                for (int clients : new int[]{1, Common.CONCURRENT}) {
                    report.ratio("attached / off, over HTTP", ON_HTTP, OFF_HTTP, clients);
                    report.ratio("attached / off, engine.execute", ON_ENGINE, OFF_ENGINE, clients);
                }
                report.note("Rounds: " + Common.ROUNDS + " × " + Common.ROUND_MILLIS + " ms per case and client count, cases interleaved within each round; "
                        + "warm-up " + Common.WARMUP_MILLIS + " ms per case first. Both hosts, their embedded databases and the clients share one JVM on a "
                        + Runtime.getRuntime().availableProcessors() + "-core machine.");
                report.note("'Off' is what every request pays when nobody debugs: the seam adds one volatile read (the observer) and a wait loop "
                        + "that re-reads the execution's deadline each second; the debug Engine, the session and binding every function up front "
                        + "exist only on the attached host.");
                report.note("The attached host had " + debugger.runningExecutions().size() + " executions left running at the end (expected 0).");
            }
        } finally {
            Common.deleteTree(scratch);
        }
        report.write(Common.RESULTS, Common.COMMAND);
    }

    private static boolean ok(HttpResponse<String> r) {
        return r.statusCode() == 200 && r.body().contains("3");
    }
}
