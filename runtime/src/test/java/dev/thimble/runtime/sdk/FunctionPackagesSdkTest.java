package dev.thimble.runtime.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.npm.FunctionModules;
import dev.thimble.runtime.npm.NpmInstaller;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance suite of real npm packages (the target's most-required list): the versions pinned in
 * {@code test-clients/function-packages/package-lock.json} are installed by Thimble itself from the npm
 * registry (integrity-checked, no scripts; cached in that folder's {@code .thimble-cache}), each package
 * is required in a function doing a typical operation, and realm-web calls the functions. HTTP clients
 * (axios, node-fetch, twilio) reach a loopback server through the http built-in and context.http's door.
 */
class FunctionPackagesSdkTest {
    static final Path PACKAGES = NodeSdkRunner.TEST_CLIENTS.resolve("function-packages");
    static final List<String> FUNCTIONS = List.of("lodash", "moment", "jsonwebtoken", "ids", "encodings", "validation", "dates", "misc",
            "axios", "nodefetch", "twilio", "refused");
    @TempDir
    static Path dir;
    static HttpServer fake;
    static AppHost host;

    @BeforeAll
    static void start() throws Exception {
        fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/", FunctionPackagesSdkTest::answer);
        fake.start();
        Path bundle = dir.resolve("app");
        Files.createDirectories(bundle.resolve("functions"));
        Files.copy(PACKAGES.resolve("package.json"), bundle.resolve("functions/package.json"));
        Files.copy(PACKAGES.resolve("package-lock.json"), bundle.resolve("functions/package-lock.json"));
        FunctionModules.Prepared modules = FunctionModules.prepare(bundle, PACKAGES.resolve(".thimble-cache"), NpmInstaller.standard(),
                line -> { });
        List<FunctionDef> functions = new ArrayList<>();
        for (String name : FUNCTIONS) {
            functions.add(new FunctionDef(Json.parse("{\"name\": \"" + name + "\"}"), resource("function-packages/" + name + ".js")));
        }
        AppModel app = new AppModel(Json.parse("{\"app_id\": \"packages-abcde\", \"name\": \"packages\"}"),
                List.of(new AuthProviderDef(Json.parse("{\"name\": \"anon-user\", \"type\": \"anon-user\"}"))),
                functions, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
        host = AppHost.start(app, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")),
                new SecretStore(dir.resolve("secrets.json"))).withFunctionModules(modules.root()));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        if (fake != null) {
            fake.stop(0);
        }
    }

    @Test
    void realNpmPackagesWorkInFunctionsCalledThroughRealmWeb() throws Exception {
        NodeSdkRunner.Result result = NodeSdkRunner.run(Map.of("THIMBLE_BASE_URL", host.baseUrl(), "THIMBLE_APP_ID", "packages-abcde",
                "THIMBLE_FAKE_URL", "http://127.0.0.1:" + fake.getAddress().getPort(),
                "THIMBLE_KEYS_DIR", keysDir().toString()), 600, "function-packages.test.mjs");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as(result.output()).contains("# pass 12", "# fail 0");
    }

    private static Path keysDir() throws IOException {
        Path keys = dir.resolve("keys");
        Files.createDirectories(keys);
        for (String name : List.of("rsa-priv-pkcs1.pem", "rsa-pub.pem")) {
            Files.writeString(keys.resolve(name), resource("../functions/node-keys/" + name));
        }
        return keys;
    }

    /** The loopback stand-in for outside APIs: /echo, /gzip, /missing and Twilio's Messages resource. */
    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        byte[] answer;
        int status = 200;
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        switch (path) {
            case "/echo" -> answer = ("{\"method\":" + quote(exchange.getRequestMethod()) + ",\"query\":" + quote(String.valueOf(exchange.getRequestURI().getRawQuery()))
                    + ",\"body\":" + quote(body) + ",\"xTest\":" + quote(String.valueOf(exchange.getRequestHeaders().getFirst("X-Test")))
                    + ",\"contentType\":" + quote(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))) + "}").getBytes(StandardCharsets.UTF_8);
            case "/gzip" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                    gz.write("{\"compressed\":true}".getBytes(StandardCharsets.UTF_8));
                }
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                answer = out.toByteArray();
            }
            case "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json" -> {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                boolean authorized = ("Basic " + java.util.Base64.getEncoder().encodeToString(
                        "AC00000000000000000000000000000001:auth-token".getBytes(StandardCharsets.UTF_8))).equals(auth);
                String to = "";
                for (String pair : body.split("&")) {
                    if (pair.startsWith("To=")) {
                        to = URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8);
                    }
                }
                status = authorized ? 201 : 401;
                answer = (authorized ? "{\"sid\": \"SM123\", \"status\": \"queued\", \"to\": " + quote(to) + "}"
                        : "{\"code\": 20003, \"message\": \"Authenticate\", \"status\": 401}").getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                status = 404;
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                answer = "no such thing".getBytes(StandardCharsets.UTF_8);
            }
        }
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FunctionPackagesSdkTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
