package dev.thimble.runtime.sdk;

import com.sun.net.httpserver.HttpServer;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ServiceRuleDef;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Stitch and Realm SDKs call a function that uses the HTTP service against a loopback server. */
class HttpServiceSdkTest {
    @TempDir
    static Path dir;
    static HttpServer fake;
    static AppHost host;

    @BeforeAll
    static void start() throws Exception {
        fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/greeting", exchange -> {
            String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] body = ("{\"hello\":\"world\",\"method\":\"" + exchange.getRequestMethod() + "\",\"sent\":\"" + sent + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        AppModel app = new AppModel(Json.parse("{\"app_id\": \"greet-abcde\", \"name\": \"greet\"}"),
                List.of(new AuthProviderDef(Json.parse("{\"name\": \"anon-user\", \"type\": \"anon-user\"}"))),
                List.of(new FunctionDef(Json.parse("{\"name\": \"fetchGreeting\"}"),
                                "exports = async function(url, sent) {\n"
                                        + "  const r = await context.services.get('greeter').post({url, body: sent || 'from realm'});\n"
                                        + "  return {status: r.status, statusCode: r.statusCode, json: JSON.parse(r.body.text())};\n};"),
                        new FunctionDef(Json.parse("{\"name\": \"plainFetch\"}"),
                                "exports = async (url) => (await context.http.get({url})).body.text();")),
                List.of(new ServiceDef(Json.parse("{\"name\": \"greeter\", \"type\": \"http\", \"config\": {}}"), List.of(), null,
                        List.of(new ServiceRuleDef(Json.parse("{\"name\": \"loopback\", \"actions\": [\"post\"],"
                                + " \"when\": {\"%%args.url.host\": \"127.0.0.1\"}}"))), List.of())),
                List.of(), List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
        host = AppHost.start(app, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")),
                new SecretStore(dir.resolve("secrets.json"))));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        fake.stop(0);
    }

    @Test
    void bothSdksCallAFunctionThatUsesTheHttpService() throws Exception {
        NodeSdkRunner.Result result = NodeSdkRunner.run(Map.of("THIMBLE_BASE_URL", host.baseUrl(), "THIMBLE_APP_ID", "greet-abcde",
                "THIMBLE_FAKE_URL", "http://127.0.0.1:" + fake.getAddress().getPort()), "services.test.mjs");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as(result.output()).contains("# pass 3", "# fail 0");
    }
}
