package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.cli.Thimble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API on an app that was in the home before (the todo example, with its vendor ids):
 * triggers, a function rename that follows references, custom user data, export equal to
 * {@code thimble export}, and import. Every response is checked against the vendor's document.
 */
class AdminApiExistingAppTest {
    @TempDir
    static Path homeDir;
    @TempDir
    static Path scratch;
    static AdminServer server;
    static Path bundle;

    @BeforeAll
    static void start() throws Exception {
        server = AdminServer.onTodoExample(homeDir);
        bundle = homeDir.resolve("todo");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void triggersAreListedWithTheirFunctionAndCanBeMadeChangedResumedAndDeleted() throws Exception {
        JsonNode triggers = server.call("GET", "/groups/{groupId}/apps/{appId}/triggers", null).json();
        assertThat(triggers).extracting(t -> t.get("name").asText()).contains("onNewItem", "onUserCreated");
        JsonNode onNewItem = triggers.get(0);
        assertThat(onNewItem.get("_id").asText()).isEqualTo("65a000000000000000000051");
        assertThat(onNewItem.get("function_name").asText()).isEqualTo("onItemInserted");

        String functionId = server.call("GET", "/groups/{groupId}/apps/{appId}/functions", null).json().findValuesAsText("_id").getFirst();
        AdminServer.Reply created = server.call("POST", "/groups/{groupId}/apps/{appId}/triggers", Map.of("name", "onListChange",
                "type", "DATABASE", "function_id", functionId, "event_processors", Map.of(),
                "config", Map.of("service_id", onNewItem.get("config").get("service_id").asText(), "database", "todo", "collection", "lists",
                        "operation_types", List.of("INSERT", "UPDATE"), "match", Map.of(), "full_document", true)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        server.params.put("triggerId", created.json().get("_id").asText());
        assertThat(AdminServer.JSON.readTree(bundle.resolve("triggers/onListChange.json").toFile()).at("/config/service_name").asText())
                .isEqualTo("mongodb-atlas");

        assertThat(server.call("PUT", "/groups/{groupId}/apps/{appId}/triggers/{triggerId}/resume", Map.of()).status()).isEqualTo(204);
        assertThat(server.call("PUT", "/groups/{groupId}/apps/{appId}/triggers/{triggerId}/resume", Map.of("disable_token", true)).status())
                .isEqualTo(204);
        AdminServer.Reply refused = server.call("POST", "/groups/{groupId}/apps/{appId}/triggers", Map.of("name", "broken",
                "type", "DATABASE", "function_name", "noSuchFunction", "event_processors", Map.of(),
                "config", Map.of("service_name", "mongodb-atlas", "database", "todo", "collection", "lists", "operation_types", List.of("INSERT"))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).contains("noSuchFunction");
        assertThat(bundle.resolve("triggers/broken.json")).doesNotExist();

        assertThat(server.call("DELETE", "/groups/{groupId}/apps/{appId}/triggers/{triggerId}", null).status()).isIn(200, 204);
        assertThat(bundle.resolve("triggers/onListChange.json")).doesNotExist();
        assertThat(server.violations).isEmpty();
    }

    @Test
    void renamingAFunctionThroughPutRewritesTheTriggerThatCallsIt() throws Exception {
        JsonNode functions = server.call("GET", "/groups/{groupId}/apps/{appId}/functions", null).json();
        JsonNode createProfile = null;
        for (JsonNode f : functions) {
            if (f.get("name").asText().equals("createUserProfile")) {
                createProfile = f;
            }
        }
        server.params.put("functionId", createProfile.get("_id").asText());
        JsonNode full = server.call("GET", "/groups/{groupId}/apps/{appId}/functions/{functionId}", null).json();
        AdminServer.Reply renamed = server.call("PUT", "/groups/{groupId}/apps/{appId}/functions/{functionId}", Map.of(
                "name", "makeUserProfile", "private", true, "source", full.get("source").asText()));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(Files.readString(bundle.resolve("triggers/onUserCreated.json"))).contains("makeUserProfile");
        assertThat(bundle.resolve("functions/createUserProfile")).doesNotExist();
        assertThat(server.violations).isEmpty();
    }

    @Test
    void customUserDataIsReadAndChangedWithTheServiceNamedById() throws Exception {
        String serviceId = null;
        for (JsonNode s : server.call("GET", "/groups/{groupId}/apps/{appId}/services", null).json()) {
            if (s.get("name").asText().equals("mongodb-atlas")) {
                serviceId = s.get("_id").asText();
            }
        }
        AdminServer.Reply patched = server.call("PATCH", "/groups/{groupId}/apps/{appId}/custom_user_data", Map.of(
                "enabled", true, "mongo_service_id", serviceId, "database_name", "todo", "collection_name", "users", "user_id_field", "user_id"));
        assertThat(patched.status()).as(patched.body()).isEqualTo(204);
        JsonNode read = server.call("GET", "/groups/{groupId}/apps/{appId}/custom_user_data", null).json();
        assertThat(read.get("enabled").asBoolean()).isTrue();
        assertThat(read.get("collection_name").asText()).isEqualTo("users");
        assertThat(read.get("mongo_service_id").asText()).isEqualTo(serviceId);
        assertThat(server.violations).isEmpty();
    }

    @Test
    void theExportEqualsThimbleExportAndImportingItBackChangesNothingWhileABrokenZipIsRefused() throws Exception {
        AdminServer.Reply export = server.call("GET", "/groups/{groupId}/apps/{appId}/export", null);
        assertThat(export.status()).isEqualTo(200);
        Path cliZip = scratch.resolve("cli.zip");
        StringWriter err = new StringWriter();
        int exit = Thimble.run(new String[]{"export", bundle.toString(), "--out", cliZip.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(AdminServer.entries(export.raw().body())).isEqualTo(AdminServer.entries(Files.readAllBytes(cliZip)));

        TreeMap<String, String> before = files(bundle);
        AdminServer.Reply imported = server.importZip(export.raw().body(), "?strategy=replace");
        assertThat(imported.status()).as(imported.body()).isEqualTo(204);
        assertThat(files(bundle)).isEqualTo(before);

        AdminServer.Reply notAZip = server.importZip("not a zip".getBytes(), "?strategy=replace");
        assertThat(notAZip.status()).isEqualTo(400);
        assertThat(files(bundle)).isEqualTo(before);
        AdminServer.Reply same = server.importZip(export.raw().body(), "?strategy=replace&diff=true");
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(same.json().get("equal").asBoolean()).isTrue();

        // a changed copy: a value changed and a function gone; diff=true lists exactly that and applies nothing
        TreeMap<String, String> changedFiles = AdminServer.entries(export.raw().body());
        changedFiles.put("values/appTitle.json", changedFiles.get("values/appTitle.json").replaceAll("\"value\"\\s*:\\s*\"[^\"]*\"", "\"value\": \"Renamed\""));
        changedFiles.keySet().removeIf(name -> name.startsWith("functions/itemsDueSoon/"));
        AdminServer.Reply diff = server.importZip(AdminServer.zip(changedFiles), "?strategy=replace&diff=true");
        assertThat(diff.status()).as(diff.body()).isEqualTo(200);
        assertThat(diff.json().get("equal").asBoolean()).isFalse();
        assertThat(diff.json().get("changes").findValuesAsText("name")).containsExactlyInAnyOrder("appTitle", "itemsDueSoon");
        assertThat(files(bundle)).isEqualTo(before);
    }

    @Test
    void anApiKeyMadeThroughTheAdminApiLogsInUntilDisabledAndIsNeverShownAgain() throws Exception {
        AdminServer.Reply created = server.call("POST", "/groups/{groupId}/apps/{appId}/api_keys", Map.of("name", "backend"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String key = created.json().get("key").asText();
        server.params.put("apiKeyId", created.json().get("_id").asText());
        String clientApi = server.home.baseUrl() + "/api/client/v2.0/app/todo-thmbl/auth/providers/api-key/login";
        assertThat(clientLogin(clientApi, key)).isEqualTo(200);

        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/api_keys", null).body()).contains("backend").doesNotContain(key);
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/api_keys/{apiKeyId}", null).body()).doesNotContain(key);
        assertThat(server.call("PUT", "/groups/{groupId}/apps/{appId}/api_keys/{apiKeyId}/disable", null).status()).isEqualTo(204);
        assertThat(clientLogin(clientApi, key)).isEqualTo(401);
        assertThat(server.call("DELETE", "/groups/{groupId}/apps/{appId}/api_keys/{apiKeyId}", null).status()).isEqualTo(204);
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/api_keys/{apiKeyId}", null).status()).isEqualTo(404);
        assertThat(server.violations).isEmpty();
    }

    @Test
    void aWebhookMadeThroughTheAdminApiAnswersWithItsSecretWhichNoAnswerShows() throws Exception {
        String inbox = null;
        for (JsonNode s : server.call("GET", "/groups/{groupId}/apps/{appId}/services", null).json()) {
            if (s.get("name").asText().equals("inbox")) {
                inbox = s.get("_id").asText();
            }
        }
        server.params.put("serviceId", inbox);
        String secret = "webhook-secret-5d1e";
        AdminServer.Reply created = server.call("POST", "/groups/{groupId}/apps/{appId}/services/{serviceId}/incoming_webhooks", Map.of(
                "name", "ping", "respond_result", true, "function_source", "exports = function(payload) { return { pong: payload.query.n }; };",
                "options", Map.of("httpMethod", "GET", "validationMethod", "SECRET_AS_QUERY_PARAM", "secret", secret)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        server.params.put("incomingWebhookId", created.json().get("_id").asText());
        String url = server.home.baseUrl() + "/api/client/v2.0/app/todo-thmbl/service/inbox/incoming_webhook/ping?n=7&secret=";
        var answered = server.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + secret)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answered.body()).as(answered.body()).contains("pong").contains("7");
        var refused = server.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "wrong")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isBetween(400, 499);

        AdminServer.Reply replaced = server.call("PUT", "/groups/{groupId}/apps/{appId}/services/{serviceId}/incoming_webhooks/{incomingWebhookId}",
                Map.of("name", "ping", "respond_result", true, "function_source", "exports = function(payload) { return { pong: 'v2' }; };"));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(Files.readString(bundle.resolve("services/inbox/incoming_webhooks/ping/source.js"))).contains("v2");
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/services/{serviceId}/incoming_webhooks", null).body()).contains("ping");
        assertThat(server.call("DELETE", "/groups/{groupId}/apps/{appId}/services/{serviceId}/incoming_webhooks/{incomingWebhookId}", null)
                .status()).isEqualTo(204);
        assertThat(bundle.resolve("services/inbox/incoming_webhooks/ping")).doesNotExist();
        assertThat(server.transcript).noneMatch(line -> line.contains(secret));
        assertThat(server.violations).isEmpty();
    }

    @Test
    void pendingRegistrationsAreListedConfirmedWithAnIssuedTokenOrAtOnceAndDeleted() throws Exception {
        String providerId = null;
        for (JsonNode p : server.call("GET", "/groups/{groupId}/apps/{appId}/auth_providers", null).json()) {
            if (p.get("type").asText().equals("local-userpass")) {
                providerId = p.get("_id").asText();
            }
        }
        server.params.put("providerId", providerId);
        JsonNode config = server.call("GET", "/groups/{groupId}/apps/{appId}/auth_providers/{providerId}", null).json().get("config");
        ((com.fasterxml.jackson.databind.node.ObjectNode) config).put("autoConfirm", false);
        assertThat(server.call("PATCH", "/groups/{groupId}/apps/{appId}/auth_providers/{providerId}", Map.of("config", config)).status())
                .isEqualTo(204);
        String clientApi = server.home.baseUrl() + "/api/client/v2.0/app/todo-thmbl/auth/providers/local-userpass";
        for (String email : List.of("una@example.com", "dos@example.com", "tres@example.com")) {
            assertThat(post(clientApi + "/register", "{\"email\":\"" + email + "\",\"password\":\"password1\"}")).isIn(200, 201, 204);
        }
        JsonNode pending = server.call("GET", "/groups/{groupId}/apps/{appId}/user_registrations/pending_users", null).json();
        assertThat(pending.findValuesAsText("id")).contains("una@example.com", "dos@example.com", "tres@example.com");
        assertThat(post(clientApi + "/login", "{\"username\":\"una@example.com\",\"password\":\"password1\"}")).isEqualTo(401);

        server.params.put("email", "una@example.com");
        JsonNode token = server.call("POST", "/groups/{groupId}/apps/{appId}/user_registrations/by_email/{email}/send_confirm", null).json();
        assertThat(post(clientApi + "/confirm", "{\"token\":\"" + token.get("token").asText() + "\",\"tokenId\":\""
                + token.get("token_id").asText() + "\"}")).isIn(200, 201, 204);
        assertThat(post(clientApi + "/login", "{\"username\":\"una@example.com\",\"password\":\"password1\"}")).isEqualTo(200);

        server.params.put("email", "dos@example.com");
        assertThat(server.call("POST", "/groups/{groupId}/apps/{appId}/user_registrations/by_email/{email}/confirm", null).status()).isEqualTo(204);
        assertThat(post(clientApi + "/login", "{\"username\":\"dos@example.com\",\"password\":\"password1\"}")).isEqualTo(200);
        AdminServer.Reply again = server.call("POST", "/groups/{groupId}/apps/{appId}/user_registrations/by_email/{email}/send_confirm", null);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("error").asText()).contains("confirmed already");

        server.params.put("email", "tres@example.com");
        assertThat(server.call("DELETE", "/groups/{groupId}/apps/{appId}/user_registrations/by_email/{email}", null).status()).isEqualTo(204);
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/user_registrations/pending_users", null).json().findValuesAsText("id"))
                .doesNotContain("una@example.com", "dos@example.com", "tres@example.com");
        assertThat(server.violations).isEmpty();
    }

    private static int post(String url, String json) throws Exception {
        return server.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int clientLogin(String url, String key) throws Exception {
        return server.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }


    private static TreeMap<String, String> files(Path dir) throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return out;
    }
}
