package dev.thimble.runtime;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AppHostTest {
    @TempDir
    Path data;

    private final AppModel todo = AppBundles.read(Path.of("../examples/todo")).app();

    private AppHost start() {
        return AppHost.start(todo, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(data.resolve("db")),
                new SecretStore(data.resolve("secrets.json"))));
    }

    @Test
    void dataWrittenBeforeARestartIsThereAfterIt() {
        try (AppHost host = start()) {
            host.database().database("todo").getCollection("items").insertOne(new Document("_id", "i1").append("text", "milk"));
        }
        try (AppHost host = start()) {
            assertThat(host.database().database("todo").getCollection("items").find().first())
                    .isEqualTo(new Document("_id", "i1").append("text", "milk"));
        }
    }

    @Test
    void theLocationRouteAnswersAtTheClientApiUrl() throws Exception {
        try (AppHost host = start()) {
            assertThat(host.clientApiUrl()).endsWith("/api/client/v2.0/app/todo-thmbl");
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/location")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"hostname\":\"" + host.baseUrl() + "\"");
        }
    }
}
