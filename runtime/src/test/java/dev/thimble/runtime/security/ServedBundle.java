package dev.thimble.runtime.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small app bundle written to a directory, served by a real {@link AppHost} on a loopback port
 * over the embedded database, and driven the way a client drives it: JSON over {@code java.net.http}.
 */
final class ServedBundle implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVICE = "mongodb-atlas";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final AppHost host;

    /** An HTTP answer: status and body (parsed when it is JSON). */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String error() {
            JsonNode error = json().get("error");
            return error == null ? null : error.asText();
        }
    }

    /** The files of a bundle, by path relative to its root. */
    static final class Bundle {
        final Map<String, String> files = new LinkedHashMap<>();

        Bundle(String appId) {
            files.put("stitch.json", """
                    {"app_id": "%s", "config_version": 20180301, "name": "%s", "location": "US-VA", "deployment_model": "GLOBAL"}
                    """.formatted(appId, appId.replace("-", "_")));
            files.put("services/mongodb-atlas/config.json", """
                    {"id": "5f0000000000000000000001", "name": "mongodb-atlas", "type": "mongodb-atlas", "config": {}, "version": 1}""");
            files.put("auth_providers/anon-user.json", """
                    {"id": "5f0000000000000000000002", "name": "anon-user", "type": "anon-user", "disabled": false}""");
            files.put("auth_providers/local-userpass.json", """
                    {"id": "5f0000000000000000000003", "name": "local-userpass", "type": "local-userpass", "disabled": false,
                     "config": {"autoConfirm": true, "emailConfirmationUrl": "http://localhost/confirm", "resetPasswordUrl": "http://localhost/reset",
                                "runConfirmationFunction": false, "runResetFunction": false, "resetFunctionName": "", "confirmationFunctionName": ""}}""");
        }

        Bundle file(String path, String content) {
            files.put(path, content);
            return this;
        }

        Bundle defaultRule(String json) {
            return file("services/mongodb-atlas/default_rule.json", json);
        }

        Bundle rule(String database, String collection, String rolesJson) {
            return file("services/mongodb-atlas/rules/" + database + "." + collection + ".json",
                    "{\"database\": \"" + database + "\", \"collection\": \"" + collection + "\", \"roles\": " + rolesJson + "}");
        }

        Bundle function(String name, String configJson, String source) {
            return file("functions/" + name + "/config.json", configJson).file("functions/" + name + "/source.js", source);
        }
    }

    static Bundle bundle(String appId) {
        return new Bundle(appId);
    }

    private ServedBundle(AppHost host) {
        this.host = host;
    }

    static ServedBundle serve(Bundle bundle, Path directory) {
        return serve(bundle, directory, settings -> settings);
    }

    static ServedBundle serve(Bundle bundle, Path directory, java.util.function.UnaryOperator<AppHost.HostSettings> settings) {
        try {
            Path root = directory.resolve("app");
            for (Map.Entry<String, String> file : bundle.files.entrySet()) {
                Path path = root.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            LoadResult loaded = AppBundles.read(root);
            if (loaded.problems().stream().anyMatch(p -> p.isError())) {
                throw new AssertionError("the test bundle has errors: " + loaded.problems());
            }
            AppHost host = AppHost.start(loaded.app(), settings.apply(AppHost.HostSettings.of("127.0.0.1", 0,
                    DatabaseSettings.embedded(directory.resolve("db")), new SecretStore(directory.resolve("secrets.json")))));
            return new ServedBundle(host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String appId() {
        return host.app().clientAppId();
    }

    Answer post(String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.clientApiUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** A POST to a full URL (webhooks live outside the app's client API root). */
    Answer postUrl(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Answer get(String path, String token) {
        return getUrl(host.clientApiUrl() + path, token);
    }

    Answer getUrl(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A new anonymous user's access token. */
    String anonymous() {
        return token(post("/auth/providers/anon-user/login", "{}", null));
    }

    /** Registers (auto-confirmed) and logs in an email/password user; their access token. */
    String register(String email, String password) {
        Answer registered = post("/auth/providers/local-userpass/register",
                "{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}", null);
        if (registered.status() >= 300) {
            throw new AssertionError("register " + email + ": " + registered);
        }
        return token(login(email, password));
    }

    Answer login(String email, String password) {
        return post("/auth/providers/local-userpass/login", "{\"username\": \"" + email + "\", \"password\": \"" + password + "\"}", null);
    }

    /** The user id in a login answer's profile. */
    String userId(String token) {
        return getUrl(host.baseUrl() + "/api/client/v2.0/auth/profile", token).json().get("user_id").asText();
    }

    private static String token(Answer login) {
        if (login.status() != 200) {
            throw new AssertionError("login failed: " + login);
        }
        return login.json().get("access_token").asText();
    }

    /** A MongoDB action through {@code functions/call}, as the SDKs send it. */
    Answer action(String token, String action, String argumentJson) {
        return post("/functions/call", "{\"name\": \"" + action + "\", \"service\": \"" + SERVICE + "\", \"arguments\": ["
                + argumentJson + "]}", token);
    }

    /** A function through {@code functions/call}. */
    Answer function(String token, String name, String argumentsJson) {
        return post("/functions/call", "{\"name\": \"" + name + "\", \"arguments\": " + argumentsJson + "}", token);
    }

    /** Opens a watch and returns the answer when the server refuses it (a refused watch answers at once). */
    Answer refusedWatch(String token, String argumentJson) {
        String request = "{\"name\": \"watch\", \"service\": \"" + SERVICE + "\", \"arguments\": [" + argumentJson + "]}";
        String query = "?baas_request=" + URLEncoder.encode(Base64.getEncoder().encodeToString(request.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        return get("/functions/call" + query, token);
    }

    @Override
    public void close() {
        host.close();
    }
}
