package dev.thimble.workbench.fx;

import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.testing.Eventually;
import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.shell.MainWindowView;
import dev.thimble.workbench.shell.Theme;
import dev.thimble.workbench.testing.ClientCalls;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableColumnBase;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every dock panel and the main editors at 1280×800 (the smallest screen the workbench promises),
 * light and dark: no button's text is cut ("Se…"), no table column is pushed out of its table, and
 * each is rendered to target/screenshots/layout-*-1280x800-*.png to be looked at.
 */
class LayoutAuditFxTest {
    @RegisterExtension
    static final TodoWindow WINDOW = new TodoWindow();

    private static Workbench workbench() {
        return WINDOW.workbench();
    }

    @Test
    void everyDockPanelFitsAt1280x800() throws Exception {
        // something in the logs, the console and the data browser
        ClientCalls client = new ClientCalls(fx(() -> workbench().model().server().clientApiUrlProperty().get()));
        client.loginAnonymously();
        assertThat(client.call("{\"name\":\"itemsDueSoon\",\"arguments\":[3]}").statusCode()).isEqualTo(200);
        Eventually.await(Duration.ofSeconds(30), "a log record", () -> fx(() -> !workbench().model().logs().records().isEmpty()));
        fxRun(() -> workbench().model().openItem(new EditableItem.Function("itemsDueSoon")));
        size(1280, 800);
        List<String> problems = new ArrayList<>();
        for (MainWindowView.Dock dock : MainWindowView.Dock.values()) {
            fxRun(() -> workbench().view().showDock(dock));
            if (dock == MainWindowView.Dock.LOGS) {
                fxRun(() -> workbench().model().logs().selectedProperty().set(workbench().model().logs().records().getLast()));
            }
            WaitForAsyncUtils.waitForFxEvents();
            problems.addAll(cut(dock.name().toLowerCase()));
            shootBoth("layout-dock-" + dock.name().toLowerCase());
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theEditorsFitAt1280x800() throws Exception {
        size(1280, 800);
        List<String> problems = new ArrayList<>();
        List<EditableItem> items = List.of(new EditableItem.Values(), new EditableItem.Trigger("onNewItem"),
                new EditableItem.AuthProvider("local-userpass"), new EditableItem.CollectionRule("mongodb-atlas", "todo.items"));
        for (EditableItem item : items) {
            fxRun(() -> workbench().model().openItem(item));
            WaitForAsyncUtils.waitForFxEvents();
            String name = item.getClass().getSimpleName().toLowerCase();
            problems.addAll(cut(name));
            shootBoth("layout-editor-" + name);
        }
        // the rule designer's simulator, the crafted user's custom-data field showing
        var rules = (dev.thimble.workbench.editors.rules.RuleDesignerEditorViewModel) fx(() -> workbench().model().tabs().selectedProperty().get());
        var view = (dev.thimble.workbench.editors.rules.RuleDesignerEditorView) fx(() -> workbench().view().tabs().viewFor(rules));
        fxRun(() -> view.pane().tabs().getSelectionModel().select(1));
        fxRun(() -> rules.simulator().userProperty().set(rules.simulator().users().stream()
                .filter(dev.thimble.ruledesigner.ui.SimulatorViewModel.UserChoice::crafted).findFirst().orElseThrow()));
        WaitForAsyncUtils.waitForFxEvents();
        problems.addAll(cut("simulator"));
        shootBoth("layout-editor-simulator");
        assertThat(problems).isEmpty();
    }

    private static void size(double width, double height) {
        fxRun(() -> {
            workbench().stage().setMaximized(false);
            workbench().stage().setWidth(width);
            workbench().stage().setHeight(height);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Buttons whose text is cut and table columns reaching past their table, among the nodes showing now. */
    private static List<String> cut(String where) {
        return fx(() -> {
            List<String> found = new ArrayList<>();
            visit(workbench().stage().getScene().getRoot(), found, where);
            return found;
        });
    }

    private static void visit(Node node, List<String> found, String where) {
        if (!node.isVisible() || node.getScene() == null) {
            return;
        }
        Bounds shown = node.localToScene(node.getBoundsInLocal());
        boolean onScreen = shown.getWidth() > 0 && shown.getMaxX() > 0 && shown.getMinX() < node.getScene().getWidth()
                && shown.getMaxY() > 0 && shown.getMinY() < node.getScene().getHeight();
        if (onScreen && node instanceof Button b && b.getText() != null && !b.getText().isEmpty()
                && b.lookup(".text") instanceof javafx.scene.text.Text t && !t.getText().equals(b.getText())) {
            found.add(where + ": button \"" + b.getText() + "\" shows \"" + t.getText() + "\"");
        }
        if (onScreen && node instanceof TableView<?> table && table.getWidth() > 0) {
            double total = table.getVisibleLeafColumns().stream().mapToDouble(TableColumnBase::getWidth).sum();
            if (total > table.getWidth() + 1 && table.getColumnResizePolicy() != TableView.UNCONSTRAINED_RESIZE_POLICY) {
                found.add(where + ": table " + table.getId() + " columns " + Math.round(total) + " px in " + Math.round(table.getWidth()) + " px");
            }
        }
        if (onScreen && node instanceof Labeled l && l.getId() != null && l.getText() != null && !l.isWrapText()
                && l.lookup(".text") instanceof javafx.scene.text.Text t && t.getText().endsWith("…") && !l.getText().endsWith("…")
                && l.getId().startsWith("toolbar")) {
            found.add(where + ": " + l.getId() + " shows \"" + t.getText() + "\"");
        }
        if (node instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                visit(child, found, where);
            }
        }
    }

    private static void shootBoth(String name) throws Exception {
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench().model().theme().use(theme));
            WaitForAsyncUtils.waitForFxEvents();
            Path file = FxTestSupport.screenshot(workbench(), name + "-1280x800-" + theme.name().toLowerCase());
            assertThat(file).exists();
        }
        fxRun(() -> workbench().model().theme().use(Theme.LIGHT));
    }
}
