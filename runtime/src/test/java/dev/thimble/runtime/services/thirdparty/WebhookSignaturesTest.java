package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Twilio's and GitHub's webhook signatures, with vectors from outside this code: Twilio's worked
 * example in its "Webhooks security" guide, and the JSON-body vector its helper libraries test with
 * (twilio-python's {@code test_validation_of_body_succeeds}); GitHub's example in "Validating webhook deliveries"
 * (secret "It's a Secret to Everybody", body "Hello, World!"); the legacy SHA-1 value computed with
 * {@code printf 'Hello, World!' | openssl dgst -sha1 -hmac "It's a Secret to Everybody"}.
 */
class WebhookSignaturesTest {
    private static final String TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final Map<String, List<String>> TWILIO_PARAMS = Map.of(
            "CallSid", List.of("CA1234567890ABCDE"), "Caller", List.of("+12349013030"), "Digits", List.of("1234"),
            "From", List.of("+12349013030"), "To", List.of("+18005551212"));
    private static final String TWILIO_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
    private static final String GITHUB_SECRET = "It's a Secret to Everybody";
    private static final byte[] GITHUB_BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    @Test
    void twiliosDocumentedExampleIsAccepted() {
        assertThat(TwilioSignature.sign("12345", TWILIO_URL, TWILIO_PARAMS)).isEqualTo(TWILIO_SIGNATURE);
        assertThat(TwilioSignature.verify("12345", TWILIO_URL, TWILIO_PARAMS, TWILIO_SIGNATURE)).isTrue();
    }

    @Test
    void twilioFormBodiesParseToTheSignedParameters() {
        Map<String, List<String>> parsed = TwilioSignature.parseForm(
                "To=%2B18005551212&CallSid=CA1234567890ABCDE&Digits=1234&From=%2B12349013030&Caller=%2B12349013030");

        assertThat(TwilioSignature.verify("12345", TWILIO_URL, parsed, TWILIO_SIGNATURE)).isTrue();
    }

    @Test
    void twilioSignatureIsRejectedWhenAnythingChanges() {
        Map<String, List<String>> tampered = new java.util.HashMap<>(TWILIO_PARAMS);
        tampered.put("Digits", List.of("9999"));

        assertThat(TwilioSignature.verify("12345", TWILIO_URL, tampered, TWILIO_SIGNATURE)).isFalse();
        assertThat(TwilioSignature.verify("54321", TWILIO_URL, TWILIO_PARAMS, TWILIO_SIGNATURE)).isFalse();
        assertThat(TwilioSignature.verify("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", TWILIO_PARAMS, TWILIO_SIGNATURE)).isFalse();
        assertThat(TwilioSignature.verify("12345", TWILIO_URL, TWILIO_PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ")).isFalse();
        assertThat(TwilioSignature.verify("12345", TWILIO_URL, TWILIO_PARAMS, null)).isFalse();
        assertThat(TwilioSignature.verify("", TWILIO_URL, TWILIO_PARAMS, TWILIO_SIGNATURE)).isFalse();
    }

    @Test
    void twilioSignatureOverTheUrlWithItsDefaultPortIsAccepted() {
        assertThat(TwilioSignature.verify("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", TWILIO_PARAMS, TWILIO_SIGNATURE)).isTrue();
    }

    @Test
    void aTwilioJsonBodyIsCheckedByItsBodySha256() {
        byte[] body = "{\"property\": \"value\", \"boolean\": true}".getBytes(StandardCharsets.UTF_8);
        String url = TWILIO_URL + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

        assertThat(TwilioSignature.verifyJsonBody("12345", url, body, "a9nBmqA0ju/hNViExpshrM61xv4=")).isTrue();
        assertThat(TwilioSignature.verifyJsonBody("12345", url, "{\"property\": \"evil\"}".getBytes(StandardCharsets.UTF_8),
                "a9nBmqA0ju/hNViExpshrM61xv4=")).isFalse();
        assertThat(TwilioSignature.verifyJsonBody("12345", TWILIO_URL, body, TWILIO_SIGNATURE)).isFalse();
    }

    @Test
    void githubsDocumentedSha256ExampleIsAccepted() {
        assertThat(GitHubSignature.sign(GITHUB_SECRET, GITHUB_BODY))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThat(GitHubSignature.verify(GITHUB_SECRET, GITHUB_BODY, Map.of("x-hub-signature-256",
                List.of("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")))).isTrue();
    }

    @Test
    void legacySha1SignatureIsAcceptedWhenItIsTheOnlyOne() {
        assertThat(GitHubSignature.verify(GITHUB_SECRET, GITHUB_BODY,
                Map.of("X-Hub-Signature", List.of("sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59")))).isTrue();
    }

    @Test
    void githubSignatureIsRejectedForAnotherBodySecretOrAlgorithm() {
        Map<String, List<String>> headers = Map.of("X-Hub-Signature-256",
                List.of("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));

        assertThat(GitHubSignature.verify(GITHUB_SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), headers)).isFalse();
        assertThat(GitHubSignature.verify("another secret", GITHUB_BODY, headers)).isFalse();
        assertThat(GitHubSignature.verify(GITHUB_SECRET, GITHUB_BODY, Map.of())).isFalse();
        assertThat(GitHubSignature.verify(GITHUB_SECRET, GITHUB_BODY, Map.of("X-Hub-Signature-256",
                List.of("sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59")))).isFalse();
    }

    @Test
    void aBadSha256SignatureIsNotRescuedByAGoodSha1One() {
        assertThat(GitHubSignature.verify(GITHUB_SECRET, GITHUB_BODY, Map.of(
                "X-Hub-Signature-256", List.of("sha256=" + "0".repeat(64)),
                "X-Hub-Signature", List.of("sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59")))).isFalse();
    }

    @Test
    void aGithubDeliveryParsesToItsEventAndPayload() {
        byte[] body = "{\"ref\": \"refs/heads/main\", \"commits\": [{\"id\": \"abc\"}]}".getBytes(StandardCharsets.UTF_8);

        GitHubEvent event = GitHubEvent.parse(body, Map.of("X-GitHub-Event", List.of("push"),
                "X-GitHub-Delivery", List.of("72d3162e-cc78-11e3-81ab-4c9367dc0958"), "Content-Type", List.of("application/json")));

        assertThat(event).isEqualTo(new GitHubEvent("push", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                BsonDocument.parse("{\"ref\": \"refs/heads/main\", \"commits\": [{\"id\": \"abc\"}]}")));
    }

    @Test
    void aFormEncodedGithubDeliveryParsesItsPayloadField() {
        byte[] body = "payload=%7B%22zen%22%3A%22Keep+it+logically+awesome.%22%7D".getBytes(StandardCharsets.UTF_8);

        GitHubEvent event = GitHubEvent.parse(body, Map.of("x-github-event", List.of("ping"),
                "content-type", List.of("application/x-www-form-urlencoded")));

        assertThat(event.event()).isEqualTo("ping");
        assertThat(event.payload()).isEqualTo(BsonDocument.parse("{\"zen\": \"Keep it logically awesome.\"}"));
    }

    @Test
    void aGithubDeliveryThatIsNotJsonIsAClearError() {
        assertThatThrownBy(() -> GitHubEvent.parse("not json".getBytes(StandardCharsets.UTF_8), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the GitHub webhook body is not a JSON object");
    }

    @Test
    void githubServicesRefuseOutboundCalls() {
        assertThatThrownBy(() -> Services.call(Services.configured("gh", "github", "{}", Map.of()), "send", "{}"))
                .isInstanceOf(ServiceCallException.class)
                .hasMessage("github service \"gh\", send: github services have no actions a function can call; they only"
                        + " receive GitHub's webhooks (services/gh/incoming_webhooks/). To call GitHub's API, use an http service");
    }
}
