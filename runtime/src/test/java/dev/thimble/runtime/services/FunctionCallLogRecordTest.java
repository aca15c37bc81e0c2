package dev.thimble.runtime.services;

import dev.thimble.testing.Eventually;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.values.SecretStore;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A client's function call leaves a log record with its result, unless the function keeps its data out of the log. */
class FunctionCallLogRecordTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path dir;
    static AppHost host;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        host = ServiceApps.app()
                .provider("{\"name\": \"anon-user\", \"type\": \"anon-user\"}")
                .function("order", "exports = function(qty) { return { qty, total: qty * 3 }; };")
                .function("{\"name\": \"private_data\", \"disable_arg_logs\": true}", "private_data", "exports = function(ssn) { return { ssn }; };")
                .start(dir, new SecretStore(dir.resolve("secrets.json")));
        String login = post("/auth/providers/anon-user/login", "{}", null);
        token = new ObjectMapper().readTree(login).get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void theRecordOfAFunctionCallHoldsWhatItReturned() throws Exception {
        post("/functions/call", "{\"name\":\"order\",\"arguments\":[{\"$numberInt\":\"4\"}]}", token);

        LogRecord record = awaitRecord("order");
        assertThat(record.result()).isEqualTo(new BsonDocument("qty", new BsonInt32(4)).append("total", new BsonInt32(12)));
        assertThat(LogRecord.fromDocument(record.toDocument()).result()).isEqualTo(record.result());
    }

    @Test
    void disableArgLogsKeepsTheResultOutOfTheRecordToo() throws Exception {
        post("/functions/call", "{\"name\":\"private_data\",\"arguments\":[\"123-45-6789\"]}", token);

        LogRecord record = awaitRecord("private_data");
        assertThat(record.arguments()).isNull();
        assertThat(record.result()).isNull();
        assertThat(record.toDocument().toJson()).doesNotContain("123-45-6789");
    }

    private static LogRecord awaitRecord(String function) throws InterruptedException {
        return Eventually.awaitValue("a FUNCTION log record for " + function, () -> host.logs().recent(100).stream()
                .filter(r -> r.type() == LogType.FUNCTION && function.equals(r.functionName())).findFirst().orElse(null));
    }

    private static String post(String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(host.clientApiUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
