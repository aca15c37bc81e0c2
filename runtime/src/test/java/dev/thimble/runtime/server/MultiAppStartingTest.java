package dev.thimble.runtime.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.ServerOfApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code thimble server} listens before its database is open and its apps are assembled (decision 0023):
 * an app whose bundle is read answers its location route and 503 with Retry-After elsewhere until it is
 * mounted; an app id the starting server does not know yet gets 503, and 404 once the server has started.
 */
class MultiAppStartingTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private ServerOfApps server;
    private AppHost todo;

    @AfterEach
    void stop() {
        if (todo != null) {
            todo.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aStartingAppAnswersItsLocationAnd503ElsewhereUntilItIsMounted() throws Exception {
        server = ServerOfApps.startHeld("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")));
        String base = server.baseUrl();
        HttpResponse<String> unknownYet = get(base + "/api/client/v2.0/app/todo-thmbl/location");
        assertThat(unknownYet.statusCode()).as("no app read yet, the server still starting").isEqualTo(503);
        assertThat(unknownYet.headers().firstValue("Retry-After")).contains("1");

        AppModel model = AppBundles.read(TestApps.copyOfTodo(dir)).app();
        server.starting(model, null);
        String app = base + "/api/client/v2.0/app/" + model.clientAppId();

        HttpResponse<String> location = get(app + "/location");
        assertThat(location.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(location.body()).path("hostname").asText()).isEqualTo(base);
        HttpResponse<String> early = login(app);
        assertThat(early.statusCode()).isEqualTo(503);
        JsonNode error = JSON.readTree(early.body());
        assertThat(error.path("error_code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(error.path("error").asText()).contains("still starting");

        todo = server.mount(model, new SecretStore(dir.resolve("secrets.json")), null, null);
        server.notStarting(model.clientAppId());
        server.started();

        assertThat(login(app).statusCode()).isEqualTo(200);
        HttpResponse<String> unknown = get(base + "/api/client/v2.0/app/nobody-abcde/location");
        assertThat(unknown.statusCode()).as("an unknown app once the server has started").isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error_code").asText()).isEqualTo("AppNotFound");
    }

    @Test
    void anAppThatDoesNotStartIsUnknownAgain() throws Exception {
        server = ServerOfApps.startHeld("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")));
        AppModel model = AppBundles.read(TestApps.copyOfTodo(dir)).app();
        server.starting(model, null);
        String app = server.baseUrl() + "/api/client/v2.0/app/" + model.clientAppId();
        assertThat(get(app + "/location").statusCode()).isEqualTo(200);

        server.notStarting(model.clientAppId()); // its bundle was rejected
        server.started();

        assertThat(get(app + "/location").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> login(String app) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app + "/auth/providers/anon-user/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
