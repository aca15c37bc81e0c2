package dev.thimble.workbench.fx;

import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorView;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.shell.MainWindowView;
import dev.thimble.workbench.shell.Theme;
import dev.thimble.workbench.testing.ClientCalls;
import dev.thimble.workbench.testing.LogRecords;
import dev.thimble.runtime.apps.DataBrowser;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import dev.thimble.testing.Eventually;
import dev.thimble.runtime.apps.EditableItem;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the screenshots of the workbench() (target/screenshots/*.png): the main window with a function
 * open, and the function editor showing a parse error, each in the light and the dark theme.
 */
class ScreenshotsFxTest {
    private static final Path SHOTS = Path.of("target/screenshots");
    @RegisterExtension
    static final TodoWindow WINDOW = new TodoWindow();

    private static Workbench workbench() {
        return WINDOW.workbench();
    }

    @Test
    void mainWindowWithAFunctionOpen() throws IOException {
        fxRun(() -> workbench().model().openItem(new EditableItem.Function("addItem")));
        fxRun(() -> workbench().view().showDock(MainWindowView.Dock.PROBLEMS));
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench().model().theme().use(theme));
            assertThat(shoot("main-window-" + name(theme))).exists();
        }
    }

    @Test
    void functionEditorShowingAParseError() throws IOException {
        EditorViewModel editor = fx(() -> workbench().model().openItem(new EditableItem.Function("validateItemText")).orElseThrow());
        FunctionEditorView view = (FunctionEditorView) fx(() -> workbench().view().tabs().viewFor(editor));
        fxRun(() -> ((FunctionEditorViewModel) editor).sourceProperty().set(
                ((FunctionEditorViewModel) editor).sourceProperty().get().replaceFirst("const clean = ", "const clean = = ")));
        Eventually.await("the parse error", () -> fx(() -> view.codeEditor().markedRange()).isPresent());
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench().model().theme().use(theme));
            assertThat(shoot("function-parse-error-" + name(theme))).exists();
        }
    }

    @Test
    void logsPanelWithASelectedRecord() throws Exception {
        ClientCalls client = new ClientCalls(fx(() -> workbench().model().server().clientApiUrlProperty().get()));
        client.loginAnonymously();
        client.call("{\"name\": \"validateItemText\", \"arguments\": [\"x\"]}");
        client.call("{\"service\": \"mongodb-atlas\", \"name\": \"find\", \"arguments\": "
                + "[{\"database\": \"todo\", \"collection\": \"items\", \"query\": {}}]}");
        java.time.Instant now = java.time.Instant.now();
        java.util.List<dev.thimble.runtime.logs.LogRecord> history = new java.util.ArrayList<>();
        for (int s = 240; s > 1; s--) {
            int perSecond = 2 + (int) (6 * (1 + Math.sin(s / 15.0)));
            for (int i = 0; i < perSecond; i++) {
                history.add(LogRecords.record(i, now.minusSeconds(s), i % 3 == 0 ? dev.thimble.runtime.logs.LogType.SERVICE_FUNCTION
                        : dev.thimble.runtime.logs.LogType.FUNCTION, i % 3 == 0 ? null : "addItem", "65a0f00d" + (i % 4),
                        s % 50 == 0 && i == 0 ? "Error: An item may have at most 200 characters (this one has 240).\n    at exports (functions/validateItemText/source.js:9:11)" : null,
                        3 + (s % 7) * 2 + i));
            }
        }
        fxRun(() -> workbench().model().logs().append(history));
        Eventually.await("the client calls in the logs", () -> fx(() -> workbench().model().logs().shown().stream()
                .anyMatch(r -> "validateItemText".equals(r.functionName()) && r.isError() && r.userId() != null && !r.userId().startsWith("65a0f00d"))));
        fxRun(() -> workbench().model().logs().tick());
        fxRun(() -> workbench().view().showDock(MainWindowView.Dock.LOGS));
        dev.thimble.runtime.logs.LogRecord error = fx(() -> workbench().model().logs().shown().stream()
                .filter(r -> "validateItemText".equals(r.functionName()) && r.isError()).reduce((a, b) -> b).orElseThrow());
        fxRun(() -> workbench().model().logs().followProperty().set(false));
        fxRun(() -> workbench().model().logs().selectedProperty().set(error));
        fxRun(() -> workbench().view().logs().table().scrollTo(error));
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench().model().theme().use(theme));
            assertThat(shoot("logs-panel-" + name(theme))).exists();
        }
        fxRun(() -> workbench().model().logs().followProperty().set(true));
    }

    @Test
    void consoleAfterACall() throws Exception {
        fxRun(() -> workbench().view().showDock(MainWindowView.Dock.CONSOLE));
        fxRun(() -> {
            workbench().model().console().functionProperty().set("validateItemText");
            workbench().model().console().argumentsProperty().set("[\"\"]");
        });
        fx(() -> workbench().model().console().call()).get(20, java.util.concurrent.TimeUnit.SECONDS);
        fxRun(() -> {
            workbench().model().console().functionProperty().set("addItem");
            workbench().model().console().callAsProperty().set(workbench().model().console().callers().get(1));
            workbench().model().console().argumentsProperty().set("[\n  {\"$oid\": \"65a0000000000000000000aa\"},\n  \"buy milk\"\n]");
        });
        fx(() -> workbench().model().console().call()).get(20, java.util.concurrent.TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench().model().theme().use(theme));
            assertThat(shoot("console-" + name(theme))).exists();
        }
    }

    @Test
    void dataBrowserShowingACollection() throws Exception {
        fxRun(() -> workbench().view().showDock(MainWindowView.Dock.DATA));
        for (String text : java.util.List.of("buy milk", "call the plumber", "renew passport", "water the plants")) {
            fxRun(() -> {
                workbench().model().console().functionProperty().set("addItem");
                workbench().model().console().callAsProperty().set(workbench().model().console().callers().get(1));
                workbench().model().console().argumentsProperty().set("[{\"$oid\": \"65a0000000000000000000aa\"}, \"" + text + "\"]");
            });
            fx(() -> workbench().model().console().call()).get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        fx(() -> workbench().model().data().refresh()).get(20, java.util.concurrent.TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        TreeView<Object> tree = fx(() -> workbench().view().data().tree());
        fxRun(() -> {
            for (TreeItem<Object> db : tree.getRoot().getChildren()) {
                for (TreeItem<Object> c : db.getChildren()) {
                    if (c.getValue() instanceof DataBrowser.CollectionInfo info && info.namespace().equals("todo.items")) {
                        db.setExpanded(true);
                        tree.getSelectionModel().select(c);
                    }
                }
            }
        });
        Eventually.await("the items page", () -> fx(() -> workbench().model().data().documents().size()) >= 4);
        fxRun(() -> workbench().model().data().selectedProperty().set(workbench().model().data().documents().getFirst()));
        fxRun(() -> workbench().view().data().table().getSelectionModel().select(0));
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench().model().theme().use(theme));
            assertThat(shoot("data-browser-" + name(theme))).exists();
        }
    }

    @Test
    void triggerFormWithAValidationMessage() throws Exception {
        fxRun(() -> workbench().view().showDock(MainWindowView.Dock.PROBLEMS));
        EditorViewModel editor = fx(() -> workbench().model().openItem(new EditableItem.Trigger("onNewItem")).orElseThrow());
        dev.thimble.workbench.editors.json.JsonEditorViewModel json = (dev.thimble.workbench.editors.json.JsonEditorViewModel) editor;
        dev.thimble.workbench.editors.json.FormField function = fx(() -> json.form().stream()
                .filter(f -> f.path().equals("function_name")).findFirst().orElseThrow());
        fxRun(() -> json.setField(function, "onItemAdded"));
        fx(json::save).get(20, java.util.concurrent.TimeUnit.SECONDS);
        Eventually.await("the validator's message beside the field", () -> !fx(() -> json.problemsAt("function_name")).isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(() -> workbench().stage().getScene().getRoot().lookupAll(".scroll-pane").stream()
                .filter(n -> n instanceof javafx.scene.control.ScrollPane sp && sp.getContent() != null && "json-form".equals(sp.getContent().getId()))
                .forEach(n -> ((javafx.scene.control.ScrollPane) n).setVvalue(1.0)));
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench().model().theme().use(theme));
            assertThat(shoot("trigger-form-" + name(theme))).exists();
        }
        fxRun(() -> json.setField(function, "onItemInserted"));
        fx(json::save).get(20, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void goToItemPicker() throws Exception {
        fxRun(() -> workbench().model().goTo().open());
        fxRun(() -> workbench().model().goTo().queryProperty().set("item"));
        WaitForAsyncUtils.waitForFxEvents();
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench().model().theme().use(theme));
            assertThat(shoot("go-to-item-" + name(theme))).exists();
        }
        fxRun(() -> workbench().model().goTo().cancel());
    }

    private static String name(Theme theme) {
        return theme.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Path shoot(String name) throws IOException {
        return FxTestSupport.screenshot(workbench(), name);
    }
}
