package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Push from the service layer: registrations in the embedded database, messages through a loopback FCM. */
class PushNotificationsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final FakeFcm fcm = new FakeFcm();
    private FakeService fake;
    private MongoServer server;
    private MongoClient client;
    private MongoCollection<Document> registrations;
    private PushNotifications push;
    private ConfiguredService gcm;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeService(fcm::handle);
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        registrations = client.getDatabase("__thimble_push").getCollection("registrations");
        push = new PushNotifications(registrations, HttpClient.newHttpClient(), Services.CLOCK);
        gcm = Services.configured("push", "gcm", "{\"senderId\": \"1\", \"base_url\": \"" + fake.url() + "\"}",
                Map.of("apiKey", FakeFcm.API_KEY));
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
        fake.close();
    }

    @Test
    void sendingToAUserReachesEachOfTheirDevicesAndNoOneElses() throws Exception {
        push.register("push", "ada", "ada-phone");
        push.register("push", "ada", "ada-tablet");
        push.register("push", "grace", "grace-phone");

        BsonDocument result = push.sendToUsers(gcm, List.of("ada"), BsonDocument.parse("{\"notification\": {\"title\": \"Hi Ada\"}}"));

        JsonNode sent = MAPPER.readTree(fake.only().body());
        assertThat(sent.get("registration_ids")).isEqualTo(MAPPER.readTree("[\"ada-phone\", \"ada-tablet\"]"));
        assertThat(sent.get("notification")).isEqualTo(MAPPER.readTree("{\"title\": \"Hi Ada\"}"));
        assertThat(result).isEqualTo(BsonDocument.parse("""
                {"success": 2, "failure": 0, "results": [
                  {"userId": "ada", "token": "ada-phone", "messageId": "0:15004151001"},
                  {"userId": "ada", "token": "ada-tablet", "messageId": "0:15004151002"}]}"""));
    }

    @Test
    void aTokenFcmNoLongerKnowsIsForgottenAndARenamedOneIsUpdated() {
        push.register("push", "ada", "ada-phone");
        push.register("push", "ada", "ada-old-tablet");
        push.register("push", "ada", "ada-watch");
        fcm.dead.put("ada-old-tablet", true);
        fcm.renamed.put("ada-watch", "ada-watch-v2");

        BsonDocument result = push.sendToUsers(gcm, List.of("ada"), BsonDocument.parse("{\"data\": {\"k\": \"v\"}}"));

        assertThat(result.getInt32("success").getValue()).isEqualTo(2);
        assertThat(result.getInt32("failure").getValue()).isEqualTo(1);
        assertThat(result.getArray("results").get(1)).isEqualTo(BsonDocument.parse(
                "{\"userId\": \"ada\", \"token\": \"ada-old-tablet\", \"error\": \"NotRegistered\"}"));
        assertThat(push.tokens("push", "ada")).containsExactlyInAnyOrder("ada-phone", "ada-watch-v2");
    }

    @Test
    void aUserWithoutDevicesSendsNothing() {
        BsonDocument result = push.sendToUsers(gcm, List.of("nobody"), BsonDocument.parse("{\"data\": {}}"));

        assertThat(result).isEqualTo(BsonDocument.parse("{\"success\": 0, \"failure\": 0, \"results\": []}"));
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void moreDevicesThanFcmTakesAtOnceGoInBatches() throws Exception {
        List<String> tokens = new ArrayList<>();
        IntStream.range(0, 1001).forEach(i -> tokens.add("t" + i));
        List<Document> docs = new ArrayList<>();
        for (String token : tokens) {
            docs.add(new Document("service", "push").append("userId", "fleet").append("token", token)
                    .append("registeredAt", java.util.Date.from(Services.NOW)));
        }
        registrations.insertMany(docs);

        BsonDocument result = push.sendToUsers(gcm, List.of("fleet"), BsonDocument.parse("{\"data\": {}}"));

        assertThat(fake.received()).hasSize(2);
        assertThat(MAPPER.readTree(fake.received().get(0).body()).get("registration_ids")).hasSize(1000);
        assertThat(MAPPER.readTree(fake.received().get(1).body()).get("registration_ids")).hasSize(1);
        assertThat(result.getInt32("success").getValue()).isEqualTo(1001);
    }

    @Test
    void sendingToATopicAddressesTheTopic() throws Exception {
        BsonDocument result = push.sendToTopic(gcm, "news", BsonDocument.parse("{\"notification\": {\"title\": \"Extra!\"}}"));

        assertThat(MAPPER.readTree(fake.only().body()).get("to").asText()).isEqualTo("/topics/news");
        assertThat(result.getInt32("success").getValue()).isEqualTo(1);
    }

    @Test
    void aMessageNamingItsOwnRecipientsIsRefused() {
        assertThatThrownBy(() -> push.sendToTopic(gcm, "news", BsonDocument.parse("{\"to\": \"someone\"}")))
                .isInstanceOf(ServiceCallException.class)
                .hasMessage("gcm service \"push\", push: the message must not name its recipients (to, registrationTokens);"
                        + " they come from the topic or the users' registered devices");
        assertThatThrownBy(() -> push.sendToTopic(gcm, "news/../x", new BsonDocument()))
                .hasMessageContaining("a topic name is letters, digits and -_.~% only");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void aDeviceBelongsToTheUserWhoRegisteredItLast() {
        push.register("push", "ada", "shared-ipad");
        push.register("push", "grace", "shared-ipad");

        assertThat(push.tokens("push", "ada")).isEmpty();
        assertThat(push.tokens("push", "grace")).containsExactly("shared-ipad");
        assertThat(registrations.countDocuments()).isEqualTo(1);
    }

    @Test
    void deregisterForgetsOnlyThatUsersDevice() {
        push.register("push", "ada", "ada-phone");
        push.register("push", "grace", "grace-phone");

        assertThat(push.deregister("push", "grace", "ada-phone")).isFalse();
        assertThat(push.deregister("push", "ada", "ada-phone")).isTrue();

        assertThat(push.tokens("push", "ada")).isEmpty();
        assertThat(push.tokens("push", "grace")).containsExactly("grace-phone");
    }
}
