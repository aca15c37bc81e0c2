package dev.thimble.runtime.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.thimble.runtime.AppHost;
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
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code create_user_on_auth} on HTTPS endpoints and incoming webhooks: a valid custom JWT of an identity that
 * has no user yet creates one only when the setting is true; otherwise the request is refused and nothing is
 * created. Over HTTP against a running app.
 */
class CreateUserOnAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String JWT_KEY = "create-user-on-auth-signing-key-0123456789";
    private static final String WHO = "exports = function(request, response) { return {user: context.user.id}; };";

    @TempDir
    static Path dir;
    static AppHost host;

    @BeforeAll
    static void start() {
        SecretStore secrets = new SecretStore(dir.resolve("secrets.json"));
        secrets.set("jwtKey", JWT_KEY);
        host = ServiceApps.app()
                .metadata("{\"app_id\": \"cuoa-abcde\", \"name\": \"cuoa\"}")
                .mongo()
                .provider("{\"name\": \"custom-token\", \"type\": \"custom-token\", \"config\": {\"signingAlgorithm\": \"HS256\"},"
                        + " \"secret_config\": {\"signingKeys\": [\"jwtKey\"]}}")
                .function("{\"name\": \"who\", \"private\": true}", "who", WHO)
                .endpoint("{\"route\": \"/strict\", \"http_method\": \"GET\", \"function_name\": \"who\", \"authentication\": \"application\","
                        + " \"create_user_on_auth\": false, \"return_type\": \"JSON\"}")
                .endpoint("{\"route\": \"/welcoming\", \"http_method\": \"GET\", \"function_name\": \"who\", \"authentication\": \"application\","
                        + " \"create_user_on_auth\": true, \"return_type\": \"JSON\"}")
                .service("hooks", "http", List.of(), List.of(
                        ServiceApps.webhook("{\"name\": \"strict\", \"options\": {\"httpMethod\": \"GET\"}, \"run_as_authed_user\": true,"
                                + " \"create_user_on_auth\": false, \"respond_result\": true}", WHO)))
                .start(dir, secrets);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    private static String jwtFor(String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject).audience("cuoa-abcde")
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build());
        jwt.sign(new MACSigner(JWT_KEY.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static HttpResponse<String> get(String url, String jwt) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("jwtTokenString", jwt).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long usersWithIdentity(String subject) {
        return host.database().database(AppHost.stateDatabaseName("cuoa-abcde")).getCollection("users")
                .countDocuments(new Document("identities", new Document("$elemMatch",
                        new Document("provider_type", "custom-token").append("id", subject))));
    }

    @Test
    void anEndpointWithCreateUserOnAuthOffRefusesAnUnknownIdentityAndCreatesNoUser() throws Exception {
        HttpResponse<String> response = get(host.baseUrl() + "/app/cuoa-abcde/endpoint/strict", jwtFor("stranger-1"));

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error_code").asText()).isEqualTo("IncomingWebhookAuthFailed");
        assertThat(body.get("error").asText()).contains("error finding user").contains("create_user_on_auth");
        assertThat(body.get("link").asText()).startsWith(host.baseUrl() + "/api/admin/v3.0/groups/default/apps/cuoa-abcde/logs?co_id=");
        assertThat(usersWithIdentity("stranger-1")).isZero();
    }

    @Test
    void aWebhookWithCreateUserOnAuthOffRefusesAnUnknownIdentity() throws Exception {
        HttpResponse<String> response = get(host.clientApiUrl() + "/service/hooks/incoming_webhook/strict", jwtFor("stranger-2"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("error_code").asText()).isEqualTo("IncomingWebhookAuthFailed");
        assertThat(usersWithIdentity("stranger-2")).isZero();
    }

    @Test
    void anEndpointWithCreateUserOnAuthOnCreatesTheUserAndRunsAsIt() throws Exception {
        HttpResponse<String> response = get(host.baseUrl() + "/app/cuoa-abcde/endpoint/welcoming", jwtFor("newcomer"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(usersWithIdentity("newcomer")).isEqualTo(1);
        String userId = JSON.readTree(response.body()).get("user").asText();
        assertThat(host.auth().login("custom-token", new Document("token", jwtFor("newcomer")), "127.0.0.1", null).userId()).isEqualTo(userId);
    }

    @Test
    void aKnownIdentityIsServedWhereCreateUserOnAuthIsOff() throws Exception {
        String userId = host.auth().login("custom-token", new Document("token", jwtFor("regular")), "127.0.0.1", null).userId();

        HttpResponse<String> endpoint = get(host.baseUrl() + "/app/cuoa-abcde/endpoint/strict", jwtFor("regular"));
        HttpResponse<String> webhook = get(host.clientApiUrl() + "/service/hooks/incoming_webhook/strict", jwtFor("regular"));

        assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(200);
        assertThat(JSON.readTree(endpoint.body()).get("user").asText()).isEqualTo(userId);
        assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(200);
        assertThat(JSON.readTree(webhook.body()).get("user").asText()).isEqualTo(userId);
        assertThat(usersWithIdentity("regular")).isEqualTo(1);
    }
}
