package dev.thimble.runtime.edge;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.server.ClientApiServer;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits of the client API: each answers a 4xx in the protocol's shape (never a 500 or a
 * dropped connection), changes nothing, and the server goes on serving.
 */
class LimitsTest {
    @TempDir
    static Path temp;
    static AppHost host;
    static ClientHttp client;
    static String accessToken;

    @BeforeAll
    static void start() throws IOException {
        Path app = temp.resolve("app");
        copy(Path.of("../examples/todo"), app);
        Path big = Files.createDirectories(app.resolve("functions/bigResult"));
        Files.writeString(big.resolve("config.json"), "{\"name\": \"bigResult\", \"private\": false}");
        Files.writeString(big.resolve("source.js"), "exports = function(megabytes) { return 'x'.repeat(megabytes * 1024 * 1024); };");
        Path hog = Files.createDirectories(app.resolve("functions/memoryHog"));
        Files.writeString(hog.resolve("config.json"), "{\"name\": \"memoryHog\", \"private\": false}");
        Files.writeString(hog.resolve("source.js"), "exports = function() { const keep = []; while (true) keep.push(new Array(100000).fill(1.5)); };");
        host = AppHost.start(AppBundles.read(app).app(), AppHost.HostSettings.of("127.0.0.1", 0,
                DatabaseSettings.embedded(temp.resolve("db")), new SecretStore(temp.resolve("s.json"))));
        client = new ClientHttp(host);
        accessToken = client.login("anon-user", "{}").accessToken();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void assertClientError(ClientHttp.Answer answer, int status, String code, String messagePart) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(status);
        assertThat(answer.response().headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.text("error_code")).isEqualTo(code);
        assertThat(answer.text("error")).contains(messagePart).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void assertStillServing() {
        assertThat(client.callFunction(accessToken, "itemsDueSoon", "[7]").status()).isEqualTo(200);
    }

    // ---- nesting depth --------------------------------------------------------------------------

    static String deep(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth/providers/local-userpass/login", "auth/providers/local-userpass/register",
            "auth/providers/local-userpass/confirm", "auth/providers/local-userpass/reset/send", "auth/providers/anon-user/login",
            "functions/call"})
    void tenThousandDeepJsonIsA400OnEveryJsonRoute(String route) {
        ClientHttp.Answer answer = client.post("/app/todo-thmbl/" + route, deep(10_000), accessToken);

        assertClientError(answer, 400, "InvalidParameter", "deeper than 100 levels");
        assertStillServing();
    }

    @Test
    void deepJsonInAnArgumentOrAWatchRequestIsA400() {
        String arguments = "[" + deep(5_000) + "]";
        assertClientError(client.callFunction(accessToken, "itemsDueSoon", arguments), 400, "InvalidParameter", "deeper than");

        String request = Base64.getEncoder().encodeToString(("{\"name\":\"watch\",\"service\":\"mongodb-atlas\",\"arguments\":["
                + deep(5_000) + "]}").getBytes(StandardCharsets.UTF_8));
        ClientHttp.Answer watch = client.send(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call?baas_request="
                + URLEncoder.encode(request, StandardCharsets.UTF_8))).GET(), accessToken);
        assertClientError(watch, 400, "InvalidParameter", "deeper than");
        assertStillServing();
    }

    @Test
    void jsonNestedWithinTheLimitIsAccepted() {
        ClientHttp.Answer answer = client.callFunction(accessToken, "itemsDueSoon", "[7, " + deep(90) + "]");
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
    }

    // ---- wrong types ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"{\"token\": 5, \"tokenId\": \"x\"}", "{\"token\": \"x\", \"tokenId\": {\"$oid\": \"65a000000000000000000015\"}}",
            "{\"token\": [1], \"tokenId\": true}"})
    void aTokenOfTheWrongTypeOnConfirmIsA400(String body) {
        assertClientError(client.post("/app/todo-thmbl/auth/providers/local-userpass/confirm", body, null), 400, "InvalidParameter", "must be a string");
        assertClientError(client.post("/app/todo-thmbl/auth/providers/local-userpass/reset", body.substring(0, body.lastIndexOf('}')) + ", \"password\": \"secret123\"}", null),
                400, "InvalidParameter", "must be a string");
    }

    // ---- passwords ------------------------------------------------------------------------------

    @Test
    void aPasswordOverBcrypts72BytesRegistersAndLogsInAndOnlyTheWholePasswordWorks() {
        String password = "é".repeat(100) + "-end"; // 204 UTF-8 bytes, 104 characters
        assertThat(client.register("long@example.com", password).status()).isEqualTo(201);

        assertThat(client.profile(client.loginEmail("long@example.com", password).accessToken()).status()).isEqualTo(200);
        ClientHttp.Answer samePrefix = client.post("/app/todo-thmbl/auth/providers/local-userpass/login",
                "{\"username\":\"long@example.com\",\"password\":\"" + "é".repeat(100) + "-END\"}", null);
        assertClientError(samePrefix, 401, "InvalidPassword", "invalid username/password");
    }

    @Test
    void aPasswordHashStoredBeforeThePrehashStillLogsIn() {
        assertThat(client.register("legacy@example.com", "placeholder").status()).isEqualTo(201);
        host.database().database(AppHost.stateDatabaseName("todo-thmbl")).getCollection("userpass_accounts").updateOne(
                Filters.eq("email_key", "legacy@example.com"),
                Updates.set("password_hash", BCrypt.withDefaults().hashToString(10, "legacy-password".toCharArray())));

        assertThat(client.profile(client.loginEmail("legacy@example.com", "legacy-password").accessToken()).status()).isEqualTo(200);
        assertClientError(client.post("/app/todo-thmbl/auth/providers/local-userpass/login",
                "{\"username\":\"legacy@example.com\",\"password\":\"" + "legacy-password".repeat(6) + "\"}", null), 401, "InvalidPassword", "invalid");
    }

    // ---- e-mail addresses -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ann\\n12:00:00.000 INFO  AuthService - forged@example.com", "esc\\u001b[31m@example.com",
            "nul\\u0000@example.com", "zw\\u200b@example.com", "ls\\u2028@example.com"})
    void controlCharactersInAnEmailAreRefusedAtRegistration(String email) {
        ClientHttp.Answer answer = client.post("/app/todo-thmbl/auth/providers/local-userpass/register",
                "{\"email\":\"" + email + "\",\"password\":\"secret123\"}", null);

        assertClientError(answer, 400, "BadRequest", "not an email address");
        assertThat(host.database().database(AppHost.stateDatabaseName("todo-thmbl")).getCollection("userpass_accounts")
                .countDocuments(Filters.regex("email", "example\\.com$"))).isEqualTo(
                host.database().database(AppHost.stateDatabaseName("todo-thmbl")).getCollection("userpass_accounts")
                        .countDocuments(Filters.in("email_key", "long@example.com", "legacy@example.com")));
    }

    // ---- memory -------------------------------------------------------------------------------

    @Test
    void aFunctionHoldingMoreThanItsShareOfTheHeapIsStoppedAndTheServerGoesOn() {
        long limit = Math.min(350L << 20, Runtime.getRuntime().maxMemory() / 4);
        System.gc();
        long before = heapUsed();
        long[] peakAfterGc = {0};
        javax.management.NotificationListener listener = (notification, handback) -> peakAfterGc[0] = Math.max(peakAfterGc[0], heapUsed());
        var emitters = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(javax.management.NotificationEmitter.class::cast).toList();
        emitters.forEach(e -> e.addNotificationListener(listener, null, null));
        ClientHttp.Answer answer;
        try {
            answer = client.callFunction(accessToken, "memoryHog", "[]");
        } finally {
            for (var emitter : emitters) {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // not added
                }
            }
        }

        assertClientError(answer, 400, "FunctionExecutionError", "used more memory than one execution may (" + (limit >> 20) + " MB");
        // the watchdog samples the execution's allocation: on a loaded machine it looks later and the function runs on
        // meanwhile (a clean-clone run saw 616 MB against 606 allowed); a guard that did not stop it grows to the JVM's
        // ceiling (a quarter of the machine's memory) or fails with OutOfMemoryError
        assertThat(peakAfterGc[0] - before).as("heap growth seen after GCs while it ran, MB")
                .isLessThan(limit + (384L << 20));
        assertStillServing();
    }

    private static long heapUsed() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ---- sizes ----------------------------------------------------------------------------------

    @Test
    void aFunctionResultOverTheResponseLimitIsReadSizeLimitExceeded() {
        long megabytes = ClientApiServer.MAX_RESPONSE_BYTES / (1024 * 1024) + 2;

        ClientHttp.Answer answer = client.callFunction(accessToken, "bigResult", "[" + megabytes + "]");

        assertClientError(answer, 400, "ReadSizeLimitExceeded", "larger than this server sends");
        assertThat(answer.response().body().length()).isLessThan(1_000);
        assertThat(client.callFunction(accessToken, "bigResult", "[1]").response().body()).hasSize(1024 * 1024 + 2);
    }

    @Test
    void aChunkedUploadOverTheBodyLimitGetsA413() {
        long size = ClientApiServer.MAX_BODY_BYTES + (1 << 20);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Filler(size))); // no length: chunked

        ClientHttp.Answer answer = client.send(request, accessToken);

        assertClientError(answer, 413, "BadRequest", "larger than this server accepts");
        assertStillServing();
    }

    /** {@code ["xxx…"]} of a given size, generated as it is read. */
    private static final class Filler extends InputStream {
        private final long size;
        private long position;

        Filler(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            long at = position++;
            return at == 0 ? '[' : at == 1 ? '"' : 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) read();
            }
            return n;
        }
    }
}
