package dev.thimble.workbench.fx;

import dev.thimble.testing.Eventually;
import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.server.ServerViewModel;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Help menu's three pages and the New App wizard in the real window: each menu item is fired
 * (the menus' popups are not clicked mid-animation), the modal dialog it opens is read and answered
 * in its own window, and the wizard's app bundle is written and opens, served.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NewAppAndHelpFxTest {
    @RegisterExtension
    static final TodoWindow WINDOW = new TodoWindow();

    private static Workbench workbench() {
        return WINDOW.workbench();
    }

    @Test
    @Order(1)
    void theHelpMenuShowsTheShortcutsWhereTheDocsAreAndAbout() throws Exception {
        assertThat(helpPage("menu-help-shortcuts", "Keyboard shortcuts")).contains("Ctrl+N", "F2 / Shift+F6", "Ctrl+Alt+Z", "Ctrl+F8");
        assertThat(helpPage("menu-help-docs", "Documentation")).contains("README.md", "docs/decisions/", "thimble validate APP_DIR");
        assertThat(helpPage("menu-help-about", "About Thimble")).contains("self-hosted home", "Java " + System.getProperty("java.version"));
    }

    @Test
    @Order(2)
    void theNewAppWizardWritesABundleFromTheTemplateThatThenOpensAndServes() throws Exception {
        Path parent = Files.createDirectories(WINDOW.temp().resolve("apps"));
        fire("menu-new-app");
        Stage wizard = awaitDialog("New App");
        DialogPane pane = (DialogPane) fx(() -> wizard.getScene().getRoot());
        fxRun(() -> {
            ((TextField) pane.lookup("#new-app-name")).setText("groceries");
            ((TextField) pane.lookup("#new-app-parent")).setText(parent.toString());
            ChoiceBox<?> start = (ChoiceBox<?>) pane.lookup(".choice-box");
            assertThat(start.getItems()).as("the template is offered").hasSize(2);
            start.getSelectionModel().select(1);
        });
        FxTestSupport.screenshot(wizard.getScene(), "workbench-new-app-wizard");
        assertThat(fx(() -> pane.lookupAll(".label").stream().map(n -> (javafx.scene.control.Labeled) n)
                .filter(l -> l.lookup(".text") instanceof javafx.scene.text.Text t && !t.getText().equals(l.getText()))
                .map(javafx.scene.control.Labeled::getText).toList())).as("labels cut short").isEmpty();
        fxRun(() -> ((javafx.scene.control.Button) pane.lookupButton(ButtonType.OK)).fire());

        Path created = parent.resolve("groceries");
        Eventually.await(Duration.ofSeconds(60), "the bundle", () -> Files.isRegularFile(created.resolve("stitch.json")));
        Eventually.await(Duration.ofSeconds(120), "the new app open and served", () -> fx(() ->
                workbench().stage().getTitle().startsWith("groceries (groceries-")
                        && workbench().model().server().stateProperty().get() == ServerViewModel.State.RUNNING));
        assertThat(Files.isRegularFile(created.resolve("functions/itemsDueSoon/source.js"))).as("the template's functions").isTrue();
        assertThat(fx(() -> workbench().model().modelProperty().get().function("itemsDueSoon"))).isPresent();
        assertThat(FxTestSupport.explorerRow("itemsDueSoon")).isNotNull();
    }

    /** Fires the Help item {@code id}, reads the page it opens, closes it; returns the page's text. */
    private static String helpPage(String id, String title) {
        fire(id);
        Stage page = awaitDialog(title);
        DialogPane pane = (DialogPane) fx(() -> page.getScene().getRoot());
        String text = fx(() -> ((TextArea) pane.lookup(".text-area")).getText());
        assertThat(fx(pane::getHeaderText)).isEqualTo(title);
        fxRun(() -> ((javafx.scene.control.Button) pane.lookupButton(ButtonType.OK)).fire());
        Eventually.await("the page to close", () -> !fx(page::isShowing));
        return text;
    }

    /** Fires a menu item later: its dialog waits in a nested event loop, so the firing must not be waited for. */
    private static void fire(String id) {
        MenuItem item = fx(() -> ((MenuBar) workbench().stage().getScene().lookup(".menu-bar")).getMenus().stream()
                .flatMap(m -> m.getItems().stream()).filter(i -> id.equals(i.getId())).findFirst()
                .orElseThrow(() -> new AssertionError("no menu item " + id)));
        Platform.runLater(item::fire);
    }

    private static Stage awaitDialog(String title) {
        Eventually.await(Duration.ofSeconds(30), "the dialog " + title, () -> fx(() -> Window.getWindows().stream()
                .anyMatch(w -> w instanceof Stage s && title.equals(s.getTitle()) && s.isShowing())));
        return fx(() -> Window.getWindows().stream().filter(w -> w instanceof Stage s && title.equals(s.getTitle()) && s.isShowing())
                .map(Stage.class::cast).findFirst().orElseThrow());
    }
}
