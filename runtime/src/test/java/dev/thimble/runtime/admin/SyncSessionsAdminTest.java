package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.sync.realmc.RealmC;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET …/apps/{appId}/sync/sessions} on a server home: a real Realm sync client's open session
 * with its user, client file, subscription and traffic; none once it closed; an app without sync says
 * so and what to do; no admin token, no sessions.
 */
class SyncSessionsAdminTest {
    private static final String ROUTE = "/groups/{groupId}/apps/{appId}/sync/sessions";
    private static final List<RealmSyncClient.ObjectClass> SCHEMA = List.of(new RealmSyncClient.ObjectClass("Item", List.of(
            RealmSyncClient.Property.primaryKey("_id", RealmC.RLM_PROPERTY_TYPE_OBJECT_ID),
            new RealmSyncClient.Property("owner_id", RealmC.RLM_PROPERTY_TYPE_STRING, false, false),
            new RealmSyncClient.Property("name", RealmC.RLM_PROPERTY_TYPE_STRING, false, false))));
    @TempDir
    static Path homeDir;
    @TempDir
    static Path clients;
    static AdminServer server;

    @BeforeAll
    static void start() throws Exception {
        TestApps.copy(Path.of("src/test/resources/sync-app"), homeDir.resolve("shop"));
        TestApps.copyOfTodo(homeDir);
        server = new AdminServer(homeDir);
        server.loginWithCloudKey();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode sessions(String appId) {
        server.params.put("appId", appId);
        try {
            AdminServer.Reply reply = server.call("GET", ROUTE, null);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            return reply.json();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRealClientsSessionIsListedWithItsUserFileAndSubscriptionUntilItCloses() throws Exception {
        JsonNode none = sessions("shop-thmbl");
        assertThat(none.get("sync_enabled").asBoolean()).isTrue();
        assertThat(none.get("sessions")).isEmpty();
        assertThat(none.get("message").asText()).startsWith("No Realm clients are connected.");

        String userId;
        try (RealmSyncClient client = RealmSyncClient.open(server.home.baseUrl(), "shop-thmbl",
                Files.createDirectories(clients.resolve("admin")), SCHEMA)) {
            userId = client.userId();
            assertThat(client.subscribe("Item", "owner_id == \"admin\"").complete()).isTrue();
            JsonNode session = Eventually.awaitValue(Duration.ofSeconds(60), "the session listed with its subscription", () -> {
                for (JsonNode s : sessions("shop-thmbl").get("sessions")) {
                    if (s.get("user_id").asText().equals(userId) && s.get("sync_query").has("Item")) {
                        return s;
                    }
                }
                return null;
            });
            assertThat(session.get("user_name").asText()).isEqualTo("anon-user");
            assertThat(session.get("client_file_ident").asLong()).isGreaterThan(1);
            assertThat(session.get("protocol_version").asInt()).isEqualTo(14);
            assertThat(session.get("sync_query").get("Item").asText()).contains("owner_id == \"admin\"");
            assertThat(session.get("query_version").asLong()).isPositive();
            assertThat(session.get("sync_session_metrics").get("downloads").asLong()).as("the bootstrap").isPositive();
            assertThat(session.get("connected_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(session.get("last_error").isNull()).isTrue();
            assertThat(session.has("message")).isFalse();
            client.goOffline(); // the client unbinds its session
        }
        // the session's events are in the admin API's logs too, by type and user
        JsonNode logs = Eventually.awaitValue(Duration.ofSeconds(60), "the session's start in the admin logs", () -> {
            try {
                JsonNode page = server.call("GET", "/groups/{groupId}/apps/{appId}/logs", null, server.accessToken,
                        "?type=SYNC_SESSION_START,SYNC_SESSION_END&user_id=" + userId).json().get("logs");
                return page.size() >= 2 ? page : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(logs).extracting(r -> r.get("type").asText()).contains("SYNC_SESSION_START", "SYNC_SESSION_END");
        assertThat(logs.toString()).contains("Session started for client file");
        Eventually.await(Duration.ofSeconds(60), "the closed session gone from the list", () -> {
            for (JsonNode s : sessions("shop-thmbl").get("sessions")) {
                if (s.get("user_id").asText().equals(userId)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void anAppWithoutSyncSaysSyncIsNotEnabledAndHowToEnableIt() throws Exception {
        JsonNode todo = sessions("todo-thmbl");
        assertThat(todo.get("sync_enabled").asBoolean()).isFalse();
        assertThat(todo.get("state").asText()).isEqualTo("sync_off");
        assertThat(todo.get("sessions")).isEmpty();
        assertThat(todo.get("message").asText()).contains("Device Sync is not enabled for this app").contains("sync/config.json");
    }

    @Test
    void withoutAnAdminTokenTheSessionsAreNotShown() throws Exception {
        server.params.put("appId", "shop-thmbl");
        AdminServer.Reply reply = server.call("GET", ROUTE, null, null, "");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body()).doesNotContain("sessions");
    }
}
