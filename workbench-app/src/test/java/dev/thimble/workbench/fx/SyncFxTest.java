package dev.thimble.workbench.fx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.sync.SyncSessions;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.shell.MainWindowView;
import dev.thimble.workbench.shell.Theme;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sync dock tab in the real window, on the todo app with flexible sync turned on: empty with what
 * to do while no client is connected; a client's session (a sync WebSocket speaking protocol 14 to the
 * workbench's own server: bind, ident with a subscription) appears as a row with its user and client
 * file, and its detail lists the subscription's RQL and the session's log records; closed, it leaves.
 */
class SyncFxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path temp;
    private static Workbench workbench;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void openTodoWithSync() throws Exception {
        Path appDir = TestApps.copyOfTodo(temp);
        Files.createDirectories(appDir.resolve("sync"));
        Files.writeString(appDir.resolve("sync/config.json"), """
                {"type": "flexible", "state": "enabled", "service_name": "mongodb-atlas", "database_name": "shop",
                 "queryable_fields_names": ["owner_id", "name"]}""");
        Files.writeString(appDir.resolve("services/mongodb-atlas/rules/shop.items.json"), """
                {"id": "65b000000000000000000031", "database": "shop", "collection": "items",
                 "roles": [{"name": "everyone", "apply_when": {}, "read": true, "write": true, "insert": true, "delete": true,
                            "search": true, "fields": {}, "additional_fields": {}}],
                 "filters": [],
                 "schema": {"title": "Item", "bsonType": "object", "required": ["_id", "owner_id", "name"],
                            "properties": {"_id": {"bsonType": "objectId"}, "owner_id": {"bsonType": "string"},
                                           "name": {"bsonType": "string"}}}}""");
        workbench = FxTestSupport.start(FxTestSupport.testOptions(appDir));
        fxRun(() -> workbench.model().theme().use(Theme.LIGHT));
        fxRun(() -> {
            workbench.stage().setMaximized(false);
            workbench.stage().setWidth(1280);
            workbench.stage().setHeight(800);
        });
    }

    @AfterAll
    static void quit() throws Exception {
        FxTestSupport.quit(workbench);
    }

    /** Whole binary messages as text. */
    static final class Frames implements WebSocket.Listener {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            partial.append(StandardCharsets.UTF_8.decode(data));
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String frame = received.poll(60, TimeUnit.SECONDS);
            assertThat(frame).as("a message from the sync server within 60 s").isNotNull();
            return frame;
        }
    }

    @Test
    void aClientsSessionShowsAsARowWithItsSubscriptionAndRecordsAndLeavesWhenItCloses() throws Exception {
        MenuBar bar = fx(() -> (MenuBar) ROBOT.lookup(".menu-bar").query());
        MenuItem item = fx(() -> bar.getMenus().stream().filter(m -> m.getText().equals("View")).findFirst().orElseThrow()
                .getItems().stream().filter(i -> "menu-sync".equals(i.getId())).findFirst().orElseThrow());
        fxRun(item::fire);
        assertThat(fx(() -> ((TabPane) ROBOT.lookup("#dock").query()).getSelectionModel().getSelectedItem().getText())).isEqualTo("Sync");
        assertThat(fx(() -> workbench.view().dockPanelBuilt(MainWindowView.Dock.SYNC))).isTrue();
        Eventually.await(Duration.ofSeconds(30), "the empty state says no client is connected", () ->
                fx(() -> ROBOT.lookup("#sync-empty").queryAs(Label.class).getText()).startsWith("No Realm clients are connected."));
        FxTestSupport.screenshot(workbench, "sync-empty-1280x800-light");

        // a client: anonymous login, then the sync WebSocket with one subscription
        String clientApiUrl = fx(() -> workbench.model().server().clientApiUrlProperty().get());
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(clientApiUrl + "/auth/providers/anon-user/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        JsonNode tokens = JSON.readTree(login.body());
        String userId = tokens.get("user_id").asText();
        Frames frames = new Frames();
        WebSocket ws = http.newWebSocketBuilder().subprotocols("com.mongodb.realm-query-sync#14")
                .buildAsync(URI.create(clientApiUrl.replaceFirst("^http", "ws") + "/realm-sync?baas_at=" + tokens.get("access_token").asText()),
                        frames).get(60, TimeUnit.SECONDS);
        String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
        send(ws, "bind 1 " + bind.length() + " 0 1 0\n" + bind);
        String[] ident = frames.next().trim().split(" ");
        assertThat(ident[0]).isEqualTo("ident");
        String query = "{\"Item\":\"owner_id == \\\"fx\\\"\"}";
        send(ws, "ident 1 " + ident[2] + " " + ident[3] + " 0 0 0 0 1 " + query.getBytes(StandardCharsets.UTF_8).length + "\n" + query);
        assertThat(frames.next()).startsWith("download 1 ");

        // the row can be drawn from a poll taken between bind and ident: wait for the subscription to reach it
        Eventually.await(Duration.ofSeconds(30), "the session's row with its subscription", () -> userCell(userId) != null
                && "Item: owner_id == \"fx\"".equals(cell(userId, "Subscriptions")) && "1".equals(cell(userId, "Down")));
        assertThat(fx(() -> ROBOT.lookup("#sync-summary").queryAs(Label.class).getText())).isEqualTo("1 session open, 1 class subscribed");
        assertThat(cell(userId, "File")).isEqualTo(ident[2]);
        assertThat(cell(userId, "Subscriptions")).isEqualTo("Item: owner_id == \"fx\"");
        assertThat(cell(userId, "Down")).isEqualTo("1");

        @SuppressWarnings("unchecked")
        TableView<SyncSessions.Session> table = fx(() -> (TableView<SyncSessions.Session>) ROBOT.lookup("#sync-sessions").query());
        fxRun(() -> table.getSelectionModel().select(0));
        Eventually.await(Duration.ofSeconds(30), "the detail with the subscription and the session's records", () -> fx(() ->
                ROBOT.lookup("#sync-subscriptions").queryAs(TextArea.class).getText().contains("owner_id == \"fx\"")
                        && workbench.model().sync().records().stream().anyMatch(l -> l.contains("session start"))));
        assertThat(fx(() -> ROBOT.lookup("#sync-detail-title").queryAs(Label.class).getText()))
                .contains("anon-user (" + userId + ")").contains("client file " + ident[2]).contains("query version 1").contains("protocol 14");
        assertThat(fx(() -> workbench.model().sync().records())).anySatisfy(l -> assertThat(l).contains("connection start"));
        WaitForAsyncUtils.waitForFxEvents();
        FxTestSupport.screenshot(workbench, "sync-1280x800-light");

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(60, TimeUnit.SECONDS);
        Eventually.await(Duration.ofSeconds(30), "the row gone once the client closed", () -> userCell(userId) == null
                && fx(() -> workbench.model().sync().sessions().isEmpty()));
        assertThat(fx(() -> ROBOT.lookup("#sync-summary").queryAs(Label.class).getText())).isEqualTo("No clients connected");
    }

    private static void send(WebSocket ws, String message) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), true).get(60, TimeUnit.SECONDS);
    }

    private static String userCell(String userId) {
        String shown = cell(userId, "User");
        return shown;
    }

    /** The text drawn in column {@code column} of the row of {@code userId}, or null when there is no such row. */
    private static String cell(String userId, String column) {
        return fx(() -> ROBOT.lookup("#sync-sessions .table-cell").queryAll().stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && c.getTableColumn().getText().equals(column) && c.getTableRow() != null
                        && c.getTableRow().getItem() instanceof SyncSessions.Session s && s.userId().equals(userId))
                .map(c -> c.getText()).findFirst().orElse(null));
    }
}
