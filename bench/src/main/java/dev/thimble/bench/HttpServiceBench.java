package dev.thimble.bench;

import com.sun.net.httpserver.HttpServer;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ServiceRuleDef;
import dev.thimble.runtime.auth.AuthService;
import org.bson.Document;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * Issue 5's HTTP service: a client-called function that awaits {@code context.services.get('outside').get({url})}
 * (rules checked, call logged) against the same function path without the outgoing call, and against
 * the outgoing request made directly with java.net.http; 1 and 16 clients.
 */
public final class HttpServiceBench {
    static final String SERVICE = "function + HTTP service GET";
    static final String CONTEXT_HTTP = "function + context.http GET";
    static final String NOOP = "function without the call";
    static final String DIRECT = "direct java.net.http GET";

    public static void main(String[] args) throws Exception {
        Path scratch = Files.createTempDirectory("thimble-bench-httpservice");
        Report report = new Report("httpservice", "HTTP service from a function vs the same function without it vs a direct request");
        HttpServer outside = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService outsideThreads = Executors.newFixedThreadPool(Common.CONCURRENT);
        outside.setExecutor(outsideThreads);
        outside.createContext("/ping", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        outside.start();
        String ping = "http://127.0.0.1:" + outside.getAddress().getPort() + "/ping";
        try (AppHost host = Common.start(app(), scratch)) {
            AuthService.LoginResult login = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
            String api = host.clientApiUrl();
            HttpClient http = Common.httpClient();
            String arguments = "\"arguments\":[\"" + ping + "\"]}";
            HttpRequest viaService = Common.call(api, login.accessToken(), "{\"name\":\"pingViaService\"," + arguments);
            HttpRequest viaContextHttp = Common.call(api, login.accessToken(), "{\"name\":\"pingViaContextHttp\"," + arguments);
            HttpRequest noop = Common.call(api, login.accessToken(), "{\"name\":\"pingWithoutCall\"," + arguments);
            HttpRequest direct = HttpRequest.newBuilder(URI.create(ping)).GET().build();
            for (HttpRequest request : List.of(viaService, viaContextHttp, noop)) {
                var r = Common.send(http, request);
                Common.check(r.statusCode() == 200 && r.body().equals("\"pong\""), request.uri() + ": " + r.statusCode() + " " + r.body());
            }
            Common.check(Common.send(http, direct).body().equals("pong"), "direct GET");

            IntFunction<Load.Op> service = c -> () -> ok(http.send(viaService, HttpResponse.BodyHandlers.ofString()), "\"pong\"");
            IntFunction<Load.Op> contextHttp = c -> () -> ok(http.send(viaContextHttp, HttpResponse.BodyHandlers.ofString()), "\"pong\"");
            IntFunction<Load.Op> without = c -> () -> ok(http.send(noop, HttpResponse.BodyHandlers.ofString()), "\"pong\"");
            IntFunction<Load.Op> plain = c -> () -> ok(http.send(direct, HttpResponse.BodyHandlers.ofString()), "pong");
            report.describe(SERVICE, "POST functions/call pingViaService(url) as an anon-user (Bearer token, canonical EJSON): awaits "
                    + "context.services.get('outside').get({url}) — rule check (%%args.url.host), the outgoing GET to a loopback server, "
                    + "a SERVICE_FUNCTION log record — and returns body.text()");
            report.describe(CONTEXT_HTTP, "the same through context.http.get({url}) (no rules; still logged)");
            report.describe(NOOP, "POST functions/call pingWithoutCall(url): the same function path returning 'pong' without the outgoing call");
            report.describe(DIRECT, "GET <url> with java.net.http.HttpClient to the same loopback server (com.sun.net.httpserver, 16 threads)");

            String[] names = {SERVICE, CONTEXT_HTTP, NOOP, DIRECT};
            Common.measureInterleaved(report, names, List.of(service, contextHttp, without, plain));
            for (int clients : new int[]{1, Common.CONCURRENT}) {
                report.ratio("(a) with the HTTP service / (c) without the call", SERVICE, NOOP, clients);
                report.ratio("(b) with context.http / (c) without the call", CONTEXT_HTTP, NOOP, clients);
                report.ratio("(a) with the HTTP service / (d) direct GET", SERVICE, DIRECT, clients);
            }
            report.note("Rounds: " + Common.ROUNDS + " × " + Common.ROUND_MILLIS + " ms per case and client count, cases interleaved; warm-up "
                    + Common.WARMUP_MILLIS + " ms per case. Closed loop. Server, embedded database, outside server and clients share one JVM on a "
                    + Runtime.getRuntime().availableProcessors() + "-core machine; compare ratios, not absolute numbers.");
            report.note("GraalJS runs interpreter-only here (class path), as in `bench/run functions`' first run.");
        } finally {
            outside.stop(0);
            outsideThreads.shutdownNow();
            Common.deleteTree(scratch);
        }
        report.write(Common.RESULTS, Common.COMMAND);
    }

    private static boolean ok(HttpResponse<String> response, String body) {
        return response.statusCode() == 200 && response.body().equals(body);
    }

    /** The example app (no triggers) with an http service "outside" allowed to reach 127.0.0.1, and the three functions. */
    static AppModel app() {
        AppModel m = AppBundles.read(Common.EXAMPLE).app();
        List<FunctionDef> functions = new ArrayList<>(m.functions());
        functions.add(new FunctionDef(Json.parse("{\"name\": \"pingViaService\"}"),
                "exports = async (url) => (await context.services.get('outside').get({url})).body.text();"));
        functions.add(new FunctionDef(Json.parse("{\"name\": \"pingViaContextHttp\"}"),
                "exports = async (url) => (await context.http.get({url})).body.text();"));
        functions.add(new FunctionDef(Json.parse("{\"name\": \"pingWithoutCall\"}"), "exports = async (url) => 'pong';"));
        List<ServiceDef> services = new ArrayList<>(m.services());
        services.add(new ServiceDef(Json.parse("{\"name\": \"outside\", \"type\": \"http\", \"config\": {}}"), List.of(), null,
                List.of(new ServiceRuleDef(Json.parse("{\"name\": \"loopback\", \"actions\": [\"get\"], \"when\": {\"%%args.url.host\": \"127.0.0.1\"}}"))),
                List.of()));
        return new AppModel(m.metadata(), m.authProviders(), functions, services, List.of(), m.values(), m.secretNames(),
                m.environments(), m.endpoints(), m.otherFiles());
    }
}
