package dev.thimble.debugger.ui;

import dev.thimble.testing.Eventually;
import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.FunctionDebugger;
import dev.thimble.debugger.TestHosts;
import dev.thimble.runtime.AppHost;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TreeView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The debugger panels in a headless window, driven by a real SDK call: paused line, variables, step, continue. */
class DebuggerPanelFxTest {
    static final Path SHOTS = Path.of("target/screenshots");
    @TempDir
    static Path tmp;
    static AppHost host;
    static TestHosts.Login login;
    static FunctionDebugger debugger;
    static Stage stage;
    final FxRobot robot = new dev.thimble.testing.fx.FxThreadRobot();

    @BeforeAll
    static void start() throws Exception {
        host = TestHosts.start(tmp);
        login = TestHosts.login(host);
        debugger = FunctionDebugger.attach(host.services().functions(), new Breakpoints());
        stage = FxToolkit.registerPrimaryStage();
        fx(() -> {
            DebuggerViewModel vm = new DebuggerViewModel(debugger, Platform::runLater, Executors.newCachedThreadPool());
            DebuggerPanel panel = new DebuggerPanel(vm);
            Scene scene = new Scene(panel, 1100, 640);
            panel.installKeys(scene);
            stage.setScene(scene);
            stage.setTitle("Thimble debugger");
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
    @SuppressWarnings("unchecked")
    void aPausedSdkCallShowsItsLineAndVariablesStepsAndContinuesWithTheKeys() throws Exception {
        debugger.breakpoints().set(Breakpoints.Line.at("functions/greet/source.js", 3));
        debugger.addWatch("greeting.length");
        CompletableFuture<HttpResponse<String>> response = TestHosts.call(host, login, "greet", "[\"Kim\"]");

        waitFor(() -> fx(() -> status().startsWith("Paused")));
        assertThat(fx(this::status)).isEqualTo("Paused at greet:3 (breakpoint)");
        assertThat(fx(() -> stack().getItems().getFirst().label())).isEqualTo("greet (functions/greet/source.js:3)");
        assertThat(fx(() -> ((Label) robot.lookup("#debugger-origin").query()).getText())).startsWith("SDK call · greet · user ");
        waitFor(() -> fx(() -> variables().getRoot().getChildren().size() > 0
                && variables().getRoot().getChildren().getFirst().getChildren().size() > 1));
        assertThat(fx(() -> variables().getRoot().getChildren().getFirst().getChildren().stream()
                .map(i -> i.getValue().text()).toList())).contains("name = \"Kim\" (string)", "greeting = \"Hello, Kim\" (string)");
        screenshot("debugger-paused");

        robot.clickOn("#debug-step-over");
        waitFor(() -> fx(() -> status().equals("Paused at greet:4 (step)")));
        assertThat(fx(() -> ((ListView<dev.thimble.debugger.EvaluationResult>) robot.lookup("#debugger-watches").query())
                .getItems().getFirst().display())).isEqualTo("10");

        robot.clickOn("#debugger-stack");
        robot.type(KeyCode.F9);

        HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("HELLO, KIM!");
        waitFor(() -> fx(() -> status().startsWith("Running")));
    }

    private String status() {
        return ((Label) robot.lookup("#debugger-status").query()).getText();
    }

    @SuppressWarnings("unchecked")
    private ListView<dev.thimble.debugger.FrameSnapshot> stack() {
        return (ListView<dev.thimble.debugger.FrameSnapshot>) robot.lookup("#debugger-stack").query();
    }

    @SuppressWarnings("unchecked")
    private TreeView<VariableNode> variables() {
        return (TreeView<VariableNode>) robot.lookup("#debugger-variables").query();
    }

    private static void screenshot(String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage image = fx(() -> {
            stage.getScene().getRoot().applyCss();
            stage.getScene().getRoot().layout();
            return stage.getScene().snapshot(null);
        });
        Files.createDirectories(SHOTS);
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader pixels = image.getPixelReader();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            pixels.getPixels(0, y, w, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, w);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        ImageIO.write(out, "png", SHOTS.resolve(name + ".png").toFile());
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
