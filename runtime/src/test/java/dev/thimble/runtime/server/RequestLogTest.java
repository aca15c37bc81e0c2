package dev.thimble.runtime.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.values.SecretStore;
import dev.thimble.testing.TestApps;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request leaves exactly one log record with its type, user and outcome: each route family of
 * the client API (logins per provider, register, confirm, reset, refresh, logout, function calls,
 * each MongoDB action, watch, webhook), and refusals before any route (401, 404, 413); a database
 * call made by a function shows up with its rule decision in the function's record.
 */
class RequestLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String WEBHOOK_SECRET = "request-log-test-secret";

    @TempDir
    static Path dir;
    private static AppHost host;
    private static final AtomicReference<AuthService.OutgoingMail> MAIL = new AtomicReference<>();

    @BeforeAll
    static void start() {
        Path bundle = TestApps.copyOfTodo(dir);
        addRunAsCopyOfItemsDueSoon(bundle);
        AppModel todo = AppBundles.read(bundle).app();
        SecretStore secrets = new SecretStore(dir.resolve("secrets.json"));
        secrets.set("inboxWebhookSecret", WEBHOOK_SECRET);
        host = AppHost.start(todo, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")), secrets));
        host.auth().onMail(MAIL::set);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    // ------------------------------------------------------------------ auth

    @Test
    void eachLoginProviderRegisterConfirmResetRefreshAndLogoutIsOneAuthRecord() throws Exception {
        Answer anon = one(() -> post("/auth/providers/anon-user/login", "{}", null));
        assertThat(anon.status).isEqualTo(200);
        assertAuth(anon.record, "anon-user", anon.json.path("user_id").asText(), LogStatus.SUCCESS);

        Answer register = one(() -> post("/auth/providers/local-userpass/register",
                "{\"email\":\"rita@example.com\",\"password\":\"rita-password\"}", null));
        assertThat(register.status).isEqualTo(201);
        assertAuth(register.record, "local-userpass", null, LogStatus.SUCCESS);

        Answer email = one(() -> post("/auth/providers/local-userpass/login",
                "{\"username\":\"rita@example.com\",\"password\":\"rita-password\"}", null));
        assertThat(email.status).isEqualTo(200);
        assertAuth(email.record, "local-userpass", email.json.path("user_id").asText(), LogStatus.SUCCESS);

        Answer wrongPassword = one(() -> post("/auth/providers/local-userpass/login",
                "{\"username\":\"rita@example.com\",\"password\":\"not-it\"}", null));
        assertThat(wrongPassword.status).isEqualTo(401);
        assertAuth(wrongPassword.record, "local-userpass", null, LogStatus.ERROR);
        assertThat(wrongPassword.record.authEvent().failMessage()).as("why it failed").isNotBlank();
        assertThat(wrongPassword.record.toDocument().toJson()).as("no password in the log").doesNotContain("not-it");

        String serverKey = host.auth().createServerApiKey("request-log-test").secret();
        Answer apiKey = one(() -> post("/auth/providers/api-key/login", "{\"key\":\"" + serverKey + "\"}", null));
        assertThat(apiKey.status).isEqualTo(200);
        assertAuth(apiKey.record, "api-key", apiKey.json.path("user_id").asText(), LogStatus.SUCCESS);

        Answer confirm = one(() -> post("/auth/providers/local-userpass/confirm", "{\"token\":\"nope\",\"tokenId\":\"nope\"}", null));
        assertThat(confirm.status).isGreaterThanOrEqualTo(400);
        assertAuth(confirm.record, "local-userpass", null, LogStatus.ERROR);

        Answer sendReset = one(() -> post("/auth/providers/local-userpass/reset/send", "{\"email\":\"rita@example.com\"}", null));
        assertThat(sendReset.status).isEqualTo(204);
        assertAuth(sendReset.record, "local-userpass", null, LogStatus.SUCCESS);
        Answer reset = one(() -> post("/auth/providers/local-userpass/reset", "{\"token\":\"" + MAIL.get().token()
                + "\",\"tokenId\":\"" + MAIL.get().tokenId() + "\",\"password\":\"rita-new-password\"}", null));
        assertThat(reset.status).isEqualTo(204);
        assertAuth(reset.record, "local-userpass", null, LogStatus.SUCCESS);

        String userId = anon.json.path("user_id").asText();
        String refreshToken = anon.json.path("refresh_token").asText();
        Answer refresh = one(() -> send(HttpRequest.newBuilder(uri("/api/client/v2.0/auth/session"))
                .POST(HttpRequest.BodyPublishers.noBody()), refreshToken));
        assertThat(refresh.status).isEqualTo(201);
        assertAuth(refresh.record, null, userId, LogStatus.SUCCESS);

        Answer logout = one(() -> send(HttpRequest.newBuilder(uri("/api/client/v2.0/auth/session")).DELETE(), refreshToken));
        assertThat(logout.status).isEqualTo(204);
        assertAuth(logout.record, null, userId, LogStatus.SUCCESS);
    }

    @Test
    void theAuthFilterOfTheLogsFindsLogins() throws Exception {
        Answer anon = one(() -> post("/auth/providers/anon-user/login", "{}", null));
        List<LogRecord> auth = host.logs().query(LogQuery.all().withTypes(LogType.AUTH)).records();
        assertThat(auth).extracting(LogRecord::id).contains(anon.record.id());
    }

    // ------------------------------------------------------------------ functions, MongoDB actions, watch, webhook

    @Test
    void aFunctionCallIsOneRecordWithTheDecisionsOfItsDatabaseCalls() throws Exception {
        Session user = login();
        Answer call = one(() -> post("/functions/call", "{\"name\":\"itemsDueSoon\",\"arguments\":[3]}", user.access));
        assertThat(call.status).as(call.body).isEqualTo(200);
        assertThat(call.record.type()).isEqualTo(LogType.FUNCTION);
        assertThat(call.record.userId()).isEqualTo(user.id);
        assertThat(call.record.functionName()).isEqualTo("itemsDueSoon");
        assertThat(call.record.status()).isEqualTo(LogStatus.SUCCESS);
        BsonDocument decision = call.record.decision();
        assertThat(decision).as("the find's decision inside the function's record").isNotNull();
        BsonDocument find = decision.getArray("database_calls").getFirst().asDocument();
        assertThat(find.getString("action").getValue()).isEqualTo("find");
        assertThat(find.getString("namespace").getValue()).isEqualTo("todo.items");
        assertThat(find.getArray("documents").getValues()).as("the rule decisions of the find").isNotEmpty();
    }

    @Test
    void aFunctionThatRunsAsAnotherUserKeepsItsDatabaseCallsInTheRecordOfTheRequest() throws Exception {
        Session user = login();
        Answer call = one(() -> post("/functions/call", "{\"name\":\"itemsDueSoonAsOwner\",\"arguments\":[3]}", user.access));
        assertThat(call.status).as(call.body).isEqualTo(200);
        assertThat(call.record.userId()).as("the record is the caller's").isEqualTo(user.id);
        assertThat(call.record.functionName()).isEqualTo("itemsDueSoonAsOwner");
        BsonDocument decision = call.record.decision();
        assertThat(decision).as("the run-as function's find inside the request's record").isNotNull();
        BsonDocument find = decision.getArray("database_calls").getFirst().asDocument();
        assertThat(find.getString("action").getValue()).isEqualTo("find");
        assertThat(find.getString("namespace").getValue()).isEqualTo("todo.items");
        assertThat(find.containsKey("documents")).as("its decisions, not a refusal: " + find.toJson()).isTrue();
    }

    /** itemsDueSoon with {@code run_as_user_id}: it reads as the owner, on behalf of whoever calls it. */
    private static void addRunAsCopyOfItemsDueSoon(Path bundle) {
        try {
            Path from = bundle.resolve("functions/itemsDueSoon");
            Path to = Files.createDirectories(bundle.resolve("functions/itemsDueSoonAsOwner"));
            Files.copy(from.resolve("source.js"), to.resolve("source.js"));
            Files.writeString(to.resolve("config.json"), Files.readString(from.resolve("config.json"))
                    .replace("\"65a000000000000000000015\"", "\"65a0000000000000000000f5\"")
                    .replace("\"itemsDueSoon\"", "\"itemsDueSoonAsOwner\"")
                    .replace("\"run_as_user_id\": \"\"", "\"run_as_user_id\": \"000000000000000000000a11\""));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void eachMongoDbActionIsOneServiceFunctionRecord() throws Exception {
        Session user = login();
        String ns = "\"database\":\"todo\",\"collection\":\"items\"";
        String mine = "{\"owner_id\":\"" + user.id + "\"}";
        String item = "{\"owner_id\":\"" + user.id + "\",\"text\":\"x\",\"done\":false}";
        List<String[]> actions = List.of(
                new String[]{"insertOne", "{" + ns + ",\"document\":" + item + "}"},
                new String[]{"insertMany", "{" + ns + ",\"documents\":[" + item + "," + item + "]}"},
                new String[]{"find", "{" + ns + ",\"query\":" + mine + "}"},
                new String[]{"findOne", "{" + ns + ",\"query\":" + mine + "}"},
                new String[]{"count", "{" + ns + ",\"query\":" + mine + "}"},
                new String[]{"aggregate", "{" + ns + ",\"pipeline\":[{\"$match\":" + mine + "}]}"},
                new String[]{"updateOne", "{" + ns + ",\"query\":" + mine + ",\"update\":{\"$set\":{\"done\":true}}}"},
                new String[]{"updateMany", "{" + ns + ",\"query\":" + mine + ",\"update\":{\"$set\":{\"done\":false}}}"},
                new String[]{"findOneAndUpdate", "{" + ns + ",\"filter\":" + mine + ",\"update\":{\"$set\":{\"text\":\"y\"}}}"},
                new String[]{"findOneAndReplace", "{" + ns + ",\"filter\":" + mine + ",\"update\":" + item + "}"},
                new String[]{"findOneAndDelete", "{" + ns + ",\"filter\":" + mine + "}"},
                new String[]{"deleteOne", "{" + ns + ",\"query\":" + mine + "}"},
                new String[]{"deleteMany", "{" + ns + ",\"query\":" + mine + "}"});
        for (String[] action : actions) {
            Answer answer = one(() -> post("/functions/call", "{\"service\":\"mongodb-atlas\",\"name\":\"" + action[0]
                    + "\",\"arguments\":[" + action[1] + "]}", user.access));
            assertThat(answer.status).as(action[0] + ": " + answer.body).isEqualTo(200);
            assertThat(answer.record.type()).as(action[0]).isEqualTo(LogType.SERVICE_FUNCTION);
            assertThat(answer.record.serviceAction()).isEqualTo(action[0]);
            assertThat(answer.record.userId()).as(action[0]).isEqualTo(user.id);
            assertThat(answer.record.status()).as(action[0]).isEqualTo(LogStatus.SUCCESS);
        }
    }

    @Test
    void aWatchIsOneStreamRecord() throws Exception {
        Session user = login();
        String request = Base64.getUrlEncoder().encodeToString(("{\"name\":\"watch\",\"service\":\"mongodb-atlas\",\"arguments\":"
                + "[{\"database\":\"todo\",\"collection\":\"items\"}]}").getBytes(StandardCharsets.UTF_8));
        Answer watch = one(() -> send(HttpRequest.newBuilder(uri(host.clientApiUrl().substring(host.baseUrl().length())
                + "/functions/call?stitch_validate=true&stitch_at=" + user.access + "&stitch_request=" + request)).GET(), null));
        assertThat(watch.status).as(watch.body).isEqualTo(200);
        assertThat(watch.record.type()).isEqualTo(LogType.SERVICE_STREAM_FUNCTION);
        assertThat(watch.record.userId()).isEqualTo(user.id);
        assertThat(watch.record.status()).isEqualTo(LogStatus.SUCCESS);
    }

    @Test
    void aWebhookCallIsOneWebhookRecord() throws Exception {
        Answer hook = one(() -> post("/service/inbox/incoming_webhook/newItem?secret=" + WEBHOOK_SECRET,
                "{\"email\": \"nobody@example.com\", \"list\": \"x\", \"text\": \"hi\"}", null));
        assertThat(hook.record.type()).isEqualTo(LogType.WEBHOOK);
        assertThat(hook.record.requestUrl()).as("the secret stays out of the log").doesNotContain(WEBHOOK_SECRET);
    }

    // ------------------------------------------------------------------ refusals before any route

    @Test
    void routineReadsLeaveNoRecordWhenTheySucceedAndOneWhenTheyFail() throws Exception {
        Session user = login();
        String app = host.clientApiUrl().substring(host.baseUrl().length());
        assertThat(none(() -> send(HttpRequest.newBuilder(uri(app + "/location")).GET(), null)).statusCode()).isEqualTo(200);
        assertThat(none(() -> send(HttpRequest.newBuilder(uri("/api/client/v2.0/auth/profile")).GET(), user.access)).statusCode())
                .isEqualTo(200);

        Answer refused = one(() -> send(HttpRequest.newBuilder(uri("/api/client/v2.0/auth/profile")).GET(), "not-a-token"));
        assertThat(refused.status).isEqualTo(401);
        assertThat(refused.record.errorCode()).isEqualTo("InvalidSession");
    }

    @Test
    void aCallWithoutAValidTokenLeaves401Record() throws Exception {
        Answer refused = one(() -> post("/functions/call", "{\"name\":\"itemsDueSoon\",\"arguments\":[]}", "not-a-token"));
        assertThat(refused.status).isEqualTo(401);
        assertThat(refused.record.type()).isEqualTo(LogType.FUNCTION);
        assertThat(refused.record.status()).isEqualTo(LogStatus.ERROR);
        assertThat(refused.record.errorCode()).isEqualTo("InvalidSession");
        assertThat(refused.record.userId()).isNull();
    }

    @Test
    void anUnknownRouteAndAnotherAppsIdEachLeave404Record() throws Exception {
        Answer noRoute = one(() -> post("/no/such/route", "{}", null));
        assertThat(noRoute.status).isEqualTo(404);
        assertThat(noRoute.record.type()).isEqualTo(LogType.API);
        assertThat(noRoute.record.errorCode()).isEqualTo("NotFound");
        assertThat(noRoute.record.requestUrl()).endsWith("/no/such/route");

        Answer otherApp = one(() -> send(HttpRequest.newBuilder(uri("/api/client/v2.0/app/someone-else/location")).GET(), null));
        assertThat(otherApp.status).isEqualTo(404);
        assertThat(otherApp.record.errorCode()).isEqualTo("AppNotFound");
        assertThat(otherApp.record.status()).isEqualTo(LogStatus.ERROR);
    }

    @Test
    void aBodyOverTheLimitLeaves413RecordBeforeAnyRouteReadsIt() throws Exception {
        Session user = login();
        byte[] big = new byte[(int) ClientApiServer.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        Answer tooLarge = one(() -> send(HttpRequest.newBuilder(uri(host.clientApiUrl().substring(host.baseUrl().length()) + "/functions/call"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(big)), user.access));
        assertThat(tooLarge.status).isEqualTo(413);
        assertThat(tooLarge.record.status()).isEqualTo(LogStatus.ERROR);
        assertThat(tooLarge.record.error()).contains("larger than this server accepts");
        assertThat(tooLarge.record.type()).isEqualTo(LogType.API);
    }

    // ------------------------------------------------------------------ helpers

    private static void assertAuth(LogRecord record, String provider, String userId, LogStatus status) {
        assertThat(record.type()).isEqualTo(LogType.AUTH);
        assertThat(record.status()).isEqualTo(status);
        assertThat(record.userId()).isEqualTo(userId);
        assertThat(record.authEvent()).isNotNull();
        if (provider != null) {
            assertThat(record.authEvent().provider()).isEqualTo(provider);
        }
    }

    private record Session(String access, String id) {
    }

    private static Session login() throws Exception {
        HttpResponse<String> response = post("/auth/providers/anon-user/login", "{}", null);
        JsonNode json = JSON.readTree(response.body());
        return new Session(json.path("access_token").asText(), json.path("user_id").asText());
    }

    private record Answer(int status, String body, JsonNode json, LogRecord record) {
    }

    private interface Call {
        HttpResponse<String> run() throws Exception;
    }

    /**
     * Runs one request alone (the tests of this class run one after another) and returns its answer with
     * the one record it left: the log holds exactly one request record more than before it.
     */
    /** Makes the call and asserts it left no request record. */
    private static synchronized HttpResponse<String> none(Call call) throws Exception {
        List<LogRecord> before = host.logs().query(LogQuery.all().withLimit(1000)).records();
        HttpResponse<String> response = call.run();
        List<LogRecord> after = host.logs().query(LogQuery.all().withLimit(1000)).records();
        assertThat(after.stream().filter(r -> r.requestMethod() != null)
                .filter(r -> before.stream().noneMatch(b -> b.id().equals(r.id()))).toList())
                .as("records of " + response.request().method() + " " + response.request().uri().getPath()).isEmpty();
        return response;
    }

    private static synchronized Answer one(Call call) throws Exception {
        List<LogRecord> before = host.logs().query(LogQuery.all().withLimit(1000)).records();
        HttpResponse<String> response = call.run();
        List<LogRecord> after = host.logs().query(LogQuery.all().withLimit(1000)).records();
        // records of requests only: the app's triggers log their runs in the background
        List<LogRecord> added = after.stream().filter(r -> r.requestMethod() != null)
                .filter(r -> before.stream().noneMatch(b -> b.id().equals(r.id()))).toList();
        assertThat(added).as("records of " + response.request().method() + " " + response.request().uri().getPath()
                + " (answered " + response.statusCode() + ")").hasSize(1);
        JsonNode json;
        try {
            json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (Exception e) {
            json = JSON.createObjectNode();
        }
        return new Answer(response.statusCode(), response.body(), json, added.getFirst());
    }

    private static HttpResponse<String> post(String appPath, String body, String bearer) throws Exception {
        String path = host.clientApiUrl().substring(host.baseUrl().length()) + appPath;
        if (appPath.startsWith("/no/")) {
            path = appPath;
        }
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), bearer);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String bearer) throws Exception {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create(host.baseUrl() + path);
    }
}
