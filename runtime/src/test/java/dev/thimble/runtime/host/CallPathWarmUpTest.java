package dev.thimble.runtime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.values.SecretStore;
import dev.thimble.testing.TestApps;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decision record 0047: after a start and after each reload the host warms a client's whole call path (loopback
 * requests through Undertow and the app's handler chain, the function-call route's parsing and answer, the call
 * service, the engine's in-place execution) with the engine's built-in function, and nobody can tell: no log
 * record is stored, no database gets a document (so no trigger fires), no app function runs, and no client can
 * call the built-in function.
 */
class CallPathWarmUpTest {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theWarmUpRunsTheCallPathAfterStartAndReloadAndLeavesNoTrace() throws Exception {
        AppModel todo = AppBundles.read(TestApps.copyOfTodo(dir)).app();
        try (AppHost host = startWarming(todo)) {
            var engine = host.services().functions();
            assertThat(engine.awaitWarmUp(PATIENCE)).as("the start-time warm-up ended within %s", PATIENCE).isTrue();
            long afterStart = engine.callPathWarmUpRounds();
            assertThat(afterStart).as("rounds through the client's call path").isPositive();
            assertNoTrace(host, todo);

            host.reload(todo);
            assertThat(engine.awaitWarmUp(PATIENCE)).isTrue();
            assertThat(engine.callPathWarmUpRounds()).as("the reloaded version was warmed through the call path too").isGreaterThan(afterStart);
            assertNoTrace(host, todo);

            // the built-in function is no app function: a client cannot call it
            HttpClient http = HttpClient.newHttpClient();
            JsonNode login = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/auth/providers/anon-user/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            HttpResponse<String> call = http.send(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + login.path("access_token").asText())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"thimble-warm-up\",\"arguments\":[1,\"w\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(call.statusCode()).as(call.body()).isEqualTo(404);
            assertThat(JSON.readTree(call.body()).path("error_code").asText()).isEqualTo("FunctionNotFound");

            // and no other thread can run it (a request thread included): it is the warm-up thread's alone
            assertThatThrownBy(() -> engine.executeWarmUp(List.of(), ExecutionRequest.asUser(Principal.normal("someone"))))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    /** No log record was appended, and every collection of every database the app has is as empty as it started. */
    private static void assertNoTrace(AppHost host, AppModel app) {
        assertThat(host.logs().stats().appended()).as("log records appended (stored or not)").isZero();
        assertThat(host.logs().query(LogQuery.all().withLimit(100)).records()).extracting(LogRecord::type).isEmpty();
        List<String> withDocuments = new ArrayList<>();
        for (String name : host.database().client().listDatabaseNames()) {
            MongoDatabase database = host.database().database(name);
            for (String collection : database.listCollectionNames()) {
                if (database.getCollection(collection).countDocuments(new Document()) > 0) {
                    withDocuments.add(name + "." + collection);
                }
            }
        }
        // the app's own state (signing key, schema version) may exist from the start; users, sessions and data must not
        assertThat(withDocuments).as("collections with documents after the warm-up")
                .allMatch(ns -> ns.startsWith(AppHost.stateDatabaseName(app.clientAppId()) + ".")
                        && !ns.endsWith(".users") && !ns.endsWith(".sessions") && !ns.endsWith(".log_records"));
    }

    private AppHost startWarming(AppModel app) {
        String before = System.getProperty("thimble.functions.warmUp");
        System.setProperty("thimble.functions.warmUp", "true"); // the test JVM switches it off for every other test
        try {
            return AppHost.start(app, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")),
                    new SecretStore(dir.resolve("secrets.json"))));
        } finally {
            if (before == null) {
                System.clearProperty("thimble.functions.warmUp");
            } else {
                System.setProperty("thimble.functions.warmUp", before);
            }
        }
    }
}
