package dev.thimble.runtime.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.values.SecretStore;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The http service and context.http, from functions on a real runtime, against a real HTTP server on loopback. */
class HttpServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static FakeHttpServer fake;
    static AppHost host;

    static final String SHAPE = "r => ({status: r.status, statusCode: r.statusCode, contentLength: r.contentLength,"
            + " headers: r.headers, cookies: r.cookies, text: r.body.text(), isBinary: r.body instanceof BSON.Binary})";

    @BeforeAll
    static void start() {
        fake = new FakeHttpServer();
        host = ServiceApps.app()
                .service("web", "http", List.of(
                        "{\"name\": \"loopbackOnly\", \"actions\": [\"get\", \"post\", \"put\", \"patch\", \"delete\", \"head\"],"
                                + " \"when\": {\"%%args.url.host\": {\"%in\": [\"127.0.0.1\"]}}}",
                        "{\"name\": \"neverPut\", \"actions\": [\"put\"], \"when\": \"{\\\"%%args.url.scheme\\\": \\\"ftp\\\"}\"}"), List.of())
                .service("api", "http", List.of(
                        "{\"name\": \"ownData\", \"actions\": [\"post\"], \"when\": {\"%%args.body.userId\": \"%%user.id\","
                                + " \"%%args.headers.X-Tenant\": \"acme\", \"%%args.url.path\": \"/echo\", \"%%args.url.query.v\": \"2\"}}"), List.of())
                .function("callApi", "exports = async (args) => context.services.get('api').post(args).then(" + SHAPE + ");")
                .function("call", "exports = async (action, args) => context.services.get('web')[action](args).then(" + SHAPE + ");")
                .function("http", "exports = async (action, args) => context.http[action](args).then(" + SHAPE + ");")
                .function("failure", "exports = async (action, args) => { try { await context.services.get('web')[action](args); return 'no error'; }"
                        + " catch (e) { return e.message; } };")
                .start(dir, new SecretStore(dir.resolve("secrets.json")));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        fake.close();
    }

    private static BsonDocument run(String function, String action, String args) {
        FunctionResult result = host.services().functions().execute(function, List.of(new BsonString(action), BsonDocument.parse(args)),
                ExecutionRequest.asUser(Principal.normal("u1")));
        assertThat(result.error()).as("function error").isNull();
        return result.value().asDocument();
    }

    private static String failure(String action, String args) {
        FunctionResult result = host.services().functions().execute("failure", List.of(new BsonString(action), BsonDocument.parse(args)),
                ExecutionRequest.asUser(Principal.normal("u1")));
        return result.value().asString().getValue();
    }

    private static String url(String path) {
        return "{\"url\": \"" + fake.url(path) + "\"}";
    }

    private static LogRecord lastServiceRecord() {
        return host.logs().recent(50).stream().filter(r -> r.type() == LogType.SERVICE_FUNCTION).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void eachMethodSendsItsHttpMethod() {
        for (String action : List.of("get", "post", "put", "patch", "delete")) {
            BsonDocument reply = run("call", action, url("/echo"));
            assertThat(reply.getInt32("statusCode").getValue()).isEqualTo(200);
            assertThat(fake.last().method()).isEqualTo(action.toUpperCase());
            assertThat(reply.getString("text").getValue()).contains("\"method\":\"" + action.toUpperCase() + "\"");
        }
        BsonDocument head = run("call", "head", url("/echo"));
        assertThat(fake.last().method()).isEqualTo("HEAD");
        assertThat(head.getString("text").getValue()).isEmpty();
    }

    @Test
    void theSplitUrlFormBuildsPathAndQuery() {
        run("call", "get", "{\"scheme\": \"http\", \"host\": \"127.0.0.1:" + fake.port() + "\", \"path\": \"/items/a b\","
                + " \"query\": {\"q\": [\"1\", \"2\"], \"x\": [\"y z\"]}, \"fragment\": \"top\"}");
        assertThat(fake.last().path()).isEqualTo("/items/a b");
        assertThat(fake.last().rawQuery()).isEqualTo("q=1&q=2&x=y+z");
    }

    @Test
    void queryIsAppendedToAUrl() {
        run("call", "get", "{\"url\": \"" + fake.url("/echo?a=1") + "\", \"query\": {\"b\": [\"2\"]}}");
        assertThat(fake.last().rawQuery()).isEqualTo("a=1&b=2");
    }

    @Test
    void headersAndAStringBodyAreSent() {
        BsonDocument reply = run("call", "post", "{\"url\": \"" + fake.url("/echo") + "\", \"headers\": {\"X-Token\": [\"t1\"],"
                + " \"Content-Type\": [\"text/plain\"]}, \"body\": \"hello\", \"cookies\": {\"a\": \"1\", \"b\": \"2\"}}");
        assertThat(fake.last().header("X-Token")).isEqualTo("t1");
        assertThat(fake.last().header("Content-Type")).isEqualTo("text/plain");
        assertThat(fake.last().header("Cookie")).isEqualTo("a=1; b=2");
        assertThat(fake.last().body()).isEqualTo("hello");
        assertThat(reply.getString("text").getValue()).isEqualTo("{\"method\":\"POST\",\"echo\":\"hello\"}");
    }

    @Test
    void encodeBodyAsJsonSendsTheObjectAsJson() throws Exception {
        run("call", "post", "{\"url\": \"" + fake.url("/echo") + "\", \"body\": {\"a\": 1, \"b\": \"x\", \"c\": [true]}, \"encodeBodyAsJSON\": true}");
        assertThat(JSON.readTree(fake.last().body())).isEqualTo(JSON.readTree("{\"a\": 1, \"b\": \"x\", \"c\": [true]}"));
        assertThat(fake.last().header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void formIsSentUrlEncoded() {
        run("call", "post", "{\"url\": \"" + fake.url("/echo") + "\", \"form\": {\"a\": \"1\", \"b\": \"x y&z\"}}");
        assertThat(fake.last().body()).isEqualTo("a=1&b=x+y%26z");
        assertThat(fake.last().header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void usernameAndPasswordBecomeBasicAuth() {
        run("call", "get", "{\"url\": \"" + fake.url("/echo") + "\", \"username\": \"ann\", \"password\": \"pw\"}");
        assertThat(fake.last().header("Authorization")).isEqualTo("Basic YW5uOnB3");
    }

    @Test
    void redirectsAreFollowedOnlyWhenAsked() {
        BsonDocument notFollowed = run("call", "get", url("/redirect"));
        assertThat(notFollowed.getInt32("statusCode").getValue()).isEqualTo(302);
        assertThat(notFollowed.getString("status").getValue()).isEqualTo("302 Found");

        BsonDocument followed = run("call", "get", "{\"url\": \"" + fake.url("/redirect") + "\", \"followRedirects\": true}");
        assertThat(followed.getInt32("statusCode").getValue()).isEqualTo(200);
        assertThat(fake.last().path()).isEqualTo("/echo");
    }

    @Test
    void theResponseHasStatusHeadersCookiesAndABinaryBody() {
        BsonDocument reply = run("call", "get", url("/cookie"));
        assertThat(reply.getString("status").getValue()).isEqualTo("200 OK");
        assertThat(reply.getInt32("statusCode").getValue()).isEqualTo(200);
        assertThat(reply.get("contentLength").asNumber().longValue()).isEqualTo(2L);
        assertThat(reply.getDocument("headers").get("X-Fake")).isEqualTo(BsonDocument.parse("{\"v\": [\"one\", \"two\"]}").get("v"));
        assertThat(reply.getDocument("headers").get("Content-Type")).isEqualTo(BsonDocument.parse("{\"v\": [\"application/json\"]}").get("v"));
        assertThat(reply.getDocument("cookies")).isEqualTo(BsonDocument.parse("{\"session\": \"abc123\"}"));
        assertThat(reply.getString("text").getValue()).isEqualTo("{}");
        assertThat(reply.getBoolean("isBinary").getValue()).isTrue();
    }

    @Test
    void anErrorStatusIsAResponseNotAnError() {
        BsonDocument reply = run("call", "get", url("/missing"));
        assertThat(reply.getString("status").getValue()).isEqualTo("404 Not Found");
        assertThat(reply.getString("text").getValue()).isEqualTo("no such thing");
    }

    @Test
    void anAllowedCallLogsTheRuleThatAllowedIt() {
        run("call", "get", url("/echo"));
        LogRecord record = lastServiceRecord();
        assertThat(record.status()).isEqualTo(LogStatus.SUCCESS);
        assertThat(record.serviceName()).isEqualTo("web");
        assertThat(record.serviceAction()).isEqualTo("get");
        assertThat(record.userId()).isEqualTo("u1");
        assertThat(record.decision().getString("outcome").getValue()).isEqualTo("allowed");
        assertThat(record.decision().getString("rule").getValue()).isEqualTo("loopbackOnly");
        assertThat(record.decision().getInt32("statusCode").getValue()).isEqualTo(200);
    }

    @Test
    void aCallNoRuleAllowsIsDeniedAndNothingIsSent() {
        int before = fake.received.size();
        String message = failure("get", "{\"url\": \"http://localhost:" + fake.port() + "/echo\"}");
        assertThat(message).startsWith("rule denied: no rule of service 'web' allows action 'get'").contains("loopbackOnly");
        assertThat(fake.received).hasSize(before);
        LogRecord record = lastServiceRecord();
        assertThat(record.status()).isEqualTo(LogStatus.ERROR);
        assertThat(record.error()).startsWith("rule denied");
        assertThat(record.decision().getString("outcome").getValue()).isEqualTo("denied");
        assertThat(record.decision().getArray("rulesTried").getFirst().asDocument().getString("rule").getValue()).isEqualTo("loopbackOnly");
    }

    @Test
    void aRuleWhoseWhenIsAJsonStringIsHonoured() {
        // put is listed by both rules; neverPut's string-form when is false, loopbackOnly still allows it
        run("call", "put", url("/echo"));
        assertThat(lastServiceRecord().decision().getArray("rulesTried")).hasSize(1);
        String denied = failure("put", "{\"url\": \"http://localhost:" + fake.port() + "/echo\"}");
        assertThat(denied).contains("neverPut").contains("loopbackOnly");
    }

    @Test
    void credentialsAreMaskedInTheLoggedArguments() {
        run("call", "get", "{\"url\": \"" + fake.url("/echo") + "\", \"headers\": {\"Authorization\": [\"Bearer top-secret\"]}, \"password\": \"pw\", \"username\": \"u\"}");
        String logged = new BsonDocument("a", lastServiceRecord().arguments()).toJson();
        assertThat(logged).doesNotContain("top-secret").doesNotContain("\"pw\"").contains("****");
        assertThat(fake.last().header("Authorization")).isEqualTo("Basic dTpwdw==");
    }

    @Test
    void anUnreachableHostIsAClearError() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String message = failure("get", "{\"url\": \"http://127.0.0.1:" + closed + "/x\"}");
        assertThat(message).isEqualTo("HTTP service 'web' get: could not connect to http://127.0.0.1:" + closed
                + " (connection refused or unreachable)");
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedBeforeAnyRule() {
        assertThat(failure("get", "{\"url\": \"file:///etc/passwd\"}")).contains("must start with http:// or https://");
        assertThat(failure("get", "{}")).contains("give a url");
    }

    @Test
    void contextHttpNeedsNoServiceAndHasNoRules() {
        BsonDocument reply = run("http", "post", "{\"url\": \"http://localhost:" + fake.port() + "/echo\", \"body\": \"hi\"}");
        assertThat(reply.getString("text").getValue()).isEqualTo("{\"method\":\"POST\",\"echo\":\"hi\"}");
        LogRecord record = lastServiceRecord();
        assertThat(record.serviceName()).isEqualTo("context.http");
        assertThat(record.decision().getString("outcome").getValue()).isEqualTo("unrestricted");
    }

    @Test
    void aSystemFunctionBypassesServiceRules() {
        FunctionResult result = host.services().functions().execute("call",
                List.of(new BsonString("get"), BsonDocument.parse("{\"url\": \"http://localhost:" + fake.port() + "/echo\"}")),
                ExecutionRequest.asSystem());
        assertThat(result.error()).isNull();
        assertThat(lastServiceRecord().decision().getString("outcome").getValue()).isEqualTo("bypassed");
    }

    @Test
    void aSlowServerRunsIntoTheTimeLimit() {
        HttpService http = new HttpService(HttpDoor.jdk(Duration.ofSeconds(2)), Duration.ofMillis(300), 1 << 20);
        assertThatThrownBy(() -> http.call(service(), new ServiceRequest("get", BsonDocument.parse(url("/slow")), null)))
                .isInstanceOf(ServiceCallException.class)
                .hasMessage("HTTP service 'web' get: http://127.0.0.1:" + fake.port() + " did not answer within 300 ms");
    }

    @Test
    void aResponseLargerThanTheLimitIsRefused() {
        HttpService http = new HttpService(HttpDoor.jdk(Duration.ofSeconds(2)), Duration.ofSeconds(5), 1000);
        assertThatThrownBy(() -> http.call(service(), new ServiceRequest("get", BsonDocument.parse(url("/big")), null)))
                .isInstanceOf(ServiceCallException.class)
                .hasMessageContaining("is larger than 1000 bytes");
    }

    private static ConfiguredService service() {
        return new ConfiguredService("web", "http", Json.empty(), k -> Optional.empty());
    }

    @Test
    void rulesSeeTheBodyHeadersPathAndQueryOfTheCall() {
        String good = "{\"url\": \"" + fake.url("/echo?v=2") + "\", \"headers\": {\"X-Tenant\": [\"acme\"]},"
                + " \"body\": {\"userId\": \"u1\"}, \"encodeBodyAsJSON\": true}";
        FunctionResult allowed = host.services().functions().execute("callApi", List.of(BsonDocument.parse(good)),
                ExecutionRequest.asUser(Principal.normal("u1")));
        assertThat(allowed.error()).isNull();
        FunctionResult otherUser = host.services().functions().execute("callApi", List.of(BsonDocument.parse(good)),
                ExecutionRequest.asUser(Principal.normal("u2")));
        // the reason names the clause, never the values it compared (the caller may pass it on to a client)
        assertThat(otherUser.error().message()).startsWith("rule denied").contains("args.body.userId ≠ user.id").doesNotContain("u1");
        FunctionResult otherPath = host.services().functions().execute("callApi",
                List.of(BsonDocument.parse(good.replace("/echo?v=2", "/other?v=2"))), ExecutionRequest.asUser(Principal.normal("u1")));
        assertThat(otherPath.error().message()).startsWith("rule denied");
    }
}
