package dev.thimble.workbench.fx;

import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorView;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import javafx.scene.Node;
import javafx.scene.control.IndexRange;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/** Editing a function in the real window: the parse error as you type, and a save while clients keep calling. */
class FunctionEditorFxTest {
    @TempDir
    static Path temp;
    private static Path appDir;
    private static Workbench workbench;
    private static final SlowRuntimeWork RUNTIME_WORK = new SlowRuntimeWork();

    @BeforeAll
    static void openTodo() throws Exception {
        appDir = TestApps.copyOfTodo(temp);
        workbench = FxTestSupport.start(FxTestSupport.testOptions(appDir).withRuntimeWork(() -> RUNTIME_WORK));
    }

    @AfterAll
    static void quit() throws Exception {
        RUNTIME_WORK.release();
        FxTestSupport.quit(workbench);
    }

    private static FunctionEditorView open(String function) {
        ROBOT.doubleClickOn(FxTestSupport.explorerRow(function));
        WaitForAsyncUtils.waitForFxEvents();
        EditorViewModel editor = fx(() -> workbench.model().tabs().selectedProperty().get());
        assertThat(editor.item()).isEqualTo(new EditableItem.Function(function));
        return (FunctionEditorView) fx(() -> workbench.view().tabs().viewFor(editor));
    }

    @Test
    void aSyntaxErrorTypedIntoTheEditorIsUnderlinedAndMarkedWithinASecond() {
        FunctionEditorView view = open("itemsDueSoon");
        CodeArea area = view.codeEditor().area();
        fxRun(() -> {
            area.requestFocus();
            area.moveTo(2, 0); // the start of line 3
        });
        ROBOT.write(")");
        long typed = System.nanoTime();

        Eventually.await(Duration.ofSeconds(3), "the parse error mark", () -> fx(() -> view.codeEditor().markedRange()).isPresent());
        long tookMs = (System.nanoTime() - typed) / 1_000_000;
        System.out.printf("keystroke to parse-error underline: %d ms%n", tookMs);
        assertThat(tookMs).as("time from keystroke to underline").isLessThan(1000);

        IndexRange underlined = fx(() -> view.codeEditor().markedRange()).orElseThrow();
        assertThat(fx(() -> area.getStyleOfChar(underlined.getStart()))).contains("parse-error");
        assertThat(fx(() -> area.offsetToPosition(underlined.getStart(), org.fxmisc.richtext.model.TwoDimensional.Bias.Forward).getMajor()))
                .isEqualTo(2);
        assertThat(fx(() -> visibleGutterMarkers(area))).isEqualTo(1);
        assertThat(fx(() -> ROBOT.lookup(".parse-error-message").queryAll().stream().filter(Node::isVisible)
                .map(n -> ((javafx.scene.control.Label) n).getText()).toList()))
                .singleElement().asString().startsWith("Line 3");

        ROBOT.type(KeyCode.BACK_SPACE);
        Eventually.await(Duration.ofSeconds(3), "the mark to go", () -> fx(() -> view.codeEditor().markedRange()).isEmpty());
        assertThat(fx(() -> visibleGutterMarkers(area))).isZero();
        assertThat(fx(() -> area.getStyleOfChar(underlined.getStart()))).doesNotContain("parse-error");
    }

    private static long visibleGutterMarkers(CodeArea area) {
        return area.lookupAll(".gutter-error").stream().filter(Node::isVisible).count();
    }

    @Test
    void saveWritesTheFileWhileTheServerKeepsAnsweringAndTheWindowStaysResponsive() throws Exception {
        FunctionEditorView view = open("addItem");
        String edited = TestApps.read(appDir.resolve("functions/addItem/source.js")).replace("added item", "saved item");
        fxRun(() -> view.codeEditor().area().replaceText(edited));
        assertThat(fx(() -> selectedTab().getText())).isEqualTo("\u25CF addItem");

        String url = fx(() -> workbench.model().server().clientApiUrlProperty().get()) + "/location";
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = Thread.ofPlatform().daemon().start(() -> poll(url, statuses, polling));

        long tasksBefore = RUNTIME_WORK.getCompletedTaskCount();
        RUNTIME_WORK.hold(); // a save that cannot finish until the test says so: a very slow disk
        Path file = appDir.resolve("functions/addItem/source.js");
        FxLatencyProbe latency;
        try {
            fxRun(() -> view.codeEditor().area().requestFocus());
            ROBOT.press(KeyCode.CONTROL, KeyCode.S).release(KeyCode.S, KeyCode.CONTROL);
            Eventually.await("the save to wait at the held runtime-work thread", RUNTIME_WORK::taskWaiting);
            latency = FxLatencyProbe.whileTrue(RUNTIME_WORK::taskWaiting, 10, 120_000);
            Eventually.await("the server to answer while the save is held", () -> statuses.size() > 5);
            assertThat(TestApps.read(file)).as("nothing written while the save is held").isNotEqualTo(edited);
        } finally {
            RUNTIME_WORK.release();
        }
        System.out.printf("JavaFX thread during a held save: %d samples, longest wait %d ms%n", latency.samples, latency.maxMillis);
        assertThat(latency.samples).as("tasks the JavaFX thread ran while the save was held").isGreaterThanOrEqualTo(10);

        Eventually.await("the file to be written", () -> TestApps.read(file).equals(edited));
        Eventually.await("the save task to finish", () -> RUNTIME_WORK.getCompletedTaskCount() > tasksBefore);
        Eventually.await("the tab to be clean", () -> fx(() -> selectedTab().getText()).equals("addItem"));
        Thread.sleep(100);
        polling.set(false);
        poller.join(5000);

        assertThat(statuses).hasSizeGreaterThan(5).containsOnly(200);
        assertThat(fx(() -> workbench.model().noticeProperty().get())).isEqualTo("Saved functions/addItem/source.js");
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
    }

    private static void poll(String url, List<Integer> statuses, AtomicBoolean polling) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (polling.get()) {
                try {
                    statuses.add(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode());
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    statuses.add(-1);
                }
            }
        }
    }

    private static Tab selectedTab() {
        return ROBOT.lookup("#editor-tabs").queryAs(TabPane.class).getSelectionModel().getSelectedItem();
    }
}
