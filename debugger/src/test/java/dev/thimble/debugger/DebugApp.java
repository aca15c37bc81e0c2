package dev.thimble.debugger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A small app bundle written for the debugger tests, served by a real AppHost on the embedded database. */
final class DebugApp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static final Map<String, String> FUNCTIONS = new LinkedHashMap<>();

    static {
        FUNCTIONS.put("greet", """
                exports = function(name) {
                  const greeting = "Hello, " + name;
                  const shout = context.functions.execute("shout", greeting);
                  return { greeting, shout };
                };
                """);
        FUNCTIONS.put("shout", """
                exports = function(text) {
                  const upper = text.toUpperCase();
                  return upper + "!";
                };
                """);
        FUNCTIONS.put("saveNote", """
                exports = async function(text) {
                  const notes = context.services.get("mongodb-atlas").db("dbg").collection("notes");
                  const result = await notes.insertOne({ text, owner: context.user.id });
                  const count = await notes.count({});
                  return { id: result.insertedId, count };
                };
                """);
        FUNCTIONS.put("sum", """
                exports = function(n) {
                  let total = 0;
                  for (let i = 0; i < n; i++) {
                    total += i;
                  }
                  return total;
                };
                """);
        FUNCTIONS.put("fails", """
                exports = function(catchIt) {
                  try {
                    if (catchIt) { throw new Error("caught one"); }
                  } catch (e) { }
                  throw new TypeError("not caught");
                };
                """);
        FUNCTIONS.put("spin", """
                exports = function(ms) {
                  const end = Date.now() + ms;
                  let turns = 0;
                  while (Date.now() < end) {
                    turns++;
                  }
                  return turns;
                };
                """);
        FUNCTIONS.put("hook", """
                exports = function(payload) {
                  const name = payload.query.name;
                  return "hook for " + name;
                };
                """);
        FUNCTIONS.put("mayRead", """
                exports = function(userId) {
                  const allowed = userId.length > 0;
                  return allowed;
                };
                """);
        FUNCTIONS.put("awaitTwice", """
                exports = async function(n) {
                  const notes = context.services.get("mongodb-atlas").db("dbg").collection("notes");
                  for (let i = 0; i < n; i++) {
                    await notes.insertOne({ loop: i });
                  }
                  return await notes.count({ loop: { $exists: true } });
                };
                """);
        FUNCTIONS.put("bsonValues", """
                exports = function() {
                  const id = new BSON.ObjectId("65a0000000000000000000ff");
                  const when = new Date("2026-01-02T03:04:05.000Z");
                  const price = BSON.Decimal128.fromString("12.50");
                  const big = BSON.Long.fromString("9007199254740993");
                  const blob = BSON.Binary.fromBase64("AAEC", 0);
                  const uuid = BSON.Binary.fromHex("0123456789abcdef0123456789abcdef", 4);
                  const doc = { _id: id, at: when, n: 1 };
                  return String(id);
                };
                """);
        FUNCTIONS.put("onNote", """
                exports = async function(changeEvent) {
                  const doc = changeEvent.fullDocument;
                  const audit = context.services.get("mongodb-atlas").db("dbg").collection("audit");
                  await audit.insertOne({ seen: doc._id, op: changeEvent.operationType });
                  await audit.updateOne({ seen: doc._id }, { $set: { checked: true } });
                  return doc._id;
                };
                """);
    }

    private DebugApp() {
    }

    static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("stitch.json"), """
                    {"app_id": "dbg-abcde", "config_version": 20180301, "name": "dbg", "location": "US-VA", "deployment_model": "GLOBAL"}
                    """);
            Path auth = Files.createDirectories(dir.resolve("auth_providers"));
            Files.writeString(auth.resolve("anon-user.json"), """
                    {"id": "65a000000000000000000001", "name": "anon-user", "type": "anon-user", "disabled": false}
                    """);
            Path atlas = Files.createDirectories(dir.resolve("services/mongodb-atlas/rules"));
            Files.writeString(dir.resolve("services/mongodb-atlas/config.json"), """
                    {"id": "65a000000000000000000021", "name": "mongodb-atlas", "type": "mongodb-atlas",
                     "config": {"clusterName": "Cluster0"}, "version": 1}
                    """);
            int n = 0;
            for (String collection : new String[] {"notes", "audit"}) {
                Files.writeString(atlas.resolve("dbg." + collection + ".json"), """
                        {"id": "65a00000000000000000003%d", "database": "dbg", "collection": "%s",
                         "roles": [{"name": "all", "apply_when": {}, "read": true, "write": true, "insert": true, "delete": true}],
                         "filters": [], "schema": {}}
                        """.formatted(n++, collection));
            }
            Files.writeString(atlas.resolve("dbg.guarded.json"), """
                    {"id": "65a000000000000000000039", "database": "dbg", "collection": "guarded",
                     "roles": [{"name": "byFunction",
                                "apply_when": {"%%true": {"%function": {"name": "mayRead", "arguments": ["%%user.id"]}}},
                                "read": true, "write": false, "insert": false, "delete": false}],
                     "filters": [], "schema": {}}
                    """);
            Path hook = Files.createDirectories(dir.resolve("services/inbox/incoming_webhooks/note"));
            Files.writeString(dir.resolve("services/inbox/config.json"), """
                    {"id": "65a000000000000000000022", "name": "inbox", "type": "http", "config": {}, "version": 1}
                    """);
            Files.writeString(hook.resolve("config.json"), """
                    {"id": "65a000000000000000000041", "name": "note", "run_as_authed_user": false, "run_as_user_id": "",
                     "run_as_user_id_script_source": "", "can_evaluate": {},
                     "options": {"httpMethod": "POST", "validationMethod": "NO_VALIDATION"},
                     "respond_result": true, "fetch_custom_user_data": false, "create_user_on_auth": false, "disable_arg_logs": false}
                    """);
            Files.writeString(hook.resolve("source.js"), """
                    exports = function(payload, response) {
                      const body = JSON.parse(payload.body.text());
                      const shout = context.functions.execute("shout", body.text);
                      response.setStatusCode(201);
                      return { shout };
                    };
                    """);
            int id = 0;
            for (var fn : FUNCTIONS.entrySet()) {
                Path f = Files.createDirectories(dir.resolve("functions/" + fn.getKey()));
                Files.writeString(f.resolve("config.json"), """
                        {"id": "65a0000000000000000001%02d", "name": "%s", "private": false}
                        """.formatted(id++, fn.getKey()));
                Files.writeString(f.resolve("source.js"), fn.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AppHost start(Path tmp) {
        Path bundle = write(tmp.resolve("bundle"));
        return AppHost.start(AppBundles.read(bundle).app(), AppHost.HostSettings.of("127.0.0.1", 0,
                DatabaseSettings.embedded(tmp.resolve("db")), new SecretStore(tmp.resolve("secrets.json"))));
    }

    /** Logs in anonymously over HTTP, as the SDK does. */
    static Login login(AppHost host) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/auth/providers/anon-user/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        return new Login(body.get("access_token").asText(), body.get("user_id").asText());
    }

    record Login(String accessToken, String userId) {
    }

    /** {@code functions/call} over HTTP, answered whenever the function finishes. */
    static CompletableFuture<HttpResponse<String>> call(AppHost host, Login login, String name, String argumentsJson) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + login.accessToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"arguments\":" + argumentsJson + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A MongoDB {@code find} through the client API, as the SDK's RemoteMongoClient sends it. */
    static CompletableFuture<HttpResponse<String>> find(AppHost host, Login login, String collection) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + login.accessToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":"
                        + "[{\"database\":\"dbg\",\"collection\":\"" + collection + "\",\"query\":{}}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static long count(AppHost host, String collection) {
        return host.database().database("dbg").getCollection(collection).countDocuments(new Document());
    }
}
