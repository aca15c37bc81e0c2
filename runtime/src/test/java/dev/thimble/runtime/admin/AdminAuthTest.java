package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Admin logins, tokens and their limits, over HTTP on a real server home. */
class AdminAuthTest {
    @TempDir
    Path homeDir;
    AdminServer server;

    @BeforeEach
    void start() {
        server = new AdminServer(homeDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anEmailPasswordAdminLogsInSeesItsGroupRefreshesAndLogsOut() throws Exception {
        server.identities.createUser("root@example.com", "correct horse");
        AdminServer.Reply login = server.call("POST", "/auth/providers/local-userpass/login",
                Map.of("username", "root@example.com", "password", "correct horse"), null, "");
        assertThat(login.status()).isEqualTo(200);
        JsonNode tokens = login.json();
        JsonNode profile = server.call("GET", "/auth/profile", null, tokens.get("access_token").asText(), "").json();
        assertThat(profile.get("roles").get(0).get("group_id").asText()).isEqualTo(server.identities.groupId());
        assertThat(profile.get("data").get("email").asText()).isEqualTo("root@example.com");

        String refresh = tokens.get("refresh_token").asText();
        AdminServer.Reply renewed = server.call("POST", "/auth/session", null, refresh, "");
        assertThat(renewed.status()).isEqualTo(201);
        assertThat(server.call("GET", "/auth/profile", null, renewed.json().get("access_token").asText(), "").status()).isEqualTo(200);
        assertThat(server.call("POST", "/auth/session", null, tokens.get("access_token").asText(), "").json().get("error").asText())
                .isEqualTo("invalid refresh token: incorrect token type");

        assertThat(server.call("DELETE", "/auth/session", null, refresh, "").status()).isEqualTo(204);
        AdminServer.Reply afterLogout = server.call("POST", "/auth/session", null, refresh, "");
        assertThat(afterLogout.status()).isEqualTo(401);
        assertThat(afterLogout.json().get("error_code").asText()).isEqualTo("InvalidSession");
        assertThat(server.violations).isEmpty();
    }

    @Test
    void anAdminApiKeyLogsInAndStopsWorkingOnceDeleted() throws Exception {
        AdminIdentities.CreatedKey key = server.identities.createApiKey("ci");
        AdminServer.Reply login = server.call("POST", "/auth/providers/api-key/login", Map.of("key", key.secret()), null, "");
        assertThat(login.status()).isEqualTo(200);
        String access = login.json().get("access_token").asText();
        assertThat(server.call("GET", "/auth/profile", null, access, "").status()).isEqualTo(200);
        server.identities.delete(key.key().id());
        assertThat(server.call("GET", "/auth/profile", null, access, "").status()).isEqualTo(401);
        assertThat(server.call("POST", "/auth/providers/api-key/login", Map.of("key", key.secret()), null, "").status()).isEqualTo(401);
        assertThat(Files.readString(server.home.stateFolder().resolve("admin/identities.json"))).doesNotContain(key.secret());
    }

    @Test
    void aWrongAdminPasswordIsThrottledAfterTenTriesEvenForTheRightOneThen() throws Exception {
        server.identities.createUser("root@example.com", "correct horse");
        for (int i = 0; i < 10; i++) {
            AdminServer.Reply wrong = server.call("POST", "/auth/providers/local-userpass/login",
                    Map.of("username", "root@example.com", "password", "wrong " + i), null, "");
            assertThat(wrong.status()).isEqualTo(401);
        }
        AdminServer.Reply throttled = server.call("POST", "/auth/providers/local-userpass/login",
                Map.of("username", "root@example.com", "password", "correct horse"), null, "");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isNotNull();
        assertThat(throttled.json().get("error_code").asText()).isEqualTo("TooManyRequests");
    }

    @Test
    void adminAndClientTokensCannotBeSwapped() throws Exception {
        server.loginWithCloudKey();
        JsonNode app = server.call("POST", "/groups/{groupId}/apps", Map.of("name", "swap")).json();
        server.params.put("appId", app.get("_id").asText());
        server.call("POST", "/groups/{groupId}/apps/{appId}/auth_providers", Map.of("name", "anon-user", "type", "anon-user"));
        String clientApi = server.home.baseUrl() + "/api/client/v2.0/app/" + app.get("client_app_id").asText();
        HttpResponse<String> anon = server.http.send(HttpRequest.newBuilder(URI.create(clientApi + "/auth/providers/anon-user/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anon.statusCode()).as(anon.body()).isEqualTo(200);
        String clientToken = AdminServer.JSON.readTree(anon.body()).get("access_token").asText();

        AdminServer.Reply clientOnAdmin = server.call("GET", "/groups/{groupId}/apps", null, clientToken, "");
        assertThat(clientOnAdmin.status()).isEqualTo(401);
        assertThat(clientOnAdmin.json().get("error").asText()).contains("not an admin token");

        HttpResponse<String> adminOnClient = server.http.send(HttpRequest.newBuilder(URI.create(clientApi + "/functions/call"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"arguments\":[]}")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + server.accessToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(adminOnClient.statusCode()).isEqualTo(401);
        HttpResponse<String> adminOnClientProfile = server.http.send(HttpRequest.newBuilder(URI.create(server.home.baseUrl() + "/api/client/v2.0/auth/profile"))
                .header("Authorization", "Bearer " + server.accessToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(adminOnClientProfile.statusCode()).isBetween(400, 499);
        assertThat(adminOnClientProfile.body()).doesNotContain("\"user_id\"");
    }

    @Test
    void everyAdminRouteRefusesARequestWithoutAToken() throws Exception {
        server.loginWithCloudKey();
        for (var route : server.api.routes().all()) {
            if (route.access() == AdminRoutes.Access.PUBLIC) {
                continue;
            }
            String path = route.template().replace("{groupId}", server.identities.groupId()).replaceAll("\\{[^}]+}", "x");
            AdminServer.Reply reply = server.call(route.method(), path, route.method().equals("GET") ? null : Map.of(), null, "");
            assertThat(reply.status()).as(route.method() + " " + route.template()).isEqualTo(401);
        }
    }
}
