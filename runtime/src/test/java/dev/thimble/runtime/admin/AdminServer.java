package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.apps.AppHome;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real server home on a loopback port with the admin API mounted, and an HTTP client that speaks
 * to it by the document's path templates: each response is kept (for the secrets grep) and, when the
 * OpenAPI document is here, checked against it.
 */
final class AdminServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final AppHome home;
    final AdminApi api;
    final AdminIdentities identities;
    final HttpClient http = HttpClient.newHttpClient();
    final Optional<AdminContract> contract = AdminContract.load();
    /** Every response body seen, with what asked for it. */
    final List<String> transcript = new ArrayList<>();
    /** Every way a response broke the document. */
    final List<String> violations = new ArrayList<>();
    /** Path parameters filled into templates: groupId, appId, … */
    final Map<String, String> params = new LinkedHashMap<>();
    String accessToken;

    record Reply(int status, String body, HttpResponse<byte[]> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    AdminServer(Path homeDir) {
        home = AppHome.start(homeDir, AppHome.Settings.defaults().withPort(0).withScanInterval(Duration.ofMillis(200)));
        api = AdminApi.mount(home);
        identities = new AdminIdentities(home.stateFolder());
    }

    /**
     * The todo example copied into {@code homeDir/todo}, served, logged in with a cloud key, and
     * {@code appId} set: the start of most admin tests.
     */
    static AdminServer onTodoExample(Path homeDir) throws Exception {
        dev.thimble.testing.TestApps.copy(dev.thimble.testing.TestApps.TODO, homeDir.resolve("todo"));
        AdminServer server = new AdminServer(homeDir);
        server.loginWithCloudKey();
        server.params.put("appId", server.call("GET", "/groups/{groupId}/apps", null).json().get(0).get("_id").asText());
        return server;
    }

    /** The client API of the todo example (client app id todo-thmbl). */
    String todoClientApi() {
        return home.baseUrl() + "/api/client/v2.0/app/todo-thmbl";
    }

    /** POSTs a zip to the app's import route; a non-empty answer must be JSON. */
    Reply importZip(byte[] zip, String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/groups/" + params.get("groupId")
                        + "/apps/" + params.get("appId") + "/import" + query))
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip)).build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        String body = new String(response.body(), StandardCharsets.UTF_8);
        transcript.add("POST import" + query + " → " + response.statusCode() + " " + body);
        if (response.body().length > 0 && !response.headers().firstValue("Content-Type").orElse("").equals("application/json")) {
            throw new AssertionError("import answered " + response.headers().firstValue("Content-Type") + ", not JSON: " + body);
        }
        return new Reply(response.statusCode(), body, response);
    }

    static byte[] zip(Map<String, String> files) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.ZipOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                out.putNextEntry(new java.util.zip.ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A zip's entries by name, as UTF-8 text. */
    static java.util.TreeMap<String, String> entries(byte[] zip) throws IOException {
        var out = new java.util.TreeMap<String, String>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    String base() {
        return home.baseUrl() + AdminApi.BASE;
    }

    /** Logs in with a fresh key pair through mongodb-cloud and keeps the access token; answers the login body. */
    JsonNode loginWithCloudKey() throws Exception {
        AdminIdentities.CreatedKey key = identities.createCloudKey("tests");
        Reply login = call("POST", "/auth/providers/mongodb-cloud/login",
                Map.of("username", key.publicKey(), "apiKey", key.secret()));
        if (login.status() != 200) {
            throw new AssertionError("login failed: " + login.body());
        }
        accessToken = login.json().get("access_token").asText();
        JsonNode profile = call("GET", "/auth/profile", null).json();
        params.put("groupId", profile.get("roles").get(0).get("group_id").asText());
        return login.json();
    }

    Reply call(String method, String template, Object body) throws Exception {
        return call(method, template, body, accessToken, "");
    }

    Reply call(String method, String template, Object body, String token, String query) throws Exception {
        String path = template;
        for (Map.Entry<String, String> p : params.entrySet()) {
            path = path.replace("{" + p.getKey() + "}", java.net.URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path + query)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, publisher);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        boolean json = contentType.equals("application/json");
        String text = new String(response.body(), StandardCharsets.UTF_8);
        transcript.add(method + " " + path + " → " + response.statusCode() + " " + (json ? text : "(" + contentType + ", "
                + response.body().length + " bytes)") + " " + response.headers().map());
        if (response.body().length > 0 && !json && !contentType.equals("application/zip")) {
            violations.add(method + " " + template + ": Content-Type is \"" + contentType + "\", not exactly application/json");
        }
        contract.ifPresent(c -> violations.addAll(c.problems(method, template, response.statusCode(),
                json && response.body().length > 0 ? text : null)));
        return new Reply(response.statusCode(), text, response);
    }

    @Override
    public void close() {
        home.close();
    }
}
