package dev.thimble.runtime.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The client API server on a real loopback port, driven over HTTP. */
class ClientApiServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ClientApiServer server;

    @BeforeAll
    static void start() {
        AppModel app = new AppModel(
                Json.parse("{\"app_id\":\"todo-abcde\",\"name\":\"todo\",\"location\":\"IE\",\"deployment_model\":\"LOCAL\"}"),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
        server = ClientApiServer.start(() -> app, () -> null, () -> null, "127.0.0.1", 0, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void locationNamesThisServerAsTheHostnameForLaterRequests() throws Exception {
        HttpResponse<String> response = get("/api/client/v2.0/app/todo-abcde/location");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(response.body())).isEqualTo(MAPPER.readTree("""
                {"deployment_model":"LOCAL","location":"IE","hostname":"%s","ws_hostname":"%s"}"""
                .formatted(server.baseUrl(), server.baseUrl().replace("http://", "ws://"))));
    }

    @Test
    void anUnknownClientAppIdIsAJsonErrorNamingBothIds() throws Exception {
        HttpResponse<String> response = get("/api/client/v2.0/app/other-zzzzz/location");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.get("error_code").asText()).isEqualTo("AppNotFound");
        assertThat(body.get("error").asText()).contains("other-zzzzz").contains("todo-abcde");
    }

    @Test
    void errorBodiesCarryExactlyTheContentTypeTheStitchSdkParses() throws Exception {
        HttpResponse<String> response = get("/api/client/v2.0/app/other-zzzzz/location");

        assertThat(response.headers().allValues("Content-Type")).isEqualTo(List.of("application/json"));
    }

    @Test
    void anUnknownRouteIsAJsonNotFound() throws Exception {
        HttpResponse<String> response = get("/api/client/v2.0/nowhere");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(response.body()).get("error").asText()).isEqualTo(
                "No route for GET /api/client/v2.0/nowhere on this Thimble server.");
    }
}
