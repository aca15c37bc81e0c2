package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogType;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin routes finished last, on the todo example over HTTP, each response checked against the
 * vendor's document: a MongoDB service's commands, running a source snippet as a user or as system
 * (through the app's function runtime), re-running a registration's confirmation, and importing a
 * partial zip with {@code strategy=merge} (its diff, then its effect on the bundle's files).
 */
class AdminApiCommandsSnippetsConfirmAndMergeTest {
    @TempDir
    static Path homeDir;
    static AdminServer server;
    static Path bundle;
    static String clientApi;

    @BeforeAll
    static void start() throws Exception {
        server = AdminServer.onTodoExample(homeDir);
        bundle = homeDir.resolve("todo");
        clientApi = server.todoClientApi();
        for (JsonNode s : server.call("GET", "/groups/{groupId}/apps/{appId}/services", null).json()) {
            server.params.put(s.get("name").asText().equals("inbox") ? "webhookServiceId" : "serviceId", s.get("_id").asText());
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMongoServiceListsItsDatabasesCollectionsAndBuildAndGeneratesASchemaFromASample() throws Exception {
        var db = server.home.host("todo-thmbl").orElseThrow().database().database("shopfloor");
        db.getCollection("bins").insertMany(List.of(new Document("label", "A1").append("count", 3),
                new Document("label", "B2").append("count", 5).append("note", "fragile")));

        String commands = "/groups/{groupId}/apps/{appId}/services/{serviceId}/commands/{commandName}";
        server.params.put("commandName", "list_databases");
        JsonNode databases = server.call("POST", commands, Map.of()).json();
        assertThat(databases).extracting(JsonNode::asText).contains("shopfloor").noneMatch(d -> d.startsWith("__thimble") || d.equals("admin"));
        server.params.put("commandName", "list_collections");
        assertThat(server.call("POST", commands, Map.of("database_name", "shopfloor")).json()).extracting(JsonNode::asText).containsExactly("bins");
        server.params.put("commandName", "list_namespaces");
        assertThat(server.call("POST", commands, Map.of()).json()).extracting(JsonNode::asText).contains("shopfloor.bins");

        JsonNode build = server.call("GET", "/groups/{groupId}/apps/{appId}/services/{serviceId}/commands/build_info", null).json();
        assertThat(build.get("version").asText()).matches("\\d+\\.\\d+.*");

        AdminServer.Reply schema = server.call("POST", "/groups/{groupId}/apps/{appId}/services/{serviceId}/commands/generate_schema",
                Map.of("database_name", "shopfloor", "collection_name", "bins", "limit", 10));
        assertThat(schema.status()).as(schema.body()).isEqualTo(200);
        JsonNode properties = schema.json().get("schema").get("properties");
        assertThat(properties.get("label").get("bsonType").asText()).isEqualTo("string");
        assertThat(properties.get("count").get("bsonType").asText()).isEqualTo("int");
        assertThat(properties.get("_id").get("bsonType").asText()).isEqualTo("objectId");
        assertThat(schema.json().get("schema").get("required")).extracting(JsonNode::asText).contains("label", "count").doesNotContain("note");

        // bad input: the error shape, and what to do
        server.params.put("commandName", "drop_everything");
        AdminServer.Reply unknown = server.call("POST", commands, Map.of());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).contains("list_databases");
        server.params.put("commandName", "list_collections");
        assertThat(server.call("POST", commands, Map.of()).json().get("error").asText()).contains("database_name");
        AdminServer.Reply internal = server.call("POST", commands, Map.of("database_name", "__thimble_state"));
        assertThat(internal.status()).isEqualTo(400);
        String webhookService = "/groups/{groupId}/apps/{appId}/services/" + server.params.get("webhookServiceId") + "/commands/list_databases";
        AdminServer.Reply notMongo = server.call("POST", webhookService, Map.of());
        assertThat(notMongo.status()).isEqualTo(400);
        assertThat(notMongo.json().get("error").asText()).contains("only a MongoDB data source");
        server.params.put("commandName", "validate_documents");
        assertThat(server.call("POST", commands, Map.of()).status()).isEqualTo(501);
        assertThat(server.violations).isEmpty();
    }

    @Test
    void aServiceIsUpdatedAndRenamedWhileItsTypeStaysAndAnotherServicesNameIsRefused() throws Exception {
        String inbox = "/groups/{groupId}/apps/{appId}/services/" + server.params.get("webhookServiceId");
        AdminServer.Reply renamed = server.call("PATCH", inbox, Map.of("name", "mailbox", "config", Map.of("note", "renamed")));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("mailbox");
        assertThat(bundle.resolve("services/inbox")).doesNotExist();
        assertThat(AdminServer.JSON.readTree(bundle.resolve("services/mailbox/config.json").toFile()).at("/config/note").asText()).isEqualTo("renamed");
        assertThat(server.call("GET", inbox, null).json().get("name").asText()).isEqualTo("mailbox");

        String before = Files.readString(bundle.resolve("services/mailbox/config.json"));
        AdminServer.Reply retype = server.call("PATCH", inbox, Map.of("type", "mongodb-atlas"));
        assertThat(retype.status()).isEqualTo(400);
        assertThat(retype.json().get("error").asText()).contains("type cannot change");
        AdminServer.Reply taken = server.call("PATCH", inbox, Map.of("name", "mongodb-atlas"));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(Files.readString(bundle.resolve("services/mailbox/config.json"))).isEqualTo(before);

        assertThat(server.call("PATCH", inbox, Map.of("name", "inbox")).status()).isEqualTo(200);
        assertThat(bundle.resolve("services/inbox/config.json")).exists();
        assertThat(server.violations).isEmpty();
    }

    @Test
    void aSourceSnippetRunsAsSystemOrAsAUserThroughTheFunctionRuntimeAndIsNeverSaved() throws Exception {
        String snippets = "/groups/{groupId}/apps/{appId}/debug/execute_function_source";
        AdminServer.Reply asSystem = server.call("POST", snippets, Map.of("source",
                "exports = function(a, b) { console.log('adding ' + a + ' and ' + b); return { sum: a + b, title: context.values.get('appTitle') }; };",
                "arguments", List.of(2, 3)), server.accessToken, "?run_as_system=true");
        assertThat(asSystem.status()).as(asSystem.body()).isEqualTo(200);
        assertThat(asSystem.json().get("result").get("sum").asInt()).isEqualTo(5);
        assertThat(asSystem.json().get("result").get("title").asText()).isNotBlank();
        assertThat(asSystem.json().get("logs").toString()).contains("adding 2 and 3");
        assertThat(asSystem.json().get("stats").get("execution_time").asText()).endsWith("ms");

        AdminServer.Reply user = server.call("POST", "/groups/{groupId}/apps/{appId}/users", Map.of("email", "snip@example.com", "password", "password1"));
        String userId = user.json().get("_id").asText();
        // as the generated npm client asks: both parameters, run_as_system=false
        AdminServer.Reply asUser = server.call("POST", snippets, Map.of("source", "return { me: context.user.id, email: context.user.data.email };"),
                server.accessToken, "?user_id=" + userId + "&run_as_system=false");
        assertThat(asUser.json().get("result").get("me").asText()).isEqualTo(userId);
        assertThat(asUser.json().get("result").get("email").asText()).isEqualTo("snip@example.com");

        // eval_source: a rule expression over the caller that must hold first
        AdminServer.Reply allowed = server.call("POST", snippets, Map.of("source", "return { ran: true };",
                "eval_source", "{\"%%user.data.email\": \"snip@example.com\"}"), server.accessToken, "?user_id=" + userId);
        assertThat(allowed.json().get("result").get("ran").asBoolean()).isTrue();
        AdminServer.Reply held = server.call("POST", snippets, Map.of("source", "return { ran: true };",
                "eval_source", "{\"%%user.data.email\": \"someone-else@example.com\"}"), server.accessToken, "?user_id=" + userId);
        assertThat(held.status()).isEqualTo(200);
        assertThat(held.json().has("result")).isFalse();
        assertThat(held.json().get("error").get("message").asText()).contains("eval_source");

        // code may read a secret (through a value linked to it); the answer masks it, as the log does
        String secret = "snippet-secret-91c4e2";
        assertThat(server.call("POST", "/groups/{groupId}/apps/{appId}/secrets", Map.of("name", "snippetKey", "value", secret)).status())
                .isEqualTo(201);
        assertThat(server.call("POST", "/groups/{groupId}/apps/{appId}/values", Map.of("name", "snippetLinked", "value", "snippetKey",
                "from_secret", true)).status()).isEqualTo(201);
        AdminServer.Reply reading = server.call("POST", snippets, Map.of("source",
                "const k = context.values.get('snippetLinked'); console.log('key ' + k); return { key: k };"), server.accessToken, "?run_as_system=true");
        assertThat(reading.json().get("result").get("key").asText()).isEqualTo("****");
        assertThat(reading.json().get("logs").toString()).contains("key ****");
        assertThat(server.transcript).noneMatch(line -> line.contains(secret));

        // the sandbox: no host classes; a failure is the answer's error, the server goes on
        AdminServer.Reply escape = server.call("POST", snippets, Map.of("source", "return { rt: String(Java.type('java.lang.Runtime')) };"),
                server.accessToken, "?run_as_system=true");
        assertThat(escape.status()).isEqualTo(200);
        assertThat(escape.json().has("error")).as(escape.body()).isTrue();
        assertThat(escape.json().has("result")).isFalse();

        // bad input: the error shape
        assertThat(server.call("POST", snippets, Map.of("source", "return 1;")).status()).isEqualTo(400); // neither user nor system
        assertThat(server.call("POST", snippets, Map.of(), server.accessToken, "?run_as_system=true").json().get("error").asText())
                .contains("source");
        assertThat(server.call("POST", snippets, Map.of("source", "return 1;", "eval_source", "{not json"), server.accessToken,
                "?run_as_system=true").status()).isEqualTo(400);
        assertThat(server.call("POST", snippets, Map.of("source", "return 1;"), server.accessToken, "?user_id=000000000000000000000000")
                .status()).isEqualTo(400);

        // nothing of it was saved; each run left a FUNCTION record
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/functions", null).json().findValuesAsText("name"))
                .noneMatch(n -> n.contains("snippet"));
        assertThat(server.home.host("todo-thmbl").orElseThrow().logs().query(LogQuery.all().withTypes(LogType.FUNCTION).withLimit(50))
                .records()).anySatisfy(r -> assertThat(String.join(" ", r.messages())).contains("adding 2 and 3"));
        assertThat(server.violations).isEmpty();
    }

    @Test
    void reRunningAConfirmationRunsTheConfirmationFunctionAgainOrSendsANewEmail() throws Exception {
        AdminServer.Reply fn = server.call("POST", "/groups/{groupId}/apps/{appId}/functions", Map.of("name", "confirmLater", "private", true,
                "source", "exports = function({ username }) { return { status: 'pending' }; };"));
        assertThat(fn.status()).as(fn.body()).isEqualTo(201);
        server.params.put("functionId", fn.json().get("_id").asText());
        String providerId = null;
        for (JsonNode p : server.call("GET", "/groups/{groupId}/apps/{appId}/auth_providers", null).json()) {
            if (p.get("type").asText().equals("local-userpass")) {
                providerId = p.get("_id").asText();
            }
        }
        server.params.put("providerId", providerId);
        ObjectNode config = (ObjectNode) server.call("GET", "/groups/{groupId}/apps/{appId}/auth_providers/{providerId}", null).json().get("config");
        config.put("autoConfirm", false).put("runConfirmationFunction", true).put("confirmationFunctionName", "confirmLater");
        assertThat(server.call("PATCH", "/groups/{groupId}/apps/{appId}/auth_providers/{providerId}", Map.of("config", config)).status()).isEqualTo(204);

        assertThat(post(clientApi + "/auth/providers/local-userpass/register", "{\"email\":\"late@example.com\",\"password\":\"password1\"}"))
                .isBetween(200, 204);
        String login = "{\"username\":\"late@example.com\",\"password\":\"password1\"}";
        assertThat(post(clientApi + "/auth/providers/local-userpass/login", login)).isEqualTo(401);

        // the function now confirms: re-running it confirms the waiting registration
        assertThat(server.call("PUT", "/groups/{groupId}/apps/{appId}/functions/{functionId}", Map.of("name", "confirmLater", "private", true,
                "source", "exports = function({ username }) { return { status: 'success' }; };")).status()).isEqualTo(200);
        server.params.put("email", "late@example.com");
        String runConfirm = "/groups/{groupId}/apps/{appId}/user_registrations/by_email/{email}/run_confirm";
        assertThat(server.call("POST", runConfirm, null).status()).isEqualTo(202);
        assertThat(post(clientApi + "/auth/providers/local-userpass/login", login)).isEqualTo(200);

        AdminServer.Reply confirmed = server.call("POST", runConfirm, null);
        assertThat(confirmed.status()).isEqualTo(400);
        assertThat(confirmed.json().get("error_code").asText()).isEqualTo("UserAlreadyConfirmed");
        server.params.put("email", "nobody@example.com");
        assertThat(server.call("POST", runConfirm, null).status()).isEqualTo(404);

        // confirmation by email: a new confirmation email
        config.put("runConfirmationFunction", false).put("confirmationFunctionName", "");
        assertThat(server.call("PATCH", "/groups/{groupId}/apps/{appId}/auth_providers/{providerId}", Map.of("config", config)).status()).isEqualTo(204);
        assertThat(post(clientApi + "/auth/providers/local-userpass/register", "{\"email\":\"mail@example.com\",\"password\":\"password1\"}"))
                .isBetween(200, 204);
        server.params.put("email", "mail@example.com");
        assertThat(server.call("POST", runConfirm, null).status()).isEqualTo(202);
        assertThat(server.home.host("todo-thmbl").orElseThrow().logs().query(LogQuery.all().withTypes(LogType.ADMIN).withLimit(50)).records())
                .extracting(r -> String.join(" ", r.messages()))
                .anySatisfy(m -> assertThat(m).contains("re-ran the confirmation function for late@example.com"))
                .anySatisfy(m -> assertThat(m).contains("sent a new confirmation email to mail@example.com"));
        config.put("autoConfirm", true);
        server.call("PATCH", "/groups/{groupId}/apps/{appId}/auth_providers/{providerId}", Map.of("config", config));
        assertThat(server.violations).isEmpty();
    }

    @Test
    void aMergeImportReplacesWhatTheZipHoldsKeepsEverythingElseAndItsDiffSaysExactlyThat() throws Exception {
        AdminServer.Reply export = server.call("GET", "/groups/{groupId}/apps/{appId}/export", null);
        TreeMap<String, String> all = AdminServer.entries(export.raw().body());
        // a partial bundle: the root config, one function changed, one value new, the items rule with a role more, a secret name more
        TreeMap<String, String> partial = new TreeMap<>();
        partial.put("stitch.json", all.get("stitch.json"));
        partial.put("functions/addItem/config.json", all.get("functions/addItem/config.json"));
        partial.put("functions/addItem/source.js", "exports = async function(text) { return { merged: text }; };\n");
        partial.put("values/footer.json", "{\"name\": \"footer\", \"value\": \"made with thimble\", \"from_secret\": false}");
        partial.put("secrets.json", "{\"names\": [\"chatWebhookKey\", \"inboxWebhookSecret\", \"mergedToken\"]}");
        partial.put("services/mongodb-atlas/config.json", all.get("services/mongodb-atlas/config.json"));
        ObjectNode items = (ObjectNode) AdminServer.JSON.readTree(all.get("services/mongodb-atlas/rules/todo.items.json"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) items.get("roles")).addObject().put("name", "auditor")
                .put("read", true).put("write", false).putObject("apply_when").put("%%user.data.email", "audit@example.com");
        partial.put("services/mongodb-atlas/rules/todo.items.json", items.toPrettyString());
        byte[] zip = AdminServer.zip(partial);
        TreeMap<String, String> before = files(bundle);

        AdminServer.Reply diff = server.importZip(zip, "?strategy=merge&diff=true");
        assertThat(diff.status()).as(diff.body()).isEqualTo(200);
        JsonNode changes = diff.json().get("changes");
        assertThat(changes.findValuesAsText("kind")).doesNotContain("removed");
        assertThat(changes.findValuesAsText("name")).contains("addItem", "footer", "mergedToken").doesNotContain("itemsDueSoon", "onNewItem");
        assertThat(diff.body()).contains("auditor");
        assertThat(files(bundle)).isEqualTo(before);
        // the same zip as a replacement would remove what it lacks
        assertThat(server.importZip(zip, "?strategy=replace&diff=true").json().get("changes").findValuesAsText("kind")).contains("removed");

        AdminServer.Reply merged = server.importZip(zip, "?strategy=merge");
        assertThat(merged.status()).as(merged.body()).isEqualTo(204);
        assertThat(Files.readString(bundle.resolve("functions/addItem/source.js"))).contains("merged: text");
        assertThat(bundle.resolve("values/footer.json")).exists();
        assertThat(bundle.resolve("functions/itemsDueSoon/source.js")).exists();
        assertThat(bundle.resolve("triggers/onNewItem.json")).exists();
        assertThat(bundle.resolve("services/mongodb-atlas/rules/todo.lists.json")).exists();
        assertThat(Files.readString(bundle.resolve("services/mongodb-atlas/rules/todo.items.json"))).contains("auditor");
        assertThat(Files.readString(bundle.resolve("functions/onItemInserted/source.js")))
                .isEqualTo(before.get("functions/onItemInserted/source.js"));
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/secrets", null).json().findValuesAsText("name")).contains("mergedToken");
        assertThat(server.importZip(zip, "?strategy=merge&diff=true").json().get("equal").asBoolean()).isTrue();
        assertThat(server.home.host("todo-thmbl").orElseThrow().logs().query(LogQuery.all().withTypes(LogType.ADMIN).withLimit(50)).records())
                .extracting(r -> String.join(" ", r.messages()))
                .anySatisfy(m -> assertThat(m).contains("strategy merge").contains("addItem"));

        // bad input changes nothing
        TreeMap<String, String> now = files(bundle);
        assertThat(server.importZip(zip, "?strategy=overwrite").status()).isEqualTo(400);
        AdminServer.Reply broken = server.importZip("PK not really".getBytes(), "?strategy=merge");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("error_code").asText()).isEqualTo("InvalidRequest");
        assertThat(files(bundle)).isEqualTo(now);
    }

    private static int post(String url, String json) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
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
