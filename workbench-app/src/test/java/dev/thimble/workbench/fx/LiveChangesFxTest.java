package dev.thimble.workbench.fx;

import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorView;
import dev.thimble.workbench.editors.values.ValueRow;
import dev.thimble.workbench.editors.values.ValuesEditorViewModel;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a developer relies on while the workbench serves real clients: a saved function edit is what
 * the next real SDK call runs, a value edit reaches the functions that read it, and the window stays
 * responsive while a slow function runs.
 */
class LiveChangesFxTest {
    @TempDir
    static Path temp;
    private static Path appDir;
    private static Workbench workbench;

    @BeforeAll
    static void openTodo() throws Exception {
        appDir = TestApps.copyOfTodo(temp);
        Path slow = Files.createDirectories(appDir.resolve("functions/slow"));
        Files.writeString(slow.resolve("config.json"), "{\"id\": \"65a0000000000000000009f1\", \"name\": \"slow\", \"private\": false}\n");
        Files.writeString(slow.resolve("source.js"), """
                exports = function(ms) {
                  const end = Date.now() + ms;
                  let turns = 0;
                  while (Date.now() < end) { turns++; }
                  return turns > 0;
                };
                """);
        workbench = FxTestSupport.start(FxTestSupport.testOptions(appDir));
    }

    @AfterAll
    static void quit() throws Exception {
        FxTestSupport.quit(workbench);
    }

    @Test
    void aSavedFunctionEditIsWhatTheNextRealSdkCallRuns() throws Exception {
        EditorViewModel editor = fx(() -> workbench.model().openItem(new EditableItem.Function("itemsDueSoon")).orElseThrow());
        FunctionEditorView view = (FunctionEditorView) fx(() -> workbench.view().tabs().viewFor(editor));
        fxRun(() -> view.codeEditor().area().replaceText("exports = async function(days) { return 'edited, ' + days + ' days'; };\n"));
        fxRun(() -> view.codeEditor().area().requestFocus());
        ROBOT.press(KeyCode.CONTROL, KeyCode.S).release(KeyCode.S, KeyCode.CONTROL);
        Eventually.await("the edit saved", () -> !fx(() -> editor.dirtyProperty().get()));

        assertThat(sdkCall("itemsDueSoon", "[3]")).isEqualTo("\"edited, 3 days\"");
    }

    @Test
    void aValueEditReachesTheFunctionsThatReadIt() throws Exception {
        ValuesEditorViewModel values = (ValuesEditorViewModel) fx(() -> workbench.model().openItem(new EditableItem.Values()).orElseThrow());
        ValueRow maxLength = fx(() -> values.rows().stream().filter(r -> r.nameProperty().get().equals("maxItemLength")).findFirst().orElseThrow());
        fxRun(() -> maxLength.valueJsonProperty().set("5"));
        assertThat(fx(() -> values.save()).get(30, TimeUnit.SECONDS)).as("saved").isTrue();

        // addItem → validateItemText (private) → context.values.get("maxItemLength"): the SDK sees the new limit
        assertThat(sdkCall("addItem", "[\"list-1\", \"longer than five\"]"))
                .startsWith("ERROR ").contains("An item may have at most 5 characters (this one has 16).");
    }

    @Test
    void theWindowStaysResponsiveWhileASlowFunctionRuns() throws Exception {
        String api = fx(() -> workbench.model().server().clientApiUrlProperty().get());
        String token = anonymousToken(api);
        CompletableFuture<HttpResponse<String>> call = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create(api + "/functions/call"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"slow\",\"arguments\":[{\"$numberInt\":\"5000\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        FxLatencyProbe latency = FxLatencyProbe.whileTrue(() -> !call.isDone(), 10, 20_000);
        System.out.printf("JavaFX thread while a 5 s function ran: %d samples, longest wait %d ms%n", latency.samples, latency.maxMillis);

        assertThat(call.get(30, TimeUnit.SECONDS).body()).isEqualTo("true");
        assertThat(latency.samples).as("tasks the JavaFX thread ran while the function was still running").isGreaterThanOrEqualTo(10);
    }

    private static String anonymousToken(String api) throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api + "/auth/providers/anon-user/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(login.body()).get("access_token").asText();
    }

    /** The real realm-web SDK, in Node: logs in anonymously, calls the function; its output: the result, or ERROR and the message. */
    private static String sdkCall(String function, String argsJson) throws Exception {
        Path clients = Path.of("..", "test-clients").toAbsolutePath().normalize();
        if (!Files.isDirectory(clients.resolve("node_modules/realm-web"))) {
            throw new AssertionError("The SDK test clients are not installed: run `npm ci` in " + clients);
        }
        ProcessBuilder node = new ProcessBuilder("node", "workbench/call-function.mjs", function, argsJson)
                .directory(clients.toFile()).redirectErrorStream(true);
        node.environment().put("THIMBLE_BASE_URL", fx(() -> workbench.model().server().baseUrlProperty().get()));
        node.environment().put("THIMBLE_APP_ID", "todo-thmbl");
        Process process = node.start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
