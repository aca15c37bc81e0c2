package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code thimble server}'s home: several apps on one port by client app id, a broken one reported
 * and left out while the others answer, apps added, fixed and removed while it runs.
 */
class AppHomeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;
    AppHome appHome;

    @AfterEach
    void stop() {
        if (appHome != null) {
            appHome.close();
        }
    }

    @Test
    void threeAppFoldersOneBrokenTheOtherTwoAnswerOnOnePortAndChangesOnDiskAreFollowed() throws Exception {
        TestApps.copy(TestApps.TODO, home.resolve("todo"));
        TestApps.copy(TestApps.CLINIC, home.resolve("clinic"));
        Path broken = TestApps.copy(TestApps.TODO, home.resolve("shop"));
        setAppId(broken, "shop-thmbl");
        Files.writeString(broken.resolve("triggers/onNewItem.json"),
                TestApps.read(broken.resolve("triggers/onNewItem.json")).replace("\"onItemInserted\"", "\"noSuchFunction\""));

        appHome = AppHome.start(home, AppHome.Settings.defaults().withPort(0).withScanInterval(Duration.ofMillis(100)));

        assertThat(appHome.served()).extracting(AppHome.Served::clientAppId).containsExactlyInAnyOrder("todo-thmbl", "clinic-thmbl");
        assertThat(appHome.broken()).singleElement().satisfies(b -> {
            assertThat(b.folder()).isEqualTo("shop");
            assertThat(b.reason()).contains("triggers/onNewItem.json").contains("noSuchFunction");
        });
        assertThat(get("/api/client/v2.0/app/todo-thmbl/location").statusCode()).isEqualTo(200);
        assertThat(get("/api/client/v2.0/app/clinic-thmbl/location").statusCode()).isEqualTo(200);
        HttpResponse<String> missing = get("/api/client/v2.0/app/shop-thmbl/location");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("error_code").asText()).isEqualTo("AppNotFound");

        // fixing the broken folder on disk brings it in
        Files.writeString(broken.resolve("triggers/onNewItem.json"),
                TestApps.read(broken.resolve("triggers/onNewItem.json")).replace("\"noSuchFunction\"", "\"onItemInserted\""));
        await("the fixed app serves", () -> status("/api/client/v2.0/app/shop-thmbl/location") == 200);
        assertThat(appHome.broken()).isEmpty();

        // an app added while running starts serving; one removed stops; the others are untouched
        Path added = TestApps.copy(TestApps.TODO, home.resolve("added"));
        setAppId(added, "added-thmbl");
        await("the added app serves", () -> status("/api/client/v2.0/app/added-thmbl/location") == 200);
        deleteTree(home.resolve("clinic"));
        await("the removed app stops", () -> status("/api/client/v2.0/app/clinic-thmbl/location") == 404);
        assertThat(status("/api/client/v2.0/app/todo-thmbl/location")).isEqualTo(200);
        assertThat(appHome.served()).extracting(AppHome.Served::folder).containsExactly("added", "shop", "todo");
    }

    @Test
    void tokenOnlyRoutesGoToTheAppThatIssuedTheTokenAndOneAppsTokenIsRefusedByAnother() throws Exception {
        TestApps.copy(TestApps.TODO, home.resolve("todo"));
        TestApps.copy(TestApps.CLINIC, home.resolve("clinic"));
        appHome = AppHome.start(home, AppHome.Settings.defaults().withPort(0).withScanInterval(Duration.ofMinutes(10)));

        JsonNode login = JSON.readTree(send("POST", "/api/client/v2.0/app/todo-thmbl/auth/providers/anon-user/login", null, "{}").body());
        String access = login.path("access_token").asText();
        String refresh = login.path("refresh_token").asText();

        HttpResponse<String> profile = send("GET", "/api/client/v2.0/auth/profile", access, null);
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(profile.body()).path("user_id").asText()).isEqualTo(login.path("user_id").asText());
        assertThat(send("POST", "/api/client/v2.0/auth/session", refresh, null).statusCode()).isEqualTo(201);

        HttpResponse<String> elsewhere = send("POST", "/api/client/v2.0/app/clinic-thmbl/functions/call", access,
                "{\"name\": \"recordTestResult\", \"arguments\": []}");
        assertThat(elsewhere.statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/client/v2.0/auth/profile", "not-a-token", null).statusCode()).isEqualTo(401);
        assertThat(get("/somewhere/else").statusCode()).isEqualTo(404);
    }

    @Test
    void aServedAppIsEditedThroughTheServiceLayerAndTheEditIsServedAtOnce() throws Exception {
        TestApps.copy(TestApps.TODO, home.resolve("todo"));
        appHome = AppHome.start(home, AppHome.Settings.defaults().withPort(0).withScanInterval(Duration.ofMinutes(10)));
        AppEditor editor = appHome.editor("todo-thmbl").orElseThrow();

        editor.create(new EditableItem.Function("ping"), null, "exports = () => 'pong';\n");

        assertThat(editor.console().call("ping", "[]", new FunctionConsole.CallAs.System()).result()).isEqualTo("\"pong\"");
        assertThat(TestApps.read(home.resolve("todo/functions/ping/source.js"))).contains("pong");
        assertThat(editor.workspace().secrets().file()).startsWith(home.resolve(".thimble"));
        assertThat(appHome.editor("todo-thmbl")).containsSame(editor);

        // an edit made on disk by someone else is picked up by the next scan, and the next edit starts from it
        Files.writeString(home.resolve("todo/functions/ping/source.js"), "exports = () => 'PONG';\n");
        appHome.scan();
        assertThat(editor.console().call("ping", "[]", new FunctionConsole.CallAs.System()).result()).isEqualTo("\"PONG\"");
        AppEditor fresh = appHome.editor("todo-thmbl").orElseThrow();
        fresh.create(new EditableItem.Function("ping2"), null, null);
        assertThat(TestApps.read(home.resolve("todo/functions/ping/source.js"))).contains("PONG");
    }

    @Test
    void appsAreCreatedImportedAndDeletedWhileTheOthersServe() throws Exception {
        TestApps.copy(TestApps.TODO, home.resolve("todo"));
        appHome = AppHome.start(home, AppHome.Settings.defaults().withPort(0).withScanInterval(Duration.ofMinutes(10)));

        AppHome.Served blank = appHome.create("shop");
        assertThat(blank.clientAppId()).matches("shop-[a-z]{5}");
        assertThat(status("/api/client/v2.0/app/" + blank.clientAppId() + "/location")).isEqualTo(200);

        AppHome.Served imported = appHome.importApp(TestApps.CLINIC, "clinic");
        assertThat(imported.clientAppId()).isEqualTo("clinic-thmbl");
        assertThat(status("/api/client/v2.0/app/clinic-thmbl/location")).isEqualTo(200);

        assertThat(appHome.delete("clinic-thmbl")).isTrue();
        assertThat(status("/api/client/v2.0/app/clinic-thmbl/location")).isEqualTo(404);
        assertThat(Files.exists(home.resolve("clinic"))).isFalse();
        assertThat(appHome.delete("clinic-thmbl")).isFalse();
        assertThat(status("/api/client/v2.0/app/todo-thmbl/location")).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> appHome.create("todo")).hasMessageContaining("not empty");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> appHome.create("../x")).hasMessageContaining("folder is named");
    }

    private static void setAppId(Path bundle, String appId) throws IOException {
        Path config = bundle.resolve("stitch.json");
        Files.writeString(config, TestApps.read(config).replaceFirst("\"app_id\": \"[^\"]+\"", "\"app_id\": \"" + appId + "\""));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    private int status(String path) {
        try {
            return get(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appHome.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 30 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
