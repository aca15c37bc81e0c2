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
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * record is stored, no database gets a document (so no trigger fires), no app function that could reach a service
 * runs, and no client can call the built-in function. Decision record 0060: it waits while the server handles any
 * request, and also runs the app's functions that cannot reach out. Decision record 0075: its call goes through the
 * function-call route over loopback with a token of its own, which opens nothing else.
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
            // decision 0060: the todo app's validateItemText reads only context.values: the warm-up ran it (with strings,
            // after two numbers failed); its functions that reach a service (addItem, shareList, ...) it never runs:
            // no document below
            assertThat(engine.appFunctionWarmUpCalls()).as("warm-up calls of the app's own functions that succeeded").isPositive();
            assertThat(host.services().callPathWarmUp().pauses())
                    .as("pauses for requests on a server nobody called: its own loopback requests do not count").isZero();
            // decision 0071: the warm-up's records went through the log store's write path, into a scratch collection
            // decision 0075: its calls went through the server's function-call route with the warm-up's own token
            long overHttp = host.services().callPathWarmUp().callsOverHttp();
            assertThat(overHttp).as("warm-up calls answered through the function-call route").isPositive();
            long written = host.logs().warmUpRecordsStored();
            assertThat(written).as("warm-up log records written through the store's code").isPositive();
            assertNoTrace(host, todo);

            host.reload(todo);
            assertThat(engine.awaitWarmUp(PATIENCE)).isTrue();
            assertThat(engine.callPathWarmUpRounds()).as("the reloaded version was warmed through the call path too").isGreaterThan(afterStart);
            assertThat(host.logs().warmUpRecordsStored()).as("the reload's warm-up wrote its records too").isGreaterThan(written);
            assertThat(host.services().callPathWarmUp().callsOverHttp()).as("the reload's warm-up called through the route too")
                    .isGreaterThan(overHttp);
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

    /**
     * Decision record 0075: the warm-up's own token, were it ever to leave the process, opens no route but the function
     * call, and there runs only the warm-up's call: no data action, no profile, no watch; once the warm-up ended, nothing.
     * Nothing is stored for it.
     */
    @Test
    void theWarmUpsTokenReachesNoDataAndNoOtherRoute() throws Exception {
        AppModel todo = AppBundles.read(TestApps.copyOfTodo(dir)).app();
        // the test JVM runs no warm-up: the token stands for one that leaked while a warm-up ran
        try (AppHost host = AppHost.start(todo, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")),
                new SecretStore(dir.resolve("secrets.json"))))) {
            String token = host.auth().beginWarmUp();
            HttpClient http = HttpClient.newHttpClient();
            String insert = "{\"name\":\"insertOne\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\","
                    + "\"collection\":\"items\",\"document\":{\"text\":\"from the warm-up's token\"}}]}";
            assertThat(post(http, host.clientApiUrl() + "/functions/call", token, insert).statusCode()).as("a data action").isEqualTo(401);
            // an app function that writes is never what the warm-up's caller runs (and no warm-up runs here to run anything)
            HttpResponse<String> addItem = post(http, host.clientApiUrl() + "/functions/call", token,
                    "{\"name\":\"addItem\",\"arguments\":[\"000000000000000000000001\",\"from the warm-up's token\"]}");
            assertThat(addItem.statusCode()).as("addItem with the warm-up's token: " + addItem.body()).isNotEqualTo(200);
            assertThat(addItem.body()).doesNotContain("insertedId");
            String base = host.clientApiUrl().substring(0, host.clientApiUrl().indexOf("/app/"));
            assertThat(get(http, base + "/auth/profile", token).statusCode()).as("the profile").isEqualTo(401);
            String watch = java.util.Base64.getEncoder().encodeToString(("{\"name\":\"watch\",\"service\":\"mongodb-atlas\","
                    + "\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\"}]}").getBytes(StandardCharsets.UTF_8));
            assertThat(get(http, host.clientApiUrl() + "/functions/call?baas_request=" + watch + "&stitch_at=" + token, null).statusCode())
                    .as("a watch").isEqualTo(401);

            host.auth().endWarmUp();
            assertThat(post(http, host.clientApiUrl() + "/functions/call", token, "{\"name\":\"thimble-warm-up\",\"arguments\":[]}")
                    .statusCode()).as("a function call once the warm-up ended").isEqualTo(401);

            MongoDatabase state = host.database().database(AppHost.stateDatabaseName(todo.clientAppId()));
            assertThat(state.getCollection("users").countDocuments()).isZero();
            assertThat(state.getCollection("sessions").countDocuments()).isZero();
            for (String name : host.database().client().listDatabaseNames()) {
                if (!name.equals(AppHost.stateDatabaseName(todo.clientAppId()))) {
                    MongoDatabase database = host.database().database(name);
                    for (String collection : database.listCollectionNames()) {
                        assertThat(database.getCollection(collection).countDocuments()).as(name + "." + collection).isZero();
                    }
                }
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anyRequestInFlightHoldsTheWarmUpBeforeItsNextRound() throws Exception {
        AppModel todo = AppBundles.read(TestApps.copyOfTodo(dir)).app();
        // a long budget: the warm-up must still be going when the request comes, however loaded the machine
        try (AppHost host = startWarming(todo, "600")) {
            CallPathWarmUp warmUp = host.services().callPathWarmUp();
            Eventually.await(PATIENCE, "the warm-up's first round through the call path", () -> warmUp.rounds() > 0);

            // a login whose body has not fully arrived: in flight on its request thread (not a function call)
            try (Socket client = loginInFlight(host)) {
                long pausesBefore = warmUp.pauses();
                Eventually.await(PATIENCE, "the warm-up seeing the request", () -> warmUp.pauses() > pausesBefore);
                long rounds = warmUp.rounds();
                long seen = warmUp.pauses();
                Eventually.await(PATIENCE, "the warm-up asking again, five times", () -> warmUp.pauses() >= seen + 5);
                assertThat(warmUp.rounds()).as("rounds begun while the request was in flight").isEqualTo(rounds);

                assertThat(finishLogin(client)).as("the login, answered").startsWith("HTTP/1.1 200");
                Eventually.await(PATIENCE, "no request in flight", () -> host.server().requestsInFlight().now() == 0);
                Eventually.await(PATIENCE, "the warm-up going on after the request", () -> warmUp.rounds() > rounds);
            }
        }
    }

    /**
     * The warm-up's budget is its own thread's CPU time (decision 0067), not wall time: waiting for requests longer than the
     * whole budget does not end it, and its rounds go on once the server is quiet again.
     */
    @Test
    void waitingForRequestsSpendsNoneOfTheWarmUpsBudget() throws Exception {
        AppModel todo = AppBundles.read(TestApps.copyOfTodo(dir)).app();
        try (AppHost host = startWarming(todo, "3")) {
            CallPathWarmUp warmUp = host.services().callPathWarmUp();
            Eventually.await(PATIENCE, "the warm-up's first round through the call path", () -> warmUp.rounds() > 0);
            try (Socket client = loginInFlight(host)) {
                long seen = warmUp.pauses();
                // each pause sleeps 50 ms: 80 of them are 4 s of waiting, more than the whole 3 s budget
                Eventually.await(PATIENCE, "the warm-up waiting for 4 s", () -> warmUp.pauses() >= seen + 80);
                long rounds = warmUp.rounds();
                assertThat(finishLogin(client)).as("the login, answered").startsWith("HTTP/1.1 200");
                Eventually.await(PATIENCE, "the warm-up going on after waiting longer than its budget", () -> warmUp.rounds() > rounds);
            }
        }
    }

    /** A login whose body has not all arrived (one of its two bytes): in flight on its request thread until {@link #finishLogin}. */
    private static Socket loginInFlight(AppHost host) throws Exception {
        Socket client = new Socket("127.0.0.1", host.server().port());
        client.setSoTimeout((int) PATIENCE.toMillis());
        OutputStream out = client.getOutputStream();
        String path = java.net.URI.create(host.clientApiUrl()).getRawPath() + "/auth/providers/anon-user/login";
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Eventually.await(PATIENCE, "the login in flight", () -> host.server().requestsInFlight().now() == 1);
        return client;
    }

    /** Sends the rest of {@link #loginInFlight}'s body; returns the whole answer. */
    private static String finishLogin(Socket client) throws Exception {
        client.getOutputStream().write('}');
        client.getOutputStream().flush();
        return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /**
     * No log record was appended, the warm-up's scratch collection of log records is gone (decision 0071), and every
     * collection of every database the app has is as empty as it started.
     */
    private static void assertNoTrace(AppHost host, AppModel app) {
        assertThat(host.logs().stats().appended()).as("log records appended (stored or not)").isZero();
        assertThat(host.logs().query(LogQuery.all().withLimit(100)).records()).extracting(LogRecord::type).isEmpty();
        assertThat(host.database().database(AppHost.stateDatabaseName(app.clientAppId())).listCollectionNames())
                .as("the warm-up's scratch collection is dropped when it ends").doesNotContain("log_records_warm_up");
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
        return startWarming(app, null);
    }

    /** @param seconds the warm-up's budget ({@code thimble.functions.warmUpSeconds}), or null for the default */
    private AppHost startWarming(AppModel app, String seconds) {
        String before = System.getProperty("thimble.functions.warmUp");
        System.setProperty("thimble.functions.warmUp", "true"); // the test JVM switches it off for every other test
        if (seconds != null) {
            System.setProperty("thimble.functions.warmUpSeconds", seconds);
        }
        try {
            return AppHost.start(app, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")),
                    new SecretStore(dir.resolve("secrets.json"))));
        } finally {
            System.clearProperty("thimble.functions.warmUpSeconds");
            if (before == null) {
                System.clearProperty("thimble.functions.warmUp");
            } else {
                System.setProperty("thimble.functions.warmUp", before);
            }
        }
    }
}
