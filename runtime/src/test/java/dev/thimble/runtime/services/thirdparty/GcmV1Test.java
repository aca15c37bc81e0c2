package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code gcm} type through FCM HTTP v1 (service account → signed JWT → OAuth token → v1 send) against loopback fakes. */
class GcmV1Test {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private FakeFcmV1 fcm;
    private FakeService fake;

    @BeforeEach
    void start() throws Exception {
        fcm = new FakeFcmV1();
        fake = new FakeService(fcm::handle);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ConfiguredService push() throws Exception {
        return Services.configured("push", "gcm", "{\"senderId\": \"859512345678\", \"base_url\": \"" + fake.url() + "\"}",
                Map.of("serviceAccount", fcm.serviceAccount(fake.url() + "/token")));
    }

    private List<FakeService.Received> sends() {
        return fake.received().stream().filter(r -> r.path().contains("messages:send")).toList();
    }

    @Test
    void aSendTradesASignedJwtForAnAccessTokenAndPostsAV1Message() throws Exception {
        BsonValue result = Services.call(push(), "send", """
                {"to": "device-token-1", "priority": "high", "collapseKey": "score", "contentAvailable": true, "timeToLive": 3600,
                 "data": {"gameId": "g7", "score": 3},
                 "notification": {"title": "Goal!", "body": "3-2", "sound": "default", "badge": "2", "clickAction": "OPEN_GAME"}}""");

        FakeService.Received token = fake.received().getFirst();
        assertThat(token.path()).isEqualTo("/token");
        FakeService.Received send = sends().getFirst();
        assertThat(send.header("Authorization")).isEqualTo("Bearer ya29.fake-1");
        assertThat(MAPPER.readTree(send.body())).isEqualTo(MAPPER.readTree("""
                {"message": {"data": {"gameId": "g7", "score": "3"},
                  "notification": {"title": "Goal!", "body": "3-2"},
                  "android": {"notification": {"sound": "default", "click_action": "OPEN_GAME"}, "priority": "HIGH",
                              "collapse_key": "score", "ttl": "3600s"},
                  "apns": {"headers": {"apns-priority": "10", "apns-collapse-id": "score"},
                           "payload": {"aps": {"badge": 2, "sound": "default", "content-available": 1}}},
                  "token": "device-token-1"}}"""));
        assertThat(result).isEqualTo(BsonDocument.parse("""
                {"success": 1, "failure": 0, "results": [{"messageId": "projects/demo-project/messages/5001"}]}"""));
    }

    @Test
    void registrationTokensAreOneV1SendEachAndAnUnregisteredTokenIsNotRegistered() throws Exception {
        fcm.dead.put("old-phone", true);

        BsonValue result = Services.call(push(), "send", "{\"registrationTokens\": [\"tablet\", \"old-phone\"], \"data\": {\"k\": \"v\"}}");

        assertThat(sends()).hasSize(2);
        assertThat(result).isEqualTo(BsonDocument.parse("""
                {"success": 1, "failure": 1, "results": [{"messageId": "projects/demo-project/messages/5001"}, {"error": "NotRegistered"}]}"""));
    }

    @Test
    void theAccessTokenIsReusedUntilItIsRefusedThenRenewedOnce() throws Exception {
        ConfiguredService push = push();
        Services.call(push, "send", "{\"to\": \"/topics/news\", \"notification\": {\"title\": \"Hi\"}}");
        Services.call(push, "send", "{\"to\": \"/topics/news\", \"notification\": {\"title\": \"Again\"}}");
        assertThat(fcm.tokensIssued.get()).isEqualTo(1);
        assertThat(MAPPER.readTree(sends().getFirst().body()).at("/message/topic").asText()).isEqualTo("news");

        fcm.revokeAll();
        BsonValue third = Services.call(push, "send", "{\"to\": \"/topics/news\", \"notification\": {\"title\": \"Third\"}}");

        assertThat(fcm.tokensIssued.get()).isEqualTo(2);
        assertThat(third.asDocument().getInt32("success").getValue()).isEqualTo(1);
    }

    @Test
    void aServiceAccountWhoseKeyGoogleDoesNotKnowIsRefusedNamingTheAccountNotTheKey() throws Exception {
        String other = new FakeFcmV1().serviceAccount(fake.url() + "/token"); // same email, another key
        ConfiguredService push = Services.configured("push", "gcm", "{\"base_url\": \"" + fake.url() + "\"}", Map.of("serviceAccount", other));

        assertThatThrownBy(() -> Services.call(push, "send", "{\"to\": \"t\"}"))
                .isInstanceOf(ServiceCallException.class)
                .hasMessageContaining("Google refused the service account " + FakeFcmV1.EMAIL + " (400: Invalid JWT Signature.)")
                .hasMessageNotContaining("PRIVATE KEY");
        assertThat(sends()).isEmpty();
    }

    @Test
    void aServiceAccountThatIsNotJsonIsAClearError() {
        ConfiguredService push = Services.configured("push", "gcm", "{}", Map.of("serviceAccount", "not json"));

        assertThatThrownBy(() -> Services.call(push, "send", "{\"to\": \"t\"}"))
                .hasMessageContaining("the service account secret is not JSON; store the service account JSON from the Firebase console");
    }
}
