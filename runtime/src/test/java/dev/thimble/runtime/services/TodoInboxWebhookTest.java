package dev.thimble.runtime.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The example app's incoming webhook inbox/newItem, end to end: HTTP in, secret checked, an item inserted. */
class TodoInboxWebhookTest {
    private static final String SECRET = "inbox-secret-for-tests";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path dir;
    static AppHost host;

    @BeforeAll
    static void start() {
        AppModel todo = AppBundles.read(Path.of("../examples/todo")).app();
        SecretStore secrets = new SecretStore(dir.resolve("secrets.json"));
        secrets.set("inboxWebhookSecret", SECRET);
        host = AppHost.start(todo, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")), secrets));
        host.database().database("todo").getCollection("users").insertOne(new Document("user_id", "ann-id").append("email", "ann@example.com"));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    private static HttpResponse<String> post(String query, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/service/inbox/incoming_webhook/newItem" + query))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMailedItemIsAddedToTheOwnersList() throws Exception {
        ObjectId list = new ObjectId();
        HttpResponse<String> response = post("?secret=" + SECRET,
                "{\"email\": \"ann@example.com\", \"list\": \"" + list.toHexString() + "\", \"text\": \"  buy milk  \"}");

        assertThat(response.statusCode()).isEqualTo(201);
        ObjectId id = new ObjectId(new ObjectMapper().readTree(response.body()).get("_id").get("$oid").asText());
        Document item = host.database().database("todo").getCollection("items").find(new Document("_id", id)).first();
        assertThat(item).isNotNull();
        assertThat(item.getString("owner_id")).isEqualTo("ann-id");
        assertThat(item.getString("text")).isEqualTo("buy milk");
        assertThat(item.getString("list_id")).isEqualTo(list.toHexString());
        LogRecord record = host.logs().recent(50).stream().filter(r -> r.type() == LogType.WEBHOOK).reduce((a, b) -> b).orElseThrow();
        assertThat(record.toString()).doesNotContain(SECRET);
    }

    @Test
    void anUnknownSenderGets404FromTheFunction() throws Exception {
        HttpResponse<String> response = post("?secret=" + SECRET, "{\"email\": \"nobody@example.com\", \"list\": \"x\", \"text\": \"hi\"}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\": \"unknown user nobody@example.com\"}");
    }

    @Test
    void aWrongSecretAddsNothing() throws Exception {
        long before = host.database().database("todo").getCollection("items").countDocuments();
        HttpResponse<String> response = post("?secret=wrong", "{\"email\": \"ann@example.com\", \"list\": \"x\", \"text\": \"spam\"}");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(host.database().database("todo").getCollection("items").countDocuments()).isEqualTo(before);
    }
}
