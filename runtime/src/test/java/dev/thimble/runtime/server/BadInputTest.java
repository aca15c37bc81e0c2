package dev.thimble.runtime.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on the client API gets the protocol's error body with a message a person can act on — a
 * 4xx, never a 500 or a stack trace — and the server keeps serving.
 */
class BadInputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path temp;
    static AppHost host;
    static String accessToken;

    @BeforeAll
    static void start() {
        host = AppHost.start(AppBundles.read(Path.of("../examples/todo")).app(),
                AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("db")), new SecretStore(temp.resolve("s.json"))));
        accessToken = host.auth().login("anon-user", new Document(), "127.0.0.1", null).accessToken();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static Stream<Arguments> badCalls() {
        String items = "{\"database\":\"todo\",\"collection\":\"items\"";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"name\": \"addItem\", \"arguments\": [", 400, "not a valid (Extended) JSON"),
                Arguments.of("malformed Extended JSON", "{\"name\":\"addItem\",\"arguments\":[{\"$oid\":\"nothex\"}]}", 400, "JSON"),
                Arguments.of("no name", "{\"arguments\": []}", 400, "\"name\" is required"),
                Arguments.of("arguments not an array", "{\"name\":\"addItem\",\"arguments\":{}}", 400, "\"arguments\" must be an array"),
                Arguments.of("unknown function", "{\"name\":\"nope\",\"arguments\":[]}", 404, "nope"),
                Arguments.of("unknown action", "{\"name\":\"frobnicate\",\"service\":\"mongodb-atlas\",\"arguments\":[" + items + "}]}", 400, "frobnicate"),
                Arguments.of("unknown service", "{\"name\":\"find\",\"service\":\"nosuch\",\"arguments\":[" + items + "}]}", 404, "nosuch"),
                Arguments.of("query of the wrong type", "{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":[" + items + ",\"query\":5}]}", 400, "query"),
                Arguments.of("unknown query operator", "{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":[" + items + ",\"query\":{\"a\":{\"$frob\":1}}}]}", 400, "$frob"),
                Arguments.of("two argument documents", "{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":[{},{}]}", 400, "exactly one argument document"),
                Arguments.of("namespace without rules", "{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\",\"collection\":\"secret\"}]}", 403, "no rule exists"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void badFunctionCallsGetAnActionableErrorNotA500(String what, String body, int status, String messagePart) throws Exception {
        HttpResponse<String> response = call(body, accessToken);

        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = MAPPER.readTree(response.body());
        assertThat(error.get("error").asText()).as(what).contains(messagePart).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(error.get("error_code").asText()).isNotBlank();
    }

    @Test
    void missingForgedAndWrongKindTokensAreInvalidSessions() throws Exception {
        String body = "{\"name\":\"itemsDueSoon\",\"arguments\":[]}";
        for (String token : new String[] {null, "forged.token.value", host.auth().login("anon-user", new Document(), "127.0.0.1", null).refreshToken()}) {
            HttpResponse<String> response = call(body, token);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(MAPPER.readTree(response.body()).get("error_code").asText()).isEqualTo("InvalidSession");
        }
    }

    @Test
    void anOversizedBodyIsRefusedWithoutReadingItAll() throws Exception {
        String huge = "{\"name\":\"addItem\",\"arguments\":[\"" + "x".repeat((int) ClientApiServer.MAX_BODY_BYTES) + "\"]}";

        HttpResponse<String> response = call(huge, accessToken);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(MAPPER.readTree(response.body()).get("error").asText()).contains("larger than this server accepts");
        assertThat(call("{\"name\":\"itemsDueSoon\",\"arguments\":[]}", accessToken).statusCode()).as("still serving").isEqualTo(200);
    }

    private static HttpResponse<String> call(String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
