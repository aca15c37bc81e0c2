package dev.thimble.runtime.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.services.thirdparty.GitHubSignature;
import dev.thimble.runtime.services.thirdparty.TwilioSignature;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GitHub and Twilio webhooks over real HTTP: their own signatures checked, the function gets the parsed event or form. */
class ThirdPartyWebhooksTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static AppHost host;

    @BeforeAll
    static void start() {
        SecretStore secrets = new SecretStore(dir.resolve("secrets.json"));
        secrets.set("ghHookSecret", "gh-secret");
        secrets.set("twilioToken", "twilio-token");
        host = ServiceApps.app()
                .serviceConfig("{\"name\": \"repo\", \"type\": \"github\", \"config\": {}}", List.of(ServiceApps.webhook(
                        "{\"name\": \"push\", \"options\": {\"secret_name\": \"ghHookSecret\"}, \"respond_result\": true}",
                        "exports = function(payload) { return payload.action + ' on ' + payload.repository.full_name; };")))
                .serviceConfig("{\"name\": \"sms\", \"type\": \"twilio\", \"config\": {\"sid\": \"AC1\"}, \"secret_config\": {\"auth_token\": \"twilioToken\"}}",
                        List.of(ServiceApps.webhook("{\"name\": \"incoming\", \"respond_result\": true}",
                                "exports = function(payload) { return payload.From + ' says ' + payload.Body; };")))
                .start(dir, secrets);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    private static HttpResponse<String> post(String path, String body, String contentType, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(host.clientApiUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignedGitHubDeliveryReachesTheFunctionAsTheParsedEvent() throws Exception {
        String event = "{\"action\": \"opened\", \"repository\": {\"full_name\": \"acme/thimble\"}}";
        HttpResponse<String> response = post("/service/repo/incoming_webhook/push", event, "application/json",
                GitHubSignature.HEADER_SHA256, GitHubSignature.sign("gh-secret", event.getBytes(StandardCharsets.UTF_8)), "X-GitHub-Event", "pull_request");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).asText()).isEqualTo("opened on acme/thimble");
    }

    @Test
    void aGitHubDeliveryWithAWrongOrNoSignatureIsRefused() throws Exception {
        String event = "{\"action\": \"opened\"}";
        assertThat(post("/service/repo/incoming_webhook/push", event, "application/json",
                GitHubSignature.HEADER_SHA256, GitHubSignature.sign("other", event.getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(403);
        assertThat(post("/service/repo/incoming_webhook/push", event, "application/json").statusCode()).isEqualTo(401);
    }

    @Test
    void aSignedTwilioMessageReachesTheFunctionAsItsFormFields() throws Exception {
        String path = "/service/sms/incoming_webhook/incoming";
        String form = "From=%2B15550001&To=%2B15550002&Body=hello+there";
        String signature = TwilioSignature.sign("twilio-token", host.clientApiUrl() + path, TwilioSignature.parseForm(form));
        HttpResponse<String> response = post(path, form, "application/x-www-form-urlencoded", TwilioSignature.HEADER, signature);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).asText()).isEqualTo("+15550001 says hello there");
    }

    @Test
    void aTwilioMessageWithABadSignatureIsRefused() throws Exception {
        String path = "/service/sms/incoming_webhook/incoming";
        String form = "From=%2B15550001&Body=hello";
        String signedOther = TwilioSignature.sign("twilio-token", host.clientApiUrl() + path, TwilioSignature.parseForm("From=%2B1&Body=x"));
        assertThat(post(path, form, "application/x-www-form-urlencoded", TwilioSignature.HEADER, signedOther).statusCode()).isEqualTo(403);
        assertThat(post(path, form, "application/x-www-form-urlencoded").statusCode()).isEqualTo(401);
    }
}
