package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code twilio} type against a loopback Twilio that checks the account, the Basic credentials and the form. */
class TwilioTest {
    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "twilio-auth-token-42";
    private FakeService fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeService(TwilioTest::twilio);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** Twilio's Messages resource: 201 with the message, or its error JSON. */
    private static FakeService.Answer twilio(FakeService.Received request) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(request.header("Authorization"))) {
            return FakeService.Answer.json(401, "{\"code\": 20003, \"message\": \"Authenticate\", \"more_info\":"
                    + " \"https://www.twilio.com/docs/errors/20003\", \"status\": 401}");
        }
        if (!request.method().equals("POST") || !request.path().equals("/2010-04-01/Accounts/" + SID + "/Messages.json")
                || !"application/x-www-form-urlencoded".equals(request.header("Content-Type"))) {
            return FakeService.Answer.json(404, "{\"code\": 20404, \"message\": \"The requested resource was not found\", \"status\": 404}");
        }
        Map<String, List<String>> form = request.form();
        String to = form.get("To").get(0);
        if (!to.startsWith("+")) {
            return FakeService.Answer.json(400, "{\"code\": 21211, \"message\": \"The 'To' number " + to + " is not a valid phone number.\","
                    + " \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}");
        }
        return FakeService.Answer.json(201, """
                {"account_sid": "%s", "sid": "SM1f0e8ae6ade43cb3c0ce4525424e404f", "status": "queued", "to": "%s", "from": "%s",
                 "body": "%s", "num_media": "%d", "date_created": "Sat, 14 Mar 2026 09:26:53 +0000"}"""
                .formatted(SID, to, form.get("From").get(0), form.getOrDefault("Body", List.of("")).get(0),
                        form.getOrDefault("MediaUrl", List.of()).size()));
    }

    private ConfiguredService twilioService(String token) {
        return Services.configured("sms", "twilio", "{\"sid\": \"" + SID + "\", \"base_url\": \"" + fake.url() + "\"}",
                token == null ? Map.of() : Map.of("auth_token", token));
    }

    @Test
    void sendPostsTheMessageFormWithBasicAuthAndReturnsItsSid() {
        BsonValue result = Services.call(twilioService(TOKEN), "send", """
                {"to": "+15558675310", "from": "+15017122661", "body": "Your code is 1234 & it expires soon"}""");

        FakeService.Received post = fake.only();
        assertThat(post.path()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Messages.json");
        assertThat(post.form()).isEqualTo(Map.of("To", List.of("+15558675310"), "From", List.of("+15017122661"),
                "Body", List.of("Your code is 1234 & it expires soon")));
        assertThat(result).isEqualTo(new BsonDocument("sid", new BsonString("SM1f0e8ae6ade43cb3c0ce4525424e404f"))
                .append("status", new BsonString("queued")).append("to", new BsonString("+15558675310"))
                .append("from", new BsonString("+15017122661")));
    }

    @Test
    void mediaUrlsGoAsRepeatedMediaUrlFields() {
        Services.call(twilioService(TOKEN), "send", """
                {"to": "+15558675310", "from": "+15017122661", "mediaUrl": ["https://example.com/a.png", "https://example.com/b.png"]}""");

        assertThat(fake.only().form()).containsEntry("MediaUrl", List.of("https://example.com/a.png", "https://example.com/b.png"))
                .doesNotContainKey("Body");
    }

    @Test
    void aWrongAuthTokenIsTwiliosAuthenticateErrorWithoutTheToken() {
        assertThatThrownBy(() -> Services.call(twilioService("wrong-token-value"), "send", """
                {"to": "+15558675310", "from": "+15017122661", "body": "hi"}"""))
                .isInstanceOf(ServiceCallException.class)
                .hasMessage("twilio service \"sms\", send: Twilio refused the message (401, Twilio error 20003): Authenticate;"
                        + " check config.sid and the secret for secret_config.auth_token (https://www.twilio.com/docs/errors/20003)");
    }

    @Test
    void twiliosValidationErrorIsRelayed() {
        assertThatThrownBy(() -> Services.call(twilioService(TOKEN), "send", "{\"to\": \"5558675310\", \"from\": \"+15017122661\", \"body\": \"hi\"}"))
                .hasMessage("twilio service \"sms\", send: Twilio refused the message (400, Twilio error 21211): The 'To' number"
                        + " 5558675310 is not a valid phone number. (https://www.twilio.com/docs/errors/21211)");
    }

    @Test
    void aMissingAuthTokenIsAnErrorBeforeAnyRequest() {
        assertThatThrownBy(() -> Services.call(twilioService(null), "send", "{\"to\": \"+1555\", \"from\": \"+1555\", \"body\": \"hi\"}"))
                .hasMessageStartingWith("twilio service \"sms\": the secret for secret_config.auth_token has no value");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void missingArgumentsAreNamed() {
        assertThatThrownBy(() -> Services.call(twilioService(TOKEN), "send", "{\"from\": \"+15017122661\", \"body\": \"hi\"}"))
                .hasMessage("twilio service \"sms\", send: the argument \"to\" is missing; pass it as a non-empty string");
        assertThatThrownBy(() -> Services.call(twilioService(TOKEN), "send", "{\"to\": \"+1555\", \"from\": \"+15017122661\"}"))
                .hasMessage("twilio service \"sms\", send: the argument \"body\" is missing; pass the message text (or a mediaUrl)");
        assertThatThrownBy(() -> Services.call(twilioService(TOKEN), "send", "{\"to\": 5, \"from\": \"+15017122661\"}"))
                .hasMessage("twilio service \"sms\", send: the argument \"to\" must be a string, not a number");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void aServiceWithoutAnAccountSidSaysWhereToSetIt() {
        ConfiguredService noSid = Services.configured("sms", "twilio", "{}", Map.of("auth_token", TOKEN));

        assertThatThrownBy(() -> Services.call(noSid, "send", "{\"to\": \"+1555\", \"from\": \"+1555\", \"body\": \"hi\"}"))
                .hasMessage("twilio service \"sms\": config.sid is not set; set it in services/sms/config.json"
                        + " (e.g. \"sid\": \"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\")");
    }

    @Test
    void anUnreachableTwilioIsAnErrorNamingTheHost() {
        ConfiguredService closed = Services.configured("sms", "twilio", "{\"sid\": \"" + SID + "\", \"base_url\": \"http://127.0.0.1:9\"}",
                Map.of("auth_token", TOKEN));

        assertThatThrownBy(() -> Services.call(closed, "send", "{\"to\": \"+1555\", \"from\": \"+1555\", \"body\": \"hi\"}"))
                .hasMessageStartingWith("twilio service \"sms\", send: could not reach http://127.0.0.1:9")
                .message().doesNotContain(TOKEN);
    }
}
