package dev.thimble.workbench.editors.code;

import dev.thimble.testing.Eventually;
import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.FunctionDebugger;
import dev.thimble.debugger.ui.DebuggerPanel;
import dev.thimble.debugger.ui.DebuggerViewModel;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import javafx.application.Platform;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The function editor's gutter with the debugger, headless: a click sets a breakpoint, a real
 * client request stops there, the editor marks the paused line, F8 steps, F9 lets the client have its answer.
 */
class DebuggerGutterFxTest {
    static final String PATH = "functions/itemsDueSoon/source.js";
    @TempDir
    static Path tmp;
    static AppHost host;
    static FunctionDebugger debugger;
    static CodeEditor editor;
    static Stage stage;
    final FxRobot robot = new dev.thimble.testing.fx.FxThreadRobot();

    @BeforeAll
    static void start() throws Exception {
        AppModel todo = AppBundles.read(Path.of("../examples/todo")).app();
        host = AppHost.start(todo, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(tmp.resolve("db")),
                new SecretStore(tmp.resolve("secrets.json"))));
        debugger = FunctionDebugger.attach(host.services().functions(), new Breakpoints());
        String source = todo.function("itemsDueSoon").orElseThrow().source();
        stage = FxToolkit.registerPrimaryStage();
        fx(() -> {
            DebuggerViewModel vm = new DebuggerViewModel(debugger, Platform::runLater, Executors.newCachedThreadPool());
            editor = new CodeEditor(new JavaScriptHighlighter());
            editor.bind(new SimpleStringProperty(source));
            BreakpointGutter.bind(editor, PATH, debugger.breakpoints(), vm.currentLine(), Platform::runLater);
            DebuggerPanel panel = new DebuggerPanel(vm);
            SplitPane split = new SplitPane(editor.node(), panel);
            split.setDividerPositions(0.42);
            Scene scene = new Scene(split, 1280, 600);
            scene.getStylesheets().add(DebuggerGutterFxTest.class.getResource("/dev/thimble/workbench/workbench.css").toExternalForm());
            panel.installKeys(scene);
            stage.setScene(scene);
            stage.show();
            return null;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        debugger.close();
        host.close();
        FxToolkit.cleanupStages();
    }

    @Test
    void aGutterBreakpointStopsARealRequestTheEditorMarksTheLineAndF8F9StepAndContinue() throws Exception {
        robot.clickOn(gutterOfLine(3));
        waitFor(() -> fx(() -> editor.breakpointLines().contains(3)));
        assertThat(debugger.breakpoints().lines()).containsExactly(Breakpoints.Line.at(PATH, 3));

        CompletableFuture<HttpResponse<String>> response = callItemsDueSoon();
        waitFor(() -> fx(() -> editor.executionLineProperty().get() == 3));
        assertThat(fx(() -> ((Label) robot.lookup("#debugger-status").query()).getText())).isEqualTo("Paused at itemsDueSoon:3 (breakpoint)");
        assertThat(response).isNotDone();
        screenshot("debugger-in-editor");

        robot.clickOn("#debugger-stack");
        robot.type(KeyCode.F8);
        waitFor(() -> fx(() -> editor.executionLineProperty().get() == 4));

        robot.type(KeyCode.F9);
        HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("[]");
        waitFor(() -> fx(() -> editor.executionLineProperty().get() == 0));

        robot.clickOn(gutterOfLine(3));
        waitFor(() -> fx(() -> editor.breakpointLines().isEmpty()));
        assertThat(debugger.breakpoints().lines()).isEmpty();
    }

    private Node gutterOfLine(int line) {
        return fx(() -> robot.lookup(".gutter").queryAll().stream()
                .filter(n -> n.lookupAll(".line-number").stream().anyMatch(l -> ((Label) l).getText().equals(String.valueOf(line))))
                .findFirst().orElseThrow());
    }

    private static CompletableFuture<HttpResponse<String>> callItemsDueSoon() {
        String token = host.auth().login("anon-user", new Document(), "127.0.0.1", null).accessToken();
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"itemsDueSoon\",\"arguments\":[3]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void screenshot(String name) throws Exception {
        dev.thimble.workbench.fx.FxTestSupport.screenshot(stage.getScene(), name);
    }

    private static <T> T fx(Callable<T> action) {
        try {
            return WaitForAsyncUtils.asyncFx(action).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the JavaFX action failed", e);
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        Eventually.await(java.time.Duration.ofSeconds(30), "the condition", condition);
    }
}
