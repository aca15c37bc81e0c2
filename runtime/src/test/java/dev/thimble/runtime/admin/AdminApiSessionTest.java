package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole admin session over HTTP on a real server home: create an app from nothing, give it
 * providers, a function, a value, a secret, a service with a rule and a default rule, a user; run the
 * function as the user; read logs; export; delete. Each write must reach the bundle's files, the
 * serving app (a client calls the new function), and the app's log as an ADMIN record. Every
 * response is checked against the vendor's OpenAPI document, and none may carry the secret's value.
 */
class AdminApiSessionTest {
    private static final String MARKER = "marker-secret-7f3a9c1e";
    @TempDir
    static Path homeDir;
    static AdminServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new AdminServer(homeDir);
        server.loginWithCloudKey();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWholeSessionBuildsAServedAppThroughTheServiceLayerWithinTheDocumentAndWithoutLeakingTheSecret() throws Exception {
        // apps: a fresh group has none; a new app has a disabled api-key provider
        assertThat(server.call("GET", "/groups/{groupId}/apps", null).json()).isEmpty();
        AdminServer.Reply created = server.call("POST", "/groups/{groupId}/apps", Map.of("name", "shop", "location", "IE",
                "deployment_model", "LOCAL", "environment", "development"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode app = created.json();
        assertThat(app.get("name").asText()).isEqualTo("shop");
        assertThat(app.get("group_id").asText()).isEqualTo(server.params.get("groupId"));
        String clientAppId = app.get("client_app_id").asText();
        server.params.put("appId", app.get("_id").asText());
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}", null).json().get("client_app_id").asText()).isEqualTo(clientAppId);
        assertThat(server.call("GET", "/groups/{groupId}/apps", null).json()).hasSize(1);
        JsonNode providers = server.call("GET", "/groups/{groupId}/apps/{appId}/auth_providers", null).json();
        assertThat(providers).singleElement().satisfies(p -> {
            assertThat(p.get("type").asText()).isEqualTo("api-key");
            assertThat(p.get("disabled").asBoolean()).isTrue();
        });
        Path bundle = homeDir.resolve("shop");

        // auth providers: create with a secret value, enable the api-key one
        AdminServer.Reply customToken = server.call("POST", "/groups/{groupId}/apps/{appId}/auth_providers", Map.of(
                "name", "custom-token", "type", "custom-token", "disabled", false,
                "config", Map.of("audience", List.of("shop"), "signingAlgorithm", "HS256", "useJWKURI", false),
                "secret_config", Map.of("signingKeys", MARKER)));
        assertThat(customToken.status()).as(customToken.body()).isEqualTo(201);
        assertThat(customToken.body()).doesNotContain("secret_config");
        server.call("POST", "/groups/{groupId}/apps/{appId}/auth_providers", Map.of("name", "local-userpass", "type", "local-userpass",
                "config", Map.of("autoConfirm", true, "resetPasswordUrl", "http://localhost/reset", "runConfirmationFunction", false,
                        "runResetFunction", false)));
        server.call("POST", "/groups/{groupId}/apps/{appId}/auth_providers", Map.of("name", "anon-user", "type", "anon-user"));
        server.params.put("providerId", providers.get(0).get("_id").asText());
        assertThat(server.call("PUT", "/groups/{groupId}/apps/{appId}/auth_providers/{providerId}/enable", null).status()).isEqualTo(204);
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/auth_providers/{providerId}", null).json().get("disabled").asBoolean()).isFalse();
        assertThat(AdminServer.JSON.readTree(bundle.resolve("auth_providers/api-key.json").toFile()).get("disabled").asBoolean()).isFalse();

        // a function, a value, a secret
        AdminServer.Reply fn = server.call("POST", "/groups/{groupId}/apps/{appId}/functions", Map.of("name", "greet", "private", false,
                "source", "exports = function(name) { console.log('greeting ' + name); return { greeting: 'hello ' + name + ' from ' + context.values.get('shopName') }; };"));
        assertThat(fn.status()).as(fn.body()).isEqualTo(201);
        server.params.put("functionId", fn.json().get("_id").asText());
        assertThat(Files.readString(bundle.resolve("functions/greet/source.js"))).contains("hello ");
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/functions", null).json().get(0).has("source")).isFalse();
        AdminServer.Reply value = server.call("POST", "/groups/{groupId}/apps/{appId}/values", Map.of("name", "shopName", "private", false, "value", "Corner Shop"));
        assertThat(value.status()).as(value.body()).isEqualTo(201);
        AdminServer.Reply secret = server.call("POST", "/groups/{groupId}/apps/{appId}/secrets", Map.of("name", "apiToken", "value", MARKER));
        assertThat(secret.status()).as(secret.body()).isEqualTo(201);
        server.params.put("secretId", secret.json().get("_id").asText());
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/secrets", null).json()).extracting(s -> s.get("name").asText())
                .contains("apiToken");
        assertThat(server.call("PUT", "/groups/{groupId}/apps/{appId}/secrets/{secretId}", Map.of("value", MARKER + "-2")).status()).isEqualTo(204);
        assertThat(Files.readString(bundle.resolve("secrets.json"))).doesNotContain(MARKER);

        // the function changed through PUT, and a refused write changes nothing
        AdminServer.Reply replaced = server.call("PUT", "/groups/{groupId}/apps/{appId}/functions/{functionId}", Map.of("name", "greet",
                "private", false, "source", "exports = function(name) { console.log('greeting ' + name); return { greeting: 'hi ' + name + ' from ' + context.values.get('shopName') }; };"));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        AdminServer.Reply refused = server.call("POST", "/groups/{groupId}/apps/{appId}/functions", Map.of("name", "greet", "private", false, "source", "exports = 1;"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).contains("already exists");

        // a MongoDB service with a rule and a default rule
        AdminServer.Reply service = server.call("POST", "/groups/{groupId}/apps/{appId}/services", Map.of("name", "mongodb-atlas", "type", "mongodb-atlas",
                "config", Map.of("clusterName", "Cluster0")));
        assertThat(service.status()).as(service.body()).isEqualTo(201);
        server.params.put("serviceId", service.json().get("_id").asText());
        AdminServer.Reply rule = server.call("POST", "/groups/{groupId}/apps/{appId}/services/{serviceId}/rules", Map.of(
                "database", "shop", "collection", "items",
                "roles", List.of(Map.of("name", "owner", "apply_when", Map.of("owner_id", "%%user.id"),
                        "read", true, "write", true, "insert", true, "delete", true))));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        server.params.put("ruleId", rule.json().get("_id").asText());
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/services/{serviceId}/rules/{ruleId}", null).json()
                .get("roles").get(0).get("name").asText()).isEqualTo("owner");
        AdminServer.Reply defaultRule = server.call("POST", "/groups/{groupId}/apps/{appId}/services/{serviceId}/default_rule", Map.of(
                "roles", List.of(Map.of("name", "readAll", "apply_when", Map.of(), "read", true, "write", false))));
        assertThat(defaultRule.status()).as(defaultRule.body()).isIn(200, 201);
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/services/{serviceId}/default_rule", null).json()
                .get("roles").get(0).get("name").asText()).isEqualTo("readAll");
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/services/{serviceId}/config", null).json()
                .get("clusterName").asText()).isEqualTo("Cluster0");

        // a user, and the function run as that user
        AdminServer.Reply user = server.call("POST", "/groups/{groupId}/apps/{appId}/users", Map.of("email", "ann@example.com", "password", "password1"));
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        String userId = user.json().get("_id").asText();
        server.params.put("userId", userId);
        AdminServer.Reply run = server.call("POST", "/groups/{groupId}/apps/{appId}/debug/execute_function",
                Map.of("name", "greet", "arguments", List.of("Ann")), server.accessToken, "?user_id=" + userId);
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().get("result").get("greeting").asText()).isEqualTo("hi Ann from Corner Shop");
        assertThat(run.json().get("logs").toString()).contains("greeting Ann");
        assertThat(server.call("PUT", "/groups/{groupId}/apps/{appId}/users/{userId}/disable", null).status()).isEqualTo(204);
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/users/{userId}", null).json().get("disabled").asBoolean()).isTrue();
        assertThat(server.call("PUT", "/groups/{groupId}/apps/{appId}/users/{userId}/enable", null).status()).isEqualTo(204);
        assertThat(server.call("PUT", "/groups/{groupId}/apps/{appId}/users/{userId}/logout", null).status()).isEqualTo(204);

        // the serving app has it all at once: a client logs in and calls the new function
        String clientApi = server.home.baseUrl() + "/api/client/v2.0/app/" + clientAppId;
        HttpResponse<String> login = server.http.send(HttpRequest.newBuilder(URI.create(clientApi + "/auth/providers/local-userpass/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ann@example.com\",\"password\":\"password1\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String clientToken = AdminServer.JSON.readTree(login.body()).get("access_token").asText();
        HttpResponse<String> called = server.http.send(HttpRequest.newBuilder(URI.create(clientApi + "/functions/call"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"greet\",\"arguments\":[\"Bo\"]}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + clientToken).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(called.body()).contains("hi Bo from Corner Shop");
        String deviceId = AdminServer.JSON.readTree(login.body()).get("device_id").asText();
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/users/{userId}/devices", null).json().findValuesAsText("device_id"))
                .contains(deviceId);

        // logs: the function runs and the admin's changes, as ADMIN records
        JsonNode logs = server.call("GET", "/groups/{groupId}/apps/{appId}/logs", null, server.accessToken, "?type=FUNCTION&limit=10").json();
        assertThat(logs.get("logs")).isNotEmpty();
        assertThat(logs.get("logs").get(0).get("type").asText()).isEqualTo("FUNCTION");
        var adminRecords = server.home.host(clientAppId).orElseThrow().logs().query(LogQuery.all().withTypes(LogType.ADMIN).withLimit(100));
        assertThat(adminRecords.records()).extracting(r -> String.join(" ", r.messages()))
                .anySatisfy(m -> assertThat(m).contains("admin tests").contains("created function greet"))
                .anySatisfy(m -> assertThat(m).contains("created secret apiToken"));

        // export: a zip with a filename, the app's files, never a secret's value
        AdminServer.Reply export = server.call("GET", "/groups/{groupId}/apps/{appId}/export", null);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Disposition")).startsWith("attachment; filename=shop_").endsWith(".zip");
        TreeSet<String> entries = new TreeSet<>();
        StringBuilder zipText = new StringBuilder();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(export.raw().body()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.add(e.getName());
                zipText.append(new String(zip.readAllBytes()));
            }
        }
        assertThat(entries).contains("stitch.json", "functions/greet/source.js", "values/shopName.json", "auth_providers/custom-token.json");
        assertThat(zipText.toString()).doesNotContain(MARKER);

        // unserved features: a 501 naming the feature
        AdminServer.Reply graphql = server.call("GET", "/groups/{groupId}/apps/{appId}/graphql/config", null);
        assertThat(graphql.status()).isEqualTo(501);
        assertThat(graphql.json().get("error").asText()).contains("GraphQL");

        // delete: the app, its folder and its state go
        assertThat(server.call("DELETE", "/groups/{groupId}/apps/{appId}", null).status()).isEqualTo(204);
        assertThat(bundle).doesNotExist();
        assertThat(server.call("GET", "/groups/{groupId}/apps", null).json()).isEmpty();
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}", null).status()).isEqualTo(404);

        assertThat(server.transcript).noneMatch(line -> line.contains(MARKER));
        if (server.contract.isPresent()) {
            assertThat(server.violations).isEmpty();
        } else {
            System.err.println(AdminContract.missing() + " Responses were not checked against it.");
        }
    }
}
