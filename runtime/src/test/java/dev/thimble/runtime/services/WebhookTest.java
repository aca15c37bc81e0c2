package dev.thimble.runtime.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Incoming webhooks and HTTPS endpoints through real HTTP on a real runtime (embedded database, GraalJS). */
class WebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "s3cr3t-value-42";
    @TempDir
    static Path dir;
    static AppHost host;

    private static String hook(String name, String extra, String source) {
        return "{\"name\": \"" + name + "\"" + extra + "}";
    }

    @BeforeAll
    static void start() {
        SecretStore secrets = new SecretStore(dir.resolve("secrets.json"));
        secrets.set("hookSecret", SECRET);
        String echo = "exports = function(payload, response) { console.log('got', payload.body.text());"
                + " return {query: payload.query, custom: payload.headers['X-Custom'], text: payload.body.text(),"
                + " json: payload.body.text().startsWith('{') ? payload.body.json() : null, user: context.user.id, system: context.runningAsSystem(),"
                + " rawQuery: context.request.rawQueryString, method: context.request.httpMethod}; };";
        host = ServiceApps.app()
                .metadata("{\"app_id\": \"svc-abcde\", \"name\": \"svc\", \"custom_user_data_config\": {\"enabled\": true,"
                        + " \"mongo_service_name\": \"mongodb-atlas\", \"database_name\": \"app\", \"collection_name\": \"profiles\", \"user_id_field\": \"user_id\"}}")
                .mongo()
                .provider("{\"name\": \"anon-user\", \"type\": \"anon-user\"}")
                .provider("{\"name\": \"api-key\", \"type\": \"api-key\"}")
                .provider("{\"name\": \"local-userpass\", \"type\": \"local-userpass\", \"config\": {\"autoConfirm\": true}}")
                .service("hooks", "http", List.of(), List.of(
                        ServiceApps.webhook("{\"name\": \"open\", \"options\": {\"httpMethod\": \"POST\", \"validationMethod\": \"NO_VALIDATION\"},"
                                + " \"respond_result\": true}", echo),
                        ServiceApps.webhook("{\"name\": \"anyMethod\", \"options\": {\"httpMethod\": \"*\"}, \"respond_result\": true}", echo),
                        ServiceApps.webhook("{\"name\": \"secretQuery\", \"options\": {\"httpMethod\": \"*\", \"validationMethod\": \"SECRET_AS_QUERY_PARAM\","
                                + " \"secret_name\": \"hookSecret\"}, \"respond_result\": true}", echo),
                        ServiceApps.webhook("{\"name\": \"signed\", \"options\": {\"httpMethod\": \"POST\", \"validationMethod\": \"VERIFY_PAYLOAD\","
                                + " \"secret_name\": \"hookSecret\"}, \"respond_result\": true}", echo),
                        ServiceApps.webhook("{\"name\": \"authed\", \"options\": {\"httpMethod\": \"*\"}, \"run_as_authed_user\": true,"
                                + " \"fetch_custom_user_data\": true, \"respond_result\": true}",
                                "exports = function(payload) { return {id: context.user.id, custom: context.user.custom_data, system: context.runningAsSystem()}; };"),
                        ServiceApps.webhook("{\"name\": \"asUser\", \"options\": {\"httpMethod\": \"*\"}, \"run_as_user_id\": \"fixed-user\", \"respond_result\": true}", echo),
                        ServiceApps.webhook("{\"name\": \"asUserWithData\", \"options\": {\"httpMethod\": \"*\"}, \"run_as_user_id\": \"profiled-user\","
                                + " \"fetch_custom_user_data\": true, \"respond_result\": true}",
                                "exports = function(payload) { return {id: context.user.id, custom: context.user.custom_data}; };"),
                        ServiceApps.webhook("{\"name\": \"byScript\", \"options\": {\"httpMethod\": \"*\"}, \"respond_result\": true,"
                                + " \"run_as_user_id_script_source\": \"exports = function(payload) { return 'user-' + payload.query.who; };\"}", echo),
                        ServiceApps.webhook("{\"name\": \"legacy\", \"options\": {\"httpMethod\": \"*\"}, \"respond_result\": false}",
                                "exports = function(payload, response) { if (payload.query.body) response.setBody('explicit'); return {ignored: true}; };"),
                        ServiceApps.webhook("{\"name\": \"custom\", \"options\": {\"httpMethod\": \"*\"}, \"respond_result\": true}",
                                "exports = function(payload, response) { response.setStatusCode(201); response.setHeader('X-A', 'first');"
                                        + " response.setHeader('X-A', 'replaced'); response.addHeader('X-B', '1'); response.addHeader('X-B', '2');"
                                        + " if (payload.query.body) response.setBody('set by setBody'); return {ok: true, when: new Date(0), n: 5}; };"),
                        ServiceApps.webhook("{\"name\": \"throws\", \"options\": {\"httpMethod\": \"*\"}, \"respond_result\": true}",
                                "exports = function(payload) {\n  throw new Error('boom: ' + payload.query.why);\n};"),
                        ServiceApps.webhook("{\"name\": \"unset\", \"options\": {\"httpMethod\": \"*\", \"validationMethod\": \"SECRET_AS_QUERY_PARAM\","
                                + " \"secret_name\": \"neverSet\"}}", echo),
                        ServiceApps.webhook("{\"name\": \"guarded\", \"options\": {\"httpMethod\": \"*\"}, \"can_evaluate\": {\"%%request.httpMethod\": \"POST\"}}", echo),
                        ServiceApps.webhook("{\"name\": \"broken\", \"options\": {\"httpMethod\": \"*\"}}", "exports = function( {"),
                        ServiceApps.webhook("{\"name\": \"inject\", \"options\": {\"httpMethod\": \"*\"}}",
                                "exports = function(payload, response) { response.setHeader('X-Echo', payload.query.v); };"),
                        ServiceApps.webhook("{\"name\": \"off\", \"options\": {\"httpMethod\": \"*\"}, \"disabled\": true}", echo)))
                .function("{\"name\": \"endpointFn\", \"private\": true}", "endpointFn",
                        "exports = function(request, response) { return {when: new Date(0), n: 5, big: 12345678901, id: new BSON.ObjectId('65a000000000000000000001'),"
                                + " q: request.query.x || null, user: context.user.id}; };")
                .endpoint("{\"route\": \"/orders\", \"http_method\": \"POST\", \"function_name\": \"endpointFn\", \"return_type\": \"JSON\"}")
                .endpoint("{\"route\": \"/orders-ejson\", \"http_method\": \"GET\", \"function_name\": \"endpointFn\", \"return_type\": \"EJSON\"}")
                .endpoint("{\"route\": \"/signed\", \"http_method\": \"POST\", \"function_name\": \"endpointFn\", \"validation_method\": \"VERIFY_PAYLOAD\","
                        + " \"secret_name\": \"hookSecret\"}")
                .endpoint("{\"route\": \"/mine\", \"http_method\": \"GET\", \"function_name\": \"endpointFn\", \"authentication\": \"application\"}")
                .endpoint("{\"route\": \"/off\", \"http_method\": \"GET\", \"function_name\": \"endpointFn\", \"disabled\": true}")
                .endpoint("{\"route\": \"/quiet\", \"http_method\": \"POST\", \"function_name\": \"endpointFn\", \"respond_result\": false}")
                .endpoint("{\"route\": \"/spelled\", \"http_method\": \"GET\", \"function_name\": \"endpointFn\","
                        + " \"verification_method\": \"SECRET_AS_QUERY_PARAM\", \"secret_name\": \"hookSecret\"}")
                .start(dir, secrets);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    private static String webhookUrl(String name, String query) {
        return host.clientApiUrl() + "/service/hooks/incoming_webhook/" + name + (query == null ? "" : "?" + query);
    }

    private static HttpResponse<String> send(String method, String url, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static LogRecord lastRecord(LogType type) {
        return host.logs().recent(100).stream().filter(r -> r.type() == type).reduce((a, b) -> b).orElseThrow();
    }

    private static String signature(String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- payload, method, validation

    @Test
    void noValidationHandsTheFunctionQueryHeadersAndBody() throws Exception {
        HttpResponse<String> response = send("POST", webhookUrl("open", "a=1&b=two"), "{\"x\": [1, 2]}", "X-Custom", "hello");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("query")).isEqualTo(JSON.readTree("{\"a\": \"1\", \"b\": \"two\"}"));
        assertThat(body.get("custom")).isEqualTo(JSON.readTree("[\"hello\"]"));
        assertThat(body.get("text").asText()).isEqualTo("{\"x\": [1, 2]}");
        assertThat(body.get("json")).isEqualTo(JSON.readTree("{\"x\": [{\"$numberInt\": \"1\"}, {\"$numberInt\": \"2\"}]}"));
        assertThat(body.get("system").asBoolean()).isTrue();
        assertThat(body.get("method").asText()).isEqualTo("POST");
    }

    @Test
    void aMethodTheWebhookDoesNotAcceptIs405() throws Exception {
        HttpResponse<String> response = send("GET", webhookUrl("open", null), null);
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(json(response).get("error").asText()).isEqualTo("webhook hooks/open accepts POST requests only, not GET");
    }

    @Test
    void aStarWebhookAcceptsEveryMethod() throws Exception {
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            HttpResponse<String> response = send(method, webhookUrl("anyMethod", null), "x");
            assertThat(response.statusCode()).as(method).isEqualTo(200);
            assertThat(json(response).get("method").asText()).isEqualTo(method);
        }
    }

    @Test
    void theRightSecretInTheQueryIsAcceptedAndStrippedFromWhatTheFunctionSees() throws Exception {
        HttpResponse<String> response = send("POST", webhookUrl("secretQuery", "a=1&secret=" + SECRET + "&b=2"), "hi");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("query")).isEqualTo(JSON.readTree("{\"a\": \"1\", \"b\": \"2\"}"));
        assertThat(body.get("rawQuery").asText()).isEqualTo("a=1&b=2");
        LogRecord record = lastRecord(LogType.WEBHOOK);
        assertThat(record.requestUrl()).endsWith("/incoming_webhook/secretQuery?a=1&b=2");
        assertThat(record.toString()).doesNotContain(SECRET);
    }

    @Test
    void aMissingSecretIs401AndAWrongOneIs403() throws Exception {
        HttpResponse<String> missing = send("POST", webhookUrl("secretQuery", "a=1"), "hi");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(json(missing).get("error_code").asText()).isEqualTo("IncomingWebhookAuthFailed");

        HttpResponse<String> wrong = send("POST", webhookUrl("secretQuery", "secret=guess"), "hi");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(json(wrong).get("error").asText()).isEqualTo("webhook hooks/secretQuery: the secret in the query string is wrong");
        assertThat(wrong.body()).doesNotContain(SECRET);
        assertThat(lastRecord(LogType.WEBHOOK).status()).isEqualTo(LogStatus.ERROR);
    }

    @Test
    void aCorrectPayloadSignatureIsAccepted() throws Exception {
        String payload = "{\"event\": \"ping\"}";
        HttpResponse<String> response = send("POST", webhookUrl("signed", null), payload, "X-Hook-Signature", signature(payload));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("text").asText()).isEqualTo(payload);
    }

    @Test
    void aWrongOrMissingPayloadSignatureIsRefused() throws Exception {
        String payload = "{\"event\": \"ping\"}";
        HttpResponse<String> tampered = send("POST", webhookUrl("signed", null), payload + " ", "X-Hook-Signature", signature(payload));
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(json(tampered).get("error").asText()).isEqualTo("webhook hooks/signed: X-Hook-Signature does not match the body");

        HttpResponse<String> garbage = send("POST", webhookUrl("signed", null), payload, "X-Hook-Signature", "sha256=zz");
        assertThat(garbage.statusCode()).isEqualTo(403);

        HttpResponse<String> missing = send("POST", webhookUrl("signed", null), payload);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(json(missing).get("error_code").asText()).isEqualTo("IncomingWebhookAuthFailed");
    }

    // ---------------------------------------------------------------- identities

    @Test
    void aWebhookRunsAsSystemByDefault() throws Exception {
        JsonNode body = json(send("POST", webhookUrl("open", null), ""));
        assertThat(body.get("system").asBoolean()).isTrue();
        assertThat(body.get("user").asText()).isEmpty();
    }

    @Test
    void runAsUserIdRunsAsThatUser() throws Exception {
        JsonNode body = json(send("GET", webhookUrl("asUser", null), null));
        assertThat(body.get("user").asText()).isEqualTo("fixed-user");
        assertThat(body.get("system").asBoolean()).isFalse();
    }

    @Test
    void runAsUserIdScriptSourceRunsAsTheUserTheScriptNames() throws Exception {
        JsonNode body = json(send("GET", webhookUrl("byScript", "who=ann"), null));
        assertThat(body.get("user").asText()).isEqualTo("user-ann");
    }

    @Test
    void runAsAuthedUserAcceptsABearerAccessTokenAndFetchesCustomData() throws Exception {
        JsonNode login = json(send("POST", host.clientApiUrl() + "/auth/providers/anon-user/login", "{}"));
        String userId = login.get("user_id").asText();
        host.database().database("app").getCollection("profiles").insertOne(new Document("user_id", userId).append("team", "blue"));
        HttpResponse<String> response = send("GET", webhookUrl("authed", null), null, "Authorization", "Bearer " + login.get("access_token").asText());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("id").asText()).isEqualTo(userId);
        assertThat(body.get("system").asBoolean()).isFalse();
        assertThat(body.get("custom").get("team").asText()).isEqualTo("blue");
    }

    @Test
    void runAsAuthedUserAcceptsAnApiKeyHeader() throws Exception {
        String key = host.auth().createServerApiKey("hooks").secret();
        HttpResponse<String> response = send("GET", webhookUrl("authed", null), null, "api-key", key);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("id").asText()).isNotEmpty();
        assertThat(lastRecord(LogType.WEBHOOK).toString()).doesNotContain(key);
    }

    @Test
    void runAsAuthedUserAcceptsEmailAndPasswordHeaders() throws Exception {
        send("POST", host.clientApiUrl() + "/auth/providers/local-userpass/register", "{\"email\": \"hook@example.com\", \"password\": \"password123\"}");
        JsonNode login = json(send("POST", host.clientApiUrl() + "/auth/providers/local-userpass/login",
                "{\"username\": \"hook@example.com\", \"password\": \"password123\"}"));
        HttpResponse<String> response = send("GET", webhookUrl("authed", null), null, "email", "hook@example.com", "password", "password123");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("id").asText()).isEqualTo(login.get("user_id").asText());

        HttpResponse<String> wrong = send("GET", webhookUrl("authed", null), null, "email", "hook@example.com", "password", "nope-nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).get("error_code").asText()).isEqualTo("IncomingWebhookAuthFailed");
    }

    @Test
    void runAsAuthedUserWithoutCredentialsOrWithABadTokenIs401() throws Exception {
        HttpResponse<String> none = send("GET", webhookUrl("authed", null), null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).get("error").asText()).contains("runs as the authenticated user");
        HttpResponse<String> bad = send("GET", webhookUrl("authed", null), null, "Authorization", "Bearer not.a.token");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(json(bad).get("error_code").asText()).isEqualTo("IncomingWebhookAuthFailed");
    }

    // ---------------------------------------------------------------- the response

    @Test
    void setStatusCodeAndHeadersShapeTheResponseAndTheReturnValueIsTheEjsonBody() throws Exception {
        HttpResponse<String> response = send("GET", webhookUrl("custom", null), null);
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().allValues("X-A")).isEqualTo(List.of("replaced"));
        assertThat(response.headers().allValues("X-B")).isEqualTo(List.of("1", "2"));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(response)).isEqualTo(JSON.readTree(
                "{\"ok\": true, \"when\": {\"$date\": {\"$numberLong\": \"0\"}}, \"n\": {\"$numberInt\": \"5\"}}"));
    }

    @Test
    void setBodyWinsOverTheReturnValue() throws Exception {
        HttpResponse<String> response = send("GET", webhookUrl("custom", "body=1"), null);
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("set by setBody");
    }

    @Test
    void withoutRespondResultOnlySetBodyIsSentAndOtherwiseTheAnswerIsEmpty() throws Exception {
        HttpResponse<String> empty = send("GET", webhookUrl("legacy", null), null);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
        HttpResponse<String> explicit = send("GET", webhookUrl("legacy", "body=1"), null);
        assertThat(explicit.body()).isEqualTo("explicit");
    }

    @Test
    void aThrowingFunctionIsA500WithItsMessageAndNoJavaInternals() throws Exception {
        HttpResponse<String> response = send("GET", webhookUrl("throws", "why=bad%20input"), null);
        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode body = json(response);
        assertThat(body.get("error_code").asText()).isEqualTo("FunctionExecutionError");
        assertThat(body.get("error").asText()).startsWith("Error: boom: bad input")
                .contains("services/hooks/incoming_webhooks/throws/source.js:2")
                .doesNotContain("java").doesNotContain("Exception");
    }

    @Test
    void aDisabledWebhookOrEndpointIsNotFound() throws Exception {
        HttpResponse<String> hook = send("GET", webhookUrl("off", null), null);
        assertThat(hook.statusCode()).isEqualTo(404);
        assertThat(json(hook).get("error").asText()).isEqualTo("webhook hooks/off is disabled");
        HttpResponse<String> endpoint = send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/off", null);
        assertThat(endpoint.statusCode()).isEqualTo(404);
        assertThat(json(endpoint).get("error").asText()).isEqualTo("endpoint /off is disabled");
    }

    @Test
    void anUnknownWebhookIsNotFound() throws Exception {
        HttpResponse<String> response = send("POST", webhookUrl("nope", null), "");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error_code").asText()).isEqualTo("IncomingWebhookNotFound");
    }

    @Test
    void aBodyOverTheLimitIs413AndRunsNothing() throws Exception {
        int before = host.logs().recent(1000).size();
        byte[] big = new byte[(int) dev.thimble.runtime.server.ClientApiServer.MAX_BODY_BYTES + 1];
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(webhookUrl("open", null)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).contains("larger than this server accepts");
        assertThat(host.logs().recent(1000).stream().skip(before).noneMatch(r -> r.type() == LogType.WEBHOOK)).isTrue();
    }

    @Test
    void theLogRecordHasTheConsoleOutputThePayloadAndTheStatus() throws Exception {
        send("POST", webhookUrl("open", "k=v"), "logged body", "api-key", "not-for-logs");
        LogRecord record = lastRecord(LogType.WEBHOOK);
        assertThat(record.status()).isEqualTo(LogStatus.SUCCESS);
        assertThat(record.messages()).isEqualTo(List.of("got logged body"));
        assertThat(record.functionName()).isEqualTo("webhook:hooks/open");
        assertThat(record.decision().getInt32("statusCode").getValue()).isEqualTo(200);
        var payload = record.arguments().getFirst().asDocument();
        assertThat(payload.getString("body").getValue()).isEqualTo("logged body");
        assertThat(payload.getDocument("query").toJson()).isEqualTo("{\"k\": \"v\"}");
        assertThat(record.toString()).doesNotContain("not-for-logs");
    }

    // ---------------------------------------------------------------- endpoints

    @Test
    void anEndpointWithReturnTypeJsonAnswersPlainJson() throws Exception {
        HttpResponse<String> response = send("POST", host.baseUrl() + "/app/svc-abcde/endpoint/orders?x=7", "{}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"when\": \"1970-01-01T00:00:00Z\", \"n\": 5, \"big\": 12345678901,"
                + " \"id\": \"65a000000000000000000001\", \"q\": \"7\", \"user\": \"\"}"));
    }

    @Test
    void anEndpointWithReturnTypeEjsonAnswersCanonicalExtendedJson() throws Exception {
        HttpResponse<String> response = send("GET", host.clientApiUrl() + "/endpoint/orders-ejson", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"when\": {\"$date\": {\"$numberLong\": \"0\"}}, \"n\": {\"$numberInt\": \"5\"},"
                + " \"big\": {\"$numberDouble\": \"1.2345678901E+10\"}, \"id\": {\"$oid\": \"65a000000000000000000001\"}, \"q\": null, \"user\": \"\"}"));
    }

    @Test
    void anEndpointChecksItsMethodAndItsSignature() throws Exception {
        assertThat(send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/orders", null).statusCode()).isEqualTo(405);
        assertThat(send("POST", host.baseUrl() + "/app/svc-abcde/endpoint/signed", "{}", "X-Hook-Signature", signature("{ }")).statusCode())
                .isEqualTo(403);
        assertThat(send("POST", host.baseUrl() + "/app/svc-abcde/endpoint/signed", "{}", "X-Hook-Signature", signature("{}")).statusCode())
                .isEqualTo(200);
        assertThat(lastRecord(LogType.ENDPOINT).functionName()).isEqualTo("endpointFn");
    }

    @Test
    void anApplicationAuthenticatedEndpointRunsAsTheCaller() throws Exception {
        JsonNode login = json(send("POST", host.clientApiUrl() + "/auth/providers/anon-user/login", "{}"));
        HttpResponse<String> response = send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/mine", null,
                "Authorization", "Bearer " + login.get("access_token").asText());
        assertThat(json(response).get("user").asText()).isEqualTo(login.get("user_id").asText());
        assertThat(send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/mine", null).statusCode()).isEqualTo(401);
    }

    @Test
    void anEndpointAcceptsTheEndpointSignatureHeader() throws Exception {
        assertThat(send("POST", host.baseUrl() + "/app/svc-abcde/endpoint/signed", "{}", "Endpoint-Signature", signature("{}")).statusCode())
                .isEqualTo(200);
        HttpResponse<String> tampered = send("POST", host.baseUrl() + "/app/svc-abcde/endpoint/signed", "{}", "Endpoint-Signature", signature("{ }"));
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(json(tampered).get("error").asText()).isEqualTo("endpoint /signed: Endpoint-Signature does not match the body");
    }

    @Test
    void anEndpointThatDoesNotRespondWithItsResultAnswers204() throws Exception {
        HttpResponse<String> response = send("POST", host.baseUrl() + "/app/svc-abcde/endpoint/quiet", "{}");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void verificationMethodIsReadAsTheValidationMethod() throws Exception {
        assertThat(send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/spelled", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/spelled?secret=" + SECRET, null).statusCode()).isEqualTo(200);
    }

    @Test
    void anApplicationAuthenticatedEndpointTakesEmailPasswordAndApiKeyHeaders() throws Exception {
        String email = "endpoint-" + System.nanoTime() + "@example.com";
        host.auth().register("local-userpass", new org.bson.Document("email", email).append("password", "password123"));
        String key = host.auth().createServerApiKey("endpoint-key-" + System.nanoTime()).secret();

        JsonNode byPassword = json(send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/mine", null, "email", email, "password", "password123"));
        JsonNode byKey = json(send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/mine", null, "apiKey", key));

        assertThat(byPassword.get("user").asText()).matches("[0-9a-f]{24}");
        assertThat(byKey.get("user").asText()).matches("[0-9a-f]{24}").isNotEqualTo(byPassword.get("user").asText());
        assertThat(send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/mine", null, "email", email, "password", "nope-nope").statusCode())
                .isEqualTo(401);
    }

    @Test
    void aWebhookIsReachableAtItsConvertedEndpointRoute() throws Exception {
        HttpResponse<String> response = send("POST", host.baseUrl() + "/app/svc-abcde/endpoint/hooks/open?a=1", "x");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("query")).isEqualTo(JSON.readTree("{\"a\": \"1\"}"));
        assertThat(lastRecord(LogType.ENDPOINT).functionName()).isEqualTo("webhook:hooks/open");
    }

    @Test
    void anUnknownEndpointIsNotFound() throws Exception {
        HttpResponse<String> response = send("GET", host.baseUrl() + "/app/svc-abcde/endpoint/none/here", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).contains("/none/here");
    }

    @Test
    void aSecretWithNoValueIsAClearServerError() throws Exception {
        HttpResponse<String> response = send("GET", webhookUrl("unset", "secret=x"), null);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).get("error").asText()).isEqualTo("webhook hooks/unset uses SECRET_AS_QUERY_PARAM but its secret 'neverSet'"
                + " has no value here (set it with `thimble secrets set <app> neverSet`)");
    }

    @Test
    void canEvaluateGuardsAWebhook() throws Exception {
        assertThat(send("POST", webhookUrl("guarded", null), "x").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = send("GET", webhookUrl("guarded", null), null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).get("error_code").asText()).isEqualTo("FunctionNotCallable");
    }

    @Test
    void aWebhookWhoseSourceDoesNotParseSaysWhere() throws Exception {
        HttpResponse<String> response = send("GET", webhookUrl("broken", null), null);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).get("error_code").asText()).isEqualTo("FunctionSyntaxError");
        assertThat(json(response).get("error").asText()).contains("services/hooks/incoming_webhooks/broken/source.js");
    }

    @Test
    void aHeaderValueWithALineBreakIsRefusedNotSent() throws Exception {
        HttpResponse<String> response = send("GET", webhookUrl("inject", "v=a%0D%0ASet-Cookie:%20evil=1"), null);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(json(response).get("error").asText()).contains("a header value may not contain line breaks");
    }

    @Test
    void runAsUserIdWithFetchCustomUserDataSeesTheUsersCustomData() throws Exception {
        host.database().database("app").getCollection("profiles").insertOne(new Document("user_id", "profiled-user").append("team", "green"));
        JsonNode body = json(send("GET", webhookUrl("asUserWithData", null), null));
        assertThat(body.get("id").asText()).isEqualTo("profiled-user");
        assertThat(body.get("custom").get("team").asText()).isEqualTo("green");
    }
}
