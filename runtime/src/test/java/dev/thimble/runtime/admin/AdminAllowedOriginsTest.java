package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An app's allowed request origins, set through the admin API and enforced by the client API over
 * real HTTP: a browser's request (it carries {@code Origin}) from a listed origin is answered with
 * CORS headers and its preflight with 204; one from any other origin is refused with 403 in the
 * protocol's error shape, changes nothing and is logged; a request without {@code Origin} (a native
 * SDK, a server) always passes; an empty list allows every origin. The todo example lists
 * {@code http://localhost:3000}.
 */
class AdminAllowedOriginsTest {
    private static final String ALLOWED = "http://localhost:3000";
    private static final String STRANGER = "http://evil.example";
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
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void theBundlesOwnList() throws Exception {
        assertThat(server.call("POST", "/groups/{groupId}/apps/{appId}/security/allowed_request_origins", List.of(ALLOWED)).status())
                .isEqualTo(204);
    }

    @Test
    void theListIsReadAndABrowserAtAListedOriginGetsCorsHeadersAndItsPreflightAnswered() throws Exception {
        assertThat(server.call("GET", "/groups/{groupId}/apps/{appId}/security/allowed_request_origins", null).json())
                .extracting(JsonNode::asText).containsExactly(ALLOWED);

        HttpResponse<String> location = send("GET", clientApi + "/location", null, Map.of("Origin", ALLOWED));
        assertThat(location.statusCode()).isEqualTo(200);
        assertThat(location.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
        assertThat(location.headers().allValues("Vary")).contains("Origin");

        HttpResponse<String> preflight = send("OPTIONS", clientApi + "/auth/providers/local-userpass/register", null, Map.of(
                "Origin", ALLOWED, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, authorization"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST", "GET", "DELETE");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type, authorization");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).isPresent();

        String email = "browser@example.com";
        HttpResponse<String> registered = send("POST", clientApi + "/auth/providers/local-userpass/register",
                "{\"email\":\"" + email + "\",\"password\":\"password1\"}", Map.of("Origin", ALLOWED));
        assertThat(registered.statusCode()).as(registered.body()).isBetween(200, 204);
        assertThat(registered.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
        assertThat(server.violations).isEmpty();
    }

    @Test
    void aBrowserAtAnotherOriginIsRefusedInTheProtocolsShapeChangesNothingAndIsLogged() throws Exception {
        String email = "stranger@example.com";
        HttpResponse<String> refused = send("POST", clientApi + "/auth/providers/local-userpass/register",
                "{\"email\":\"" + email + "\",\"password\":\"password1\"}", Map.of("Origin", STRANGER));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode error = AdminServer.JSON.readTree(refused.body());
        assertThat(error.get("error_code").asText()).isEqualTo("OriginNotAllowed");
        assertThat(error.get("error").asText()).contains(STRANGER, "allowed request origins");
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> preflight = send("OPTIONS", clientApi + "/functions/call", null, Map.of(
                "Origin", STRANGER, "Access-Control-Request-Method", "POST"));
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        // nothing was registered: the same registration without Origin (a native SDK) is new, and passes
        HttpResponse<String> nativeSdk = send("POST", clientApi + "/auth/providers/local-userpass/register",
                "{\"email\":\"" + email + "\",\"password\":\"password1\"}", Map.of());
        assertThat(nativeSdk.statusCode()).as(nativeSdk.body()).isBetween(200, 204);
        assertThat(nativeSdk.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        List<LogRecord> records = server.home.host("todo-thmbl").orElseThrow().logs()
                .query(LogQuery.all().withText("evil.example").withLimit(20)).records();
        assertThat(records).anySatisfy(r -> {
            assertThat(r.requestUrl()).endsWith("/auth/providers/local-userpass/register");
            assertThat(r.toString()).contains("OriginNotAllowed");
        });
    }

    @Test
    void anAdminChangeTakesEffectAtOnceAndAnEmptyListAllowsEveryOrigin() throws Exception {
        String shop = "https://shop.example.com";
        assertThat(server.call("POST", "/groups/{groupId}/apps/{appId}/security/allowed_request_origins", List.of(shop, "http://127.0.0.1:8080"))
                .status()).isEqualTo(204);
        assertThat(AdminServer.JSON.readTree(bundle.resolve("stitch.json").toFile()).at("/security/allowed_request_origins"))
                .extracting(JsonNode::asText).containsExactly(shop, "http://127.0.0.1:8080");
        assertThat(send("GET", clientApi + "/location", null, Map.of("Origin", ALLOWED)).statusCode()).isEqualTo(403);
        HttpResponse<String> fromShop = send("GET", clientApi + "/location", null, Map.of("Origin", shop));
        assertThat(fromShop.statusCode()).isEqualTo(200);
        assertThat(fromShop.headers().firstValue("Access-Control-Allow-Origin")).hasValue(shop);

        assertThat(server.call("POST", "/groups/{groupId}/apps/{appId}/security/allowed_request_origins", List.of()).status()).isEqualTo(204);
        HttpResponse<String> anyone = send("GET", clientApi + "/location", null, Map.of("Origin", STRANGER));
        assertThat(anyone.statusCode()).isEqualTo(200);
        assertThat(anyone.headers().firstValue("Access-Control-Allow-Origin")).hasValue(STRANGER);
        assertThat(server.violations).isEmpty();
    }

    @Test
    void aBadListIsRefusedWithTheErrorShapeAndChangesNothing() throws Exception {
        String before = Files.readString(bundle.resolve("stitch.json"));
        for (Object bad : List.of(Map.of("origins", List.of(ALLOWED)), List.of("localhost:3000"), List.of("http://shop.example/path"),
                List.of(42), "not json")) {
            AdminServer.Reply reply = server.call("POST", "/groups/{groupId}/apps/{appId}/security/allowed_request_origins", bad);
            assertThat(reply.status()).as(bad + " → " + reply.body()).isEqualTo(400);
            assertThat(reply.json().get("error_code").asText()).isEqualTo("InvalidRequest");
            assertThat(reply.json().get("error").asText()).doesNotContain("Exception");
        }
        assertThat(Files.readString(bundle.resolve("stitch.json"))).isEqualTo(before);
        assertThat(send("GET", clientApi + "/location", null, Map.of("Origin", ALLOWED)).statusCode()).isEqualTo(200);
        assertThat(server.violations).isEmpty();
    }

    private static HttpResponse<String> send(String method, String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return server.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
