package dev.thimble.workbench.fx;

import dev.thimble.runtime.app.Problem;
import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorView;
import dev.thimble.workbench.editors.values.ValuesEditorView;
import dev.thimble.workbench.explorer.ExplorerNode;
import dev.thimble.workbench.shell.Theme;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import javafx.application.Application;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TreeItem;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/** The window on the example app, headless: what it shows, and what clicking in it opens. */
class MainWindowFxTest {
    @TempDir
    static Path temp;
    private static Path appDir;
    private static Workbench workbench;

    @BeforeAll
    static void openTodo() throws Exception {
        appDir = TestApps.copyOfTodo(temp);
        workbench = FxTestSupport.start(FxTestSupport.testOptions(appDir));
    }

    @AfterAll
    static void quit() throws Exception {
        FxTestSupport.quit(workbench);
    }

    @Test
    void theWindowOpensOnTheAppWithTheExplorerPopulated() {
        assertThat(fx(() -> workbench.stage().getTitle())).startsWith("todo (todo-thmbl)");
        TreeItem<ExplorerNode> root = fx(() -> workbench.view().explorer().tree().getRoot());
        assertThat(fx(() -> root.getChildren().stream().map(i -> i.getValue().label()).toList()))
                .containsExactly("App settings", "Functions", "Rules", "Values", "Secrets", "Triggers",
                        "Webhooks & endpoints", "Auth providers", "Services", "Environments");
        assertThat(fx(() -> root.getChildren().get(1).getChildren().size())).isEqualTo(7);
        assertThat(fx(() -> root.getChildren().get(1).isExpanded())).isTrue();
    }

    @Test
    void theStatusBarShowsTheRunningServerItsUrlAppIdAndDatabase() {
        assertThat(fx(() -> ROBOT.lookup("#server-state").queryAs(Label.class).getText())).isEqualTo("Running");
        assertThat(fx(() -> ROBOT.lookup("#server-url").queryAs(Label.class).getText()))
                .startsWith("http://127.0.0.1:").endsWith("/api/client/v2.0/app/todo-thmbl");
        assertThat(fx(() -> ROBOT.lookup("#client-app-id").queryAs(Label.class).getText())).isEqualTo("todo-thmbl");
        assertThat(fx(() -> ROBOT.lookup("#database").queryAs(Label.class).getText())).contains("embedded");
    }

    @Test
    void clickingTheUrlCopiesIt() {
        ROBOT.clickOn("#server-url");
        WaitForAsyncUtils.waitForFxEvents();
        String url = fx(() -> (String) ROBOT.lookup("#server-url").queryAs(Label.class).getText());
        assertThat(fx(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString())).isEqualTo(url);
        assertThat(fx(() -> ROBOT.lookup("#status-notice").queryAs(Label.class).getText())).contains("Copied");
    }

    @Test
    void doubleClickingAFunctionOpensItsSourceInAnEditorTab() {
        ROBOT.doubleClickOn(FxTestSupport.explorerRow("addItem"));
        WaitForAsyncUtils.waitForFxEvents();

        EditorViewModel selected = fx(() -> workbench.model().tabs().selectedProperty().get());
        assertThat(selected.item()).isEqualTo(new EditableItem.Function("addItem"));
        FunctionEditorView view = (FunctionEditorView) fx(() -> workbench.view().tabs().viewFor(selected));
        CodeArea area = view.codeEditor().area();
        String text = fx(area::getText);
        assertThat(text).isEqualTo(TestApps.read(appDir.resolve("functions/addItem/source.js")));
        assertThat(fx(() -> area.getStyleOfChar(area.getText().indexOf("exports") + 1))).contains("stitch-global");
    }

    @Test
    void doubleClickingAProblemOpensTheEditorOfItsFile() {
        assertThat(fx(() -> workbench.model().problems().problems().stream().map(Problem::file).toList()))
                .contains("values/chatWebhookKey.json");
        @SuppressWarnings("unchecked")
        TableRow<Problem> row = fx(() -> ROBOT.lookup("#problems .table-row-cell").queryAll().stream()
                .map(node -> (TableRow<Problem>) node)
                .filter(r -> r.getItem() != null && r.getItem().file().equals("values/chatWebhookKey.json"))
                .findFirst().orElseThrow());
        ROBOT.doubleClickOn(row);
        WaitForAsyncUtils.waitForFxEvents();

        EditorViewModel selected = fx(() -> workbench.model().tabs().selectedProperty().get());
        assertThat(selected.item()).isEqualTo(new EditableItem.Values());
        ValuesEditorView values = (ValuesEditorView) fx(() -> workbench.view().tabs().viewFor(selected));
        assertThat(fx(() -> values.table().getItems().size())).isEqualTo(3);
        assertThat(fx(() -> selected.problems().stream().map(Problem::field).toList())).containsExactly("value");
    }

    @Test
    void theThemeSwitchesBetweenLightAndDarkEverywhereIncludingTheCode() {
        fxRun(() -> workbench.model().openItem(new EditableItem.Function("validateItemText")));
        WaitForAsyncUtils.waitForFxEvents();
        Region code = (Region) fx(() -> ROBOT.lookup(".code-editor").queryAll().stream()
                .filter(n -> n.getScene() != null && n.isVisible() && ((Region) n).getWidth() > 0)
                .findFirst().orElseThrow());

        ROBOT.clickOn("#toolbar-theme");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> workbench.model().theme().themeProperty().get())).isEqualTo(Theme.DARK);
        assertThat(fx(Application::getUserAgentStylesheet)).contains("primer-dark");
        assertThat(fx(() -> workbench.stage().getScene().getRoot().getStyleClass())).contains("theme-dark");
        Eventually.await("a dark code background", () -> brightness(fx(() -> background(code))) < 0.3);

        // the menu item is fired, not clicked: the View menu's popup is long now, and a click measured while it
        // opens in the headless window can land on another item
        fxRun(() -> menuItem("menu-theme-light").fire());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(Application::getUserAgentStylesheet)).contains("primer-light");
        Eventually.await("a light code background", () -> brightness(fx(() -> background(code))) > 0.8);
    }

    @Test
    void aDockPanelIsBuiltWhenTheViewMenuFirstShowsIt() {
        // the first frame needs only the shell: the schedule panel does not exist until it is asked for
        assertThat(fx(() -> workbench.view().dockPanelBuilt(dev.thimble.workbench.shell.MainWindowView.Dock.SCHEDULE))).isFalse();
        assertThat(fx(() -> ROBOT.lookup("#schedule-table").tryQuery().isPresent())).isFalse();

        try {
            fxRun(() -> menuItem("menu-schedule").fire());
            WaitForAsyncUtils.waitForFxEvents();

            assertThat(fx(() -> workbench.view().selectedDock())).isEqualTo(dev.thimble.workbench.shell.MainWindowView.Dock.SCHEDULE);
            assertThat(fx(() -> workbench.view().dockPanelBuilt(dev.thimble.workbench.shell.MainWindowView.Dock.SCHEDULE))).isTrue();
            Eventually.await("the schedule table on screen", () -> fx(() -> ROBOT.lookup("#schedule-table").tryQuery()
                    .map(table -> table.isVisible() && table.getScene() != null).orElse(false)));
            // built late, it shows the view-model's own list (what the schedule already holds, and what comes later)
            assertThat(fx(() -> ((javafx.scene.control.TableView<?>) ROBOT.lookup("#schedule-table").query()).getItems()))
                    .isSameAs(fx(() -> workbench.model().schedule().upcoming()));
        } finally {
            // the other tests click in the Problems panel
            fxRun(() -> workbench.view().showDock(dev.thimble.workbench.shell.MainWindowView.Dock.PROBLEMS));
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    private static javafx.scene.control.MenuItem menuItem(String id) {
        javafx.scene.control.MenuBar bar = ROBOT.lookup(".menu-bar").queryAs(javafx.scene.control.MenuBar.class);
        java.util.Deque<javafx.scene.control.MenuItem> items = new java.util.ArrayDeque<>(bar.getMenus());
        while (!items.isEmpty()) {
            javafx.scene.control.MenuItem item = items.pop();
            if (id.equals(item.getId())) {
                return item;
            }
            if (item instanceof javafx.scene.control.Menu menu) {
                items.addAll(menu.getItems());
            }
        }
        throw new AssertionError("no menu item #" + id);
    }

    private static Color background(Region region) {
        region.applyCss();
        return region.getBackground() == null || region.getBackground().getFills().isEmpty()
                ? Color.TRANSPARENT : (Color) region.getBackground().getFills().getFirst().getFill();
    }

    private static double brightness(Color color) {
        return color.getBrightness();
    }
}
