package dev.thimble.workbench.fx;

import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.FunctionConsole;
import dev.thimble.runtime.apps.ScheduledRuns;
import dev.thimble.runtime.apps.Starters;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.explorer.StructureViewModel;
import dev.thimble.workbench.shell.HelpTexts;
import dev.thimble.workbench.shell.HelpTopic;
import dev.thimble.workbench.shell.MainWindowView;
import dev.thimble.workbench.shell.Theme;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.TextArea;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's ad-hoc code, the Schedule panel's clock, the window's chrome (Save, Help, Open Recent)
 * and the screenshots of the New form at 1280x800 and 2560x1440 in both themes, in the real window.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesignViewsFxTest {
    @TempDir
    static Path temp;
    private static Path appDir;
    private static Workbench workbench;

    static {
        // Monocle's headless screen is 1280x800 unless told: the 2560x1440 screenshots need a screen that size
        // (this class runs in a JVM of its own, so no other test sees the bigger screen)
        System.setProperty("headless.geometry", "2560x1440-32");
    }

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
    @Order(1)
    void theConsoleRunsAdHocCodeAsTheChosenCaller() {
        fxRun(() -> workbench.view().showDock(MainWindowView.Dock.CONSOLE));
        ROBOT.clickOn("#console-mode-code");
        assertThat(fx(() -> workbench.model().console().snippetProperty().get())).isTrue();
        fxRun(() -> ((TextArea) ROBOT.lookup("#console-code").query()).setText(
                "console.log('checking');\nconst items = await context.functions.execute('validateItemText', '  tea ');\nreturn { items, who: context.user.id };"));
        fxRun(() -> workbench.model().console().callAsProperty().set(workbench.model().console().callers().get(1)));
        ROBOT.clickOn("#console-run");

        Eventually.await("the code's result", () -> fx(() -> ((TextArea) ROBOT.lookup("#console-result").query()).getText())
                .contains("\"items\": \"tea\""));
        assertThat(fx(() -> ((TextArea) ROBOT.lookup("#console-result").query()).getText())).contains(FunctionConsole.ANONYMOUS_ID);
        assertThat(fx(() -> ((TextArea) ROBOT.lookup("#console-output").query()).getText())).isEqualTo("log: checking");
        assertThat(fx(() -> workbench.model().console().history().getFirst().function())).isEqualTo("console:snippet");
        assertThat(fx(() -> workbench.model().modelProperty().get().functions())).noneMatch(f -> f.name().contains("snippet"));

        ROBOT.clickOn("#console-mode-function");
        assertThat(fx(() -> ROBOT.lookup("#console-function").query().isVisible())).isTrue();
        assertThat(fx(() -> ROBOT.lookup("#console-code").query().isVisible())).isFalse();
    }

    @Test
    @Order(2)
    void theSchedulePanelListsNextRunsRunsNowAndAdvancesTheClock() throws Exception {
        fxRun(() -> {
            StructureViewModel structure = workbench.model().structure();
            structure.startNew(StructureViewModel.Kind.FUNCTION);
            structure.nameProperty().set("writeSummary");
        });
        fx(() -> workbench.model().structure().confirm()).get(30, TimeUnit.SECONDS);
        fxRun(() -> {
            StructureViewModel structure = workbench.model().structure();
            structure.startNew(StructureViewModel.Kind.TRIGGER);
            structure.nameProperty().set("hourlySummary");
            structure.triggerKindProperty().set(Starters.TriggerKind.SCHEDULED);
            structure.scheduleProperty().set("0 * * * *");
            structure.functionProperty().set("writeSummary");
        });
        fx(() -> workbench.model().structure().confirm()).get(30, TimeUnit.SECONDS);
        fxRun(() -> workbench.view().showDock(MainWindowView.Dock.SCHEDULE));
        Eventually.await("the trigger's next runs", () -> fx(() -> workbench.model().schedule().upcoming().stream()
                .anyMatch(u -> u.trigger().equals("hourlySummary") && u.next().size() == 3)));

        ScheduledRuns.Upcoming row = fx(() -> workbench.model().schedule().upcoming().stream()
                .filter(u -> u.trigger().equals("hourlySummary")).findFirst().orElseThrow());
        Eventually.await("the schedule panel in the dock", () -> {
            fxRun(() -> workbench.view().showDock(MainWindowView.Dock.SCHEDULE));
            return fx(() -> ROBOT.lookup("#schedule-table").tryQuery().isPresent());
        });
        fxRun(() -> ((javafx.scene.control.TableView<?>) ROBOT.lookup("#schedule-table").query()).getSelectionModel().select(0));
        fxRun(() -> ROBOT.lookup("#schedule-run-now").queryAs(javafx.scene.control.Button.class).fire());
        Eventually.await("run now's outcome", () -> fx(() -> workbench.model().schedule().statusProperty().get()).startsWith("Ran hourlySummary"));

        java.time.Instant before = fx(() -> workbench.model().schedule().clockProperty().get());
        fxRun(() -> ROBOT.lookup("#schedule-advance-hour").queryAs(javafx.scene.control.Button.class).fire());
        Eventually.await("one occurrence to fire", () -> fx(() -> workbench.model().schedule().fired().size()) == 1);
        ScheduledRuns.Occurrence fired = fx(() -> workbench.model().schedule().fired().getFirst());
        assertThat(fired.trigger()).isEqualTo("hourlySummary");
        assertThat(fired.at()).isEqualTo(row.next().getFirst());
        assertThat(fired.error()).isNull();
        assertThat(fx(() -> workbench.model().schedule().clockProperty().get())).isEqualTo(before.plus(Duration.ofHours(1)));
        assertThat(fx(() -> ROBOT.lookup("#schedule-clock").queryAs(Label.class).getText())).startsWith("Workbench clock: ");
    }

    @Test
    @Order(3)
    void saveIsEnabledExactlyWhenTheEditorInFrontHasUnsavedChanges() throws Exception {
        FunctionEditorViewModel editor = (FunctionEditorViewModel) fx(() -> workbench.model().openItem(new EditableItem.Function("addItem")).orElseThrow());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> ROBOT.lookup("#toolbar-save").queryAs(Button.class).isDisabled())).isTrue();
        assertThat(fx(() -> saveMenuItem().isDisable())).isTrue();

        fxRun(() -> editor.sourceProperty().set(editor.sourceProperty().get() + "\n// changed\n"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> ROBOT.lookup("#toolbar-save").queryAs(Button.class).isDisabled())).isFalse();
        assertThat(fx(() -> saveMenuItem().isDisable())).isFalse();

        fx(editor::save).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> ROBOT.lookup("#toolbar-save").queryAs(Button.class).isDisabled())).isTrue();
        assertThat(fx(() -> saveMenuItem().isDisable())).isTrue();
    }

    @Test
    @Order(4)
    void helpAndOpenRecentAreInTheMenus() {
        MenuBar bar = fx(() -> (MenuBar) ROBOT.lookup(".menu-bar").query());
        assertThat(fx(() -> bar.getMenus().stream().map(m -> m.getText()).toList()))
                .containsExactly("File", "Edit", "View", "Navigate", "Server", "Debug", "Help");
        assertThat(fx(() -> bar.getMenus().getLast().getItems().stream().map(i -> i.getText()).filter(t -> t != null).toList()))
                .containsExactly("Keyboard Shortcuts", "Documentation", "About Thimble");
        assertThat(HelpTexts.text(HelpTopic.SHORTCUTS)).contains("F2 / Shift+F6").contains("Ctrl+N");
        var recent = fx(() -> bar.getMenus().getFirst().getItems().stream().filter(i -> "menu-open-recent".equals(i.getId()))
                .map(i -> (javafx.scene.control.Menu) i).findFirst().orElseThrow());
        assertThat(fx(() -> recent.getItems().stream().map(i -> i.getText()).toList()))
                .anyMatch(text -> text.contains(appDir.toString()));
    }

    @Test
    @Order(5)
    void screenshotsOfTheNewFormTheContextMenuAndThePanelsAtTwoSizesAndBothThemes() throws Exception {
        for (int[] size : new int[][] {{1280, 800}, {2560, 1440}}) {
            fxRun(() -> {
                workbench.stage().setWidth(size[0]);
                workbench.stage().setHeight(size[1]);
            });
            Eventually.await("the window at " + size[0], () -> fx(() -> workbench.stage().getScene().getWidth()) == size[0]);
            for (Theme theme : Theme.values()) {
                String suffix = size[0] + "x" + size[1] + "-" + theme.name().toLowerCase(java.util.Locale.ROOT);
                fxRun(() -> workbench.model().theme().use(theme));

                fxRun(() -> workbench.view().showDock(MainWindowView.Dock.SCHEDULE));
                fxRun(() -> {
                    workbench.model().structure().startNew(StructureViewModel.Kind.FUNCTION);
                    workbench.model().structure().starterProperty().set(Starters.FunctionStarter.HTTP_CALL);
                });
                assertSize(FxTestSupport.screenshot(workbench, "new-function-form-" + suffix), size);

                fxRun(() -> workbench.model().structure().startNew(StructureViewModel.Kind.TRIGGER));
                fxRun(() -> workbench.model().structure().triggerKindProperty().set(Starters.TriggerKind.DATABASE));
                assertSize(FxTestSupport.screenshot(workbench, "new-trigger-form-" + suffix), size);

                fx(() -> workbench.model().structure().startDelete(new EditableItem.Function("validateItemText"))).get(30, TimeUnit.SECONDS);
                WaitForAsyncUtils.waitForFxEvents();
                assertSize(FxTestSupport.screenshot(workbench, "delete-with-references-" + suffix), size);
                fxRun(() -> workbench.model().structure().cancel());

                fxRun(() -> workbench.view().showDock(MainWindowView.Dock.CONSOLE));
                assertSize(FxTestSupport.screenshot(workbench, "console-code-" + suffix), size);

                FxTestSupport.openContextMenu(FxTestSupport.explorerRow("addItem"));
                Eventually.await("the explorer's context menu", () -> fx(() -> contextMenu() != null));
                ROBOT.moveTo("#explorer-menu-new");
                Eventually.await("the New submenu", () -> fx(() -> ROBOT.lookup("#explorer-new-collection-rule").tryQuery().isPresent()));
                WaitForAsyncUtils.waitForFxEvents();
                FxTestSupport.screenshot(fx(() -> contextMenu().getScene()), "explorer-new-menu-" + suffix);
                FxTestSupport.screenshot(fx(() -> submenuWindow().getScene()), "explorer-new-submenu-" + suffix);
                ROBOT.type(javafx.scene.input.KeyCode.ESCAPE).type(javafx.scene.input.KeyCode.ESCAPE);
                fxRun(() -> {
                    ContextMenu open = contextMenu();
                    if (open != null) {
                        open.hide();
                    }
                });
            }
        }
        fxRun(() -> {
            workbench.stage().setWidth(1280);
            workbench.stage().setHeight(800);
            workbench.model().theme().use(Theme.LIGHT);
        });
    }

    @Test
    @Order(6)
    void anImportShowsItsProgressThenWhatItImportedConvertedAndKeeps() throws Exception {
        Path export = Path.of("../runtime/src/test/resources/bundles/realm-v2").toAbsolutePath();
        Path target = temp.resolve("imported-realm-app");
        var opened = fx(() -> workbench.model().importApp(export, target));
        Eventually.await(Duration.ofSeconds(90), "the import's summary", () -> fx(() -> workbench.model().importProgress().stateProperty().get())
                == dev.thimble.workbench.shell.ImportProgress.State.DONE);
        assertThat(fx(() -> ROBOT.lookup("#import-pane").query().isVisible())).isTrue();
        String summary = fx(() -> ((TextArea) ROBOT.lookup("#import-summary").query()).getText());
        assertThat(summary).contains("Imported:").contains("Converted:").contains("realm_config.json").contains("Problems panel");
        assertThat(fx(() -> ROBOT.lookup("#import-progress").queryAs(javafx.scene.control.ProgressBar.class).getProgress())).isEqualTo(1.0);
        assertThat(opened.get(90, TimeUnit.SECONDS)).isTrue();
        FxTestSupport.screenshot(workbench, "import-summary-1280x800-light");
        ROBOT.clickOn("#import-close");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> ROBOT.lookup("#import-pane").query().isVisible())).isFalse();
    }

    private static void assertSize(Path png, int[] size) throws java.io.IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(new int[] {image.getWidth(), image.getHeight()}).containsExactly(size[0], size[1]);
    }

    private static ContextMenu contextMenu() {
        return Window.getWindows().stream().filter(w -> w instanceof ContextMenu c && "explorer-menu".equals(c.getId()) && w.isShowing())
                .map(w -> (ContextMenu) w).findFirst().orElse(null);
    }

    /** The popup window that shows the New submenu's items. */
    private static Window submenuWindow() {
        return Window.getWindows().stream().filter(w -> w.isShowing() && w.getScene() != null
                && w.getScene().getRoot().lookup("#explorer-new-collection-rule") != null).findFirst().orElseThrow();
    }

    private static javafx.scene.control.MenuItem saveMenuItem() {
        MenuBar bar = (MenuBar) ROBOT.lookup(".menu-bar").query();
        return bar.getMenus().getFirst().getItems().stream().filter(i -> "menu-save".equals(i.getId())).findFirst().orElseThrow();
    }
}
