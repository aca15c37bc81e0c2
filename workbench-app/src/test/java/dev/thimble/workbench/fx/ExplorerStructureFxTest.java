package dev.thimble.workbench.fx;

import dev.thimble.ruledesigner.RuleTemplate;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.Starters;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.explorer.StructureViewModel;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Designing an app in the real window: New from the File menu, Ctrl+N and the explorer's context menu,
 * rename with F2 (the trigger follows), delete that names what still uses the item, and undo.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExplorerStructureFxTest {
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
    @Order(1)
    void ctrlNCreatesAFunctionFromAStarterAndOpensIt() throws Exception {
        ROBOT.clickOn(row("addItem"));
        ROBOT.press(KeyCode.CONTROL).press(KeyCode.N).release(KeyCode.N).release(KeyCode.CONTROL);
        Eventually.await("the New form", () -> fx(() -> workbench.view().structurePane().node().isVisible()));
        assertThat(fx(() -> workbench.model().structure().kindProperty().get())).isEqualTo(StructureViewModel.Kind.FUNCTION);

        setText("#structure-name", "listMyItems");
        @SuppressWarnings("unchecked")
        ComboBox<Starters.FunctionStarter> starter = (ComboBox<Starters.FunctionStarter>) fx(() -> ROBOT.lookup("#structure-starter").query());
        fxRun(() -> starter.getSelectionModel().select(Starters.FunctionStarter.QUERY_AS_CALLER));
        ROBOT.clickOn("#structure-ok");

        Eventually.await("the new function's editor", () -> fx(() -> {
            EditorViewModel selected = workbench.model().tabs().selectedProperty().get();
            return selected != null && selected.item().equals(new EditableItem.Function("listMyItems"));
        }));
        FunctionEditorViewModel editor = (FunctionEditorViewModel) fx(() -> workbench.model().tabs().selectedProperty().get());
        assertThat(fx(() -> editor.sourceProperty().get())).contains("context.services.get('mongodb-atlas')").contains(".find(");
        assertThat(Files.readString(appDir.resolve("functions/listMyItems/source.js"))).contains("Runs as the calling user");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(row("listMyItems")).isNotNull();
        assertThat(fx(() -> workbench.view().structurePane().node().isVisible())).isFalse();
    }

    @Test
    @Order(2)
    void fileNewCreatesACollectionRuleFromATemplate() throws Exception {
        // the embedded database outlives a test run: a collection of its own each time
        String collection = "orders" + System.nanoTime();
        assertThat(fx(() -> workbench.model().data().createCollection("shop", collection)).get(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        ROBOT.clickOn("File").moveTo("#menu-new"); // a submenu opens when the pointer rests on it
        Eventually.await("the New submenu", () -> fx(() -> ROBOT.lookup("#menu-new-collection-rule").tryQuery().isPresent()));
        ROBOT.clickOn("#menu-new-collection-rule", org.testfx.robot.Motion.HORIZONTAL_FIRST); // into the submenu, then down: it stays open
        Eventually.await("the rule form", () -> fx(() -> ROBOT.lookup("#structure-namespace").tryQuery().isPresent()));
        @SuppressWarnings("unchecked")
        ComboBox<String> namespace = (ComboBox<String>) fx(() -> ROBOT.lookup("#structure-namespace").query());
        Eventually.await("the live collections offered", () -> fx(() -> namespace.getItems().contains("shop." + collection)));
        assertThat(fx(() -> namespace.getItems())).noneMatch(ns -> ns.startsWith("__thimble"));
        fxRun(() -> namespace.getSelectionModel().select("shop." + collection));
        @SuppressWarnings("unchecked")
        ComboBox<RuleTemplate> template = (ComboBox<RuleTemplate>) fx(() -> ROBOT.lookup("#structure-template").query());
        fxRun(() -> template.getSelectionModel().select(RuleTemplate.OWNER_ONLY));
        setText("#structure-owner-field", "customer_id");
        ROBOT.clickOn("#structure-ok");

        Path rule = appDir.resolve("services/mongodb-atlas/rules/shop." + collection + ".json");
        awaitFile("services/mongodb-atlas/rules/shop." + collection + ".json");
        assertThat(Files.readString(rule)).contains("\"customer_id\"").contains("%%user.id").contains("\"owner\"");
        Eventually.await("the rule's editor", () -> fx(() -> workbench.model().tabs().selectedProperty().get() != null
                && workbench.model().tabs().selectedProperty().get().item().equals(new EditableItem.CollectionRule("mongodb-atlas", "shop." + collection))));
    }

    @Test
    @Order(3)
    void aScheduledTriggerAndAValueComeFromTheirForms() throws Exception {
        fxRun(() -> workbench.model().structure().startNew(StructureViewModel.Kind.TRIGGER));
        setText("#structure-name", "hourlyCleanup");
        @SuppressWarnings("unchecked")
        ComboBox<Starters.TriggerKind> kind = (ComboBox<Starters.TriggerKind>) fx(() -> ROBOT.lookup("#structure-trigger-kind").query());
        fxRun(() -> kind.getSelectionModel().select(Starters.TriggerKind.SCHEDULED));
        Eventually.await("the schedule field", () -> fx(() -> ROBOT.lookup("#structure-schedule").tryQuery().isPresent()));
        setText("#structure-schedule", "15 * * * *");
        @SuppressWarnings("unchecked")
        ComboBox<String> function = (ComboBox<String>) fx(() -> ROBOT.lookup("#structure-function").query());
        fxRun(() -> function.setValue("listMyItems"));
        ROBOT.clickOn("#structure-ok");
        awaitFile("triggers/hourlyCleanup.json");
        TriggerDef trigger = trigger(AppBundles.read(appDir).app(), "hourlyCleanup");
        assertThat(trigger.type()).isEqualTo("SCHEDULED");
        assertThat(trigger.functionName()).isEqualTo("listMyItems");

        fxRun(() -> workbench.model().structure().startNew(StructureViewModel.Kind.VALUE));
        setText("#structure-name", "siteSettings");
        setText("#structure-value", "{\"threshold\": 40}");
        ROBOT.clickOn("#structure-ok");
        awaitFile("values/siteSettings.json");
        assertThat(Files.readString(appDir.resolve("values/siteSettings.json"))).contains("\"threshold\": 40");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(row("siteSettings")).isNotNull();
        assertThat(row("hourlyCleanup")).isNotNull();
    }

    @Test
    @Order(4)
    void aRefusedCreationSaysWhyInTheFormAndWritesNothing() {
        fxRun(() -> workbench.model().structure().startNew(StructureViewModel.Kind.FUNCTION));
        setText("#structure-name", "addItem");
        ROBOT.clickOn("#structure-ok");
        Eventually.await("the refusal", () -> !fx(() -> ROBOT.lookup("#structure-error").queryAs(Label.class).getText()).isEmpty());
        assertThat(fx(() -> ROBOT.lookup("#structure-error").queryAs(Label.class).getText())).contains("already exists");
        assertThat(fx(() -> workbench.view().structurePane().node().isVisible())).isTrue();
        ROBOT.clickOn("#structure-cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> workbench.view().structurePane().node().isVisible())).isFalse();
    }

    @Test
    @Order(5)
    void f2RenamesTheFunctionAndItsTriggerFollowsThenUndoPutsItBack() throws Exception {
        // unsaved edits in the function's editor follow the rename; the trigger's editor is warned of the rewrite
        FunctionEditorViewModel before = (FunctionEditorViewModel) fx(() ->
                workbench.model().openItem(new EditableItem.Function("listMyItems")).orElseThrow());
        String edited = fx(() -> before.sourceProperty().get()) + "\n// unsaved note\n";
        fxRun(() -> before.sourceProperty().set(edited));
        var triggerEditor = (dev.thimble.workbench.editors.json.JsonEditorViewModel) fx(() ->
                workbench.model().openItem(new EditableItem.Trigger("hourlyCleanup")).orElseThrow());
        fxRun(() -> triggerEditor.textProperty().set(triggerEditor.textProperty().get() + " "));
        ROBOT.clickOn(row("listMyItems"));
        ROBOT.type(KeyCode.F2);
        Eventually.await("the rename form", () -> fx(() -> workbench.model().structure().modeProperty().get()) == StructureViewModel.Mode.RENAME);
        setText("#structure-name", "summarizeItems");
        ROBOT.clickOn("#structure-ok");

        awaitFile("functions/summarizeItems/source.js");
        assertThat(trigger(AppBundles.read(appDir).app(), "hourlyCleanup").functionName()).isEqualTo("summarizeItems");
        Eventually.await("what the rename changed", () -> fx(() -> workbench.model().noticeProperty().get())
                .contains("Renamed listMyItems to summarizeItems; updated 1 reference(s): triggers/hourlyCleanup.json: function_name"));
        assertThat(fx(() -> workbench.model().structure().undoableProperty().get()))
                .isEqualTo("Rename the function listMyItems to summarizeItems");
        Eventually.await("the editor following the rename", () -> fx(() -> workbench.model().tabs().find(
                new EditableItem.Function("summarizeItems")).isPresent()));
        FunctionEditorViewModel after = (FunctionEditorViewModel) fx(() ->
                workbench.model().tabs().find(new EditableItem.Function("summarizeItems")).orElseThrow());
        assertThat(fx(() -> after.sourceProperty().get())).as("the unsaved edit kept").isEqualTo(edited);
        assertThat(fx(after::isDirty)).isTrue();
        assertThat(fx(() -> workbench.model().tabs().find(new EditableItem.Function("listMyItems")))).isEmpty();
        assertThat(fx(() -> triggerEditor.messageProperty().get())).contains("rewritten on disk");
        assertThat(fx(() -> workbench.model().tabs().editors().contains(triggerEditor))).as("kept open with its text").isTrue();
        fxRun(() -> workbench.model().tabs().close(triggerEditor, e -> dev.thimble.workbench.editors.EditorTabsViewModel.CloseDecision.DISCARD));

        ROBOT.clickOn("Edit").clickOn("#menu-undo-structure", org.testfx.robot.Motion.VERTICAL_FIRST);
        try {
            Eventually.await("the old name back", () -> Files.exists(appDir.resolve("functions/listMyItems/source.js")));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; status: " + fx(() -> workbench.model().noticeProperty().get()), e);
        }
        assertThat(trigger(AppBundles.read(appDir).app(), "hourlyCleanup").functionName()).isEqualTo("listMyItems");
        assertThat(Files.exists(appDir.resolve("functions/summarizeItems"))).isFalse();
        // the history: the rename can be redone; undo would now take back the change before it (the value of test 3)
        Eventually.await("the window showing the undone app", () -> fx(() -> workbench.model().structure().redoableProperty().get()
                .equals("Rename the function listMyItems to summarizeItems")
                && workbench.model().modelProperty().get().function("listMyItems").isPresent()));
        assertThat(fx(() -> workbench.model().structure().undoableProperty().get())).isEqualTo("Create the value siteSettings");

        // Redo makes the rename again (its editor follows once more), and undo takes it back again
        javafx.scene.control.MenuItem redo = fx(() -> ((javafx.scene.control.MenuBar) workbench.stage().getScene().lookup(".menu-bar"))
                .getMenus().stream().flatMap(m -> m.getItems().stream()).filter(i -> "menu-redo-structure".equals(i.getId())).findFirst().orElseThrow());
        assertThat(fx(redo::getText)).isEqualTo("Redo: Rename the function listMyItems to summarizeItems");
        fxRun(redo::fire);
        Eventually.await("the rename redone", () -> Files.exists(appDir.resolve("functions/summarizeItems/source.js"))
                && fx(() -> workbench.model().tabs().find(new EditableItem.Function("summarizeItems")).isPresent()));
        assertThat(trigger(AppBundles.read(appDir).app(), "hourlyCleanup").functionName()).isEqualTo("summarizeItems");
        fxRun(() -> workbench.model().structure().undo());
        Eventually.await("the rename undone again", () -> Files.exists(appDir.resolve("functions/listMyItems/source.js"))
                && fx(() -> workbench.model().tabs().find(new EditableItem.Function("listMyItems")).isPresent()));
        FunctionEditorViewModel back = (FunctionEditorViewModel) fx(() ->
                workbench.model().tabs().find(new EditableItem.Function("listMyItems")).orElseThrow());
        assertThat(fx(() -> back.sourceProperty().get())).as("the unsaved edit follows the undo too").isEqualTo(edited);
        fxRun(() -> workbench.model().tabs().close(back, e -> dev.thimble.workbench.editors.EditorTabsViewModel.CloseDecision.DISCARD));
    }

    @Test
    @Order(6)
    void deletingAFunctionAUsedFunctionListsItsUsersBeforeDeleting() throws Exception {
        FxTestSupport.openContextMenu(row("listMyItems"));
        ROBOT.clickOn("#explorer-delete");
        Eventually.await("the places that use it", () -> fx(() -> ROBOT.lookup("#structure-references").tryQuery().isPresent()));
        @SuppressWarnings("unchecked")
        ListView<String> places = (ListView<String>) fx(() -> ROBOT.lookup("#structure-references").query());
        assertThat(fx(() -> places.getItems())).containsExactly("triggers/hourlyCleanup.json: function_name");
        assertThat(fx(() -> ROBOT.lookup("#structure-ok").queryAs(Button.class).getText())).isEqualTo("Delete anyway");
        ROBOT.clickOn("#structure-cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Files.exists(appDir.resolve("functions/listMyItems/source.js"))).isTrue();

        // the trigger nothing uses goes without a warning
        ROBOT.clickOn(row("hourlyCleanup"));
        ROBOT.type(KeyCode.DELETE);
        Eventually.await("the delete form", () -> fx(() -> workbench.model().structure().modeProperty().get()) == StructureViewModel.Mode.DELETE);
        assertThat(fx(() -> ROBOT.lookup("#structure-references").tryQuery().isPresent())).isFalse();
        ROBOT.clickOn("#structure-ok");
        Eventually.await("the trigger gone", () -> !Files.exists(appDir.resolve("triggers/hourlyCleanup.json")));
        Eventually.await("the form to close", () -> fx(() -> workbench.model().structure().modeProperty().get()) == StructureViewModel.Mode.NONE);
    }

    /** Waits for a file the form creates; a refusal shown in the form fails the test with its message. */
    private static void awaitFile(String file) {
        try {
            Eventually.await("the file " + file, () -> Files.exists(appDir.resolve(file)));
            Eventually.await("the form to close", () -> fx(() -> workbench.model().structure().modeProperty().get()) == StructureViewModel.Mode.NONE);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the form says: " + fx(() -> workbench.model().structure().errorProperty().get())
                    + "; mode " + fx(() -> workbench.model().structure().modeProperty().get()), e);
        }
    }

    /** The explorer row showing {@code label}, scrolled into view first. */
    private static javafx.scene.Node row(String label) {
        fxRun(() -> {
            var tree = workbench.view().explorer().tree();
            for (int i = 0; i < tree.getExpandedItemCount(); i++) {
                var item = tree.getTreeItem(i);
                if (item != null && item.getValue().label().equals(label)) {
                    tree.scrollTo(Math.max(0, i - 3));
                    return;
                }
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        return FxTestSupport.explorerRow(label);
    }

    private static void setText(String id, String text) {
        fxRun(() -> ((TextField) ROBOT.lookup(id).query()).setText(text));
    }

    private static TriggerDef trigger(AppModel app, String name) {
        return app.triggers().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
