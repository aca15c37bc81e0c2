package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code gcm} type against a loopback FCM legacy HTTP API. */
class GcmTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final FakeFcm fcm = new FakeFcm();
    private FakeService fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeService(fcm::handle);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ConfiguredService push(String apiKey) {
        return Services.configured("push", "gcm", "{\"senderId\": \"859512345678\", \"base_url\": \"" + fake.url() + "\"}",
                apiKey == null ? Map.of() : Map.of("apiKey", apiKey));
    }

    @Test
    void sendPostsFcmsJsonFieldNamesWithTheServerKey() throws Exception {
        BsonValue result = Services.call(push(FakeFcm.API_KEY), "send", """
                {"to": "device-token-1", "priority": "high", "collapseKey": "score", "contentAvailable": true,
                 "delayWhileIdle": false, "mutableContent": true, "timeToLive": 3600,
                 "data": {"gameId": "g7", "score": 3},
                 "notification": {"title": "Goal!", "body": "3-2", "sound": "default", "icon": "ball", "badge": "1",
                                  "clickAction": "OPEN_GAME", "bodyLocKey": "GOAL_BODY"}}""");

        FakeService.Received post = fake.only();
        assertThat(post.header("Authorization")).isEqualTo("key=" + FakeFcm.API_KEY);
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(MAPPER.readTree(post.body())).isEqualTo(MAPPER.readTree("""
                {"to": "device-token-1", "priority": "high", "collapse_key": "score", "content_available": true,
                 "delay_while_idle": false, "mutable_content": true, "time_to_live": 3600,
                 "data": {"gameId": "g7", "score": 3},
                 "notification": {"title": "Goal!", "body": "3-2", "sound": "default", "icon": "ball", "badge": "1",
                                  "click_action": "OPEN_GAME", "body_loc_key": "GOAL_BODY"}}"""));
        assertThat(result).isEqualTo(BsonDocument.parse("""
                {"multicastId": {"$numberLong": "6782339717028231855"}, "success": 1, "failure": 0, "canonicalIds": 0,
                 "results": [{"messageId": "0:15004151001"}]}"""));
    }

    @Test
    void registrationTokensGoAsRegistrationIdsWithOneResultEach() throws Exception {
        fcm.dead.put("old-phone", true);

        BsonValue result = Services.call(push(FakeFcm.API_KEY), "send", """
                {"registrationTokens": ["tablet", "old-phone"], "data": {"k": "v"}}""");

        assertThat(MAPPER.readTree(fake.only().body()).get("registration_ids")).isEqualTo(MAPPER.readTree("[\"tablet\", \"old-phone\"]"));
        assertThat(result).isEqualTo(BsonDocument.parse("""
                {"multicastId": {"$numberLong": "6782339717028231855"}, "success": 1, "failure": 1, "canonicalIds": 0,
                 "results": [{"messageId": "0:15004151001"}, {"error": "NotRegistered"}]}"""));
    }

    @Test
    void aTopicSendAnswersInTheSameShape() throws Exception {
        BsonValue result = Services.call(push(FakeFcm.API_KEY), "send", "{\"to\": \"/topics/news\", \"notification\": {\"title\": \"Hi\"}}");

        assertThat(MAPPER.readTree(fake.only().body()).get("to").asText()).isEqualTo("/topics/news");
        assertThat(result).isEqualTo(BsonDocument.parse("{\"success\": 1, \"failure\": 0, \"results\": [{\"messageId\": \"1001\"}]}"));
    }

    @Test
    void aWrongServerKeyIsAnErrorNamingTheSecretNotItsValue() {
        assertThatThrownBy(() -> Services.call(push("AAAA-wrong-key-value"), "send", "{\"to\": \"t\", \"data\": {}}"))
                .isInstanceOf(ServiceCallException.class)
                .hasMessage("gcm service \"push\", send: FCM refused the API key (401); check the secret for secret_config.apiKey"
                        + " (a server key of the Firebase project of config.senderId)");
    }

    @Test
    void aMissingServerKeyIsAnErrorBeforeAnyRequest() {
        assertThatThrownBy(() -> Services.call(push(null), "send", "{\"to\": \"t\"}"))
                .hasMessageStartingWith("gcm service \"push\": the secret for secret_config.apiKey has no value");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void recipientsMustBeExactlyOneOfToAndRegistrationTokens() {
        String expected = "gcm service \"push\", send: pass exactly one of \"to\" (a registration token or /topics/<name>) and"
                + " \"registrationTokens\" (an array of tokens)";
        assertThatThrownBy(() -> Services.call(push(FakeFcm.API_KEY), "send", "{\"data\": {}}")).hasMessage(expected);
        assertThatThrownBy(() -> Services.call(push(FakeFcm.API_KEY), "send", "{\"to\": \"a\", \"registrationTokens\": [\"b\"]}"))
                .hasMessage(expected);
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void badOptionValuesAreRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> Services.call(push(FakeFcm.API_KEY), "send", "{\"to\": \"a\", \"priority\": \"urgent\"}"))
                .hasMessage("gcm service \"push\", send: priority must be \"high\" or \"normal\", not \"urgent\"");
        assertThatThrownBy(() -> Services.call(push(FakeFcm.API_KEY), "send", "{\"to\": \"a\", \"timeToLive\": 99999999}"))
                .hasMessage("gcm service \"push\", send: timeToLive must be 0 to 2419200 seconds (4 weeks), not 99999999");
        assertThatThrownBy(() -> Services.call(push(FakeFcm.API_KEY), "send", "{\"to\": \"a\", \"contentAvailable\": \"yes\"}"))
                .hasMessage("gcm service \"push\", send: the argument \"contentAvailable\" must be true or false, not a string");
        assertThat(fake.received()).isEmpty();
    }
}
