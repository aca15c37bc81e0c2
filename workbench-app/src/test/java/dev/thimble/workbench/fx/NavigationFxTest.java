package dev.thimble.workbench.fx;

import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorView;
import dev.thimble.testing.Eventually;
import dev.thimble.runtime.apps.EditableItem;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/** Keyboard navigation in the real window: Ctrl+P goes to an item, Ctrl+Shift+F finds text and opens it at its line. */
class NavigationFxTest {
    @RegisterExtension
    static final TodoWindow WINDOW = new TodoWindow();

    private static Workbench workbench() {
        return WINDOW.workbench();
    }

    @Test
    void ctrlPThenAFewLettersAndEnterOpensTheItem() {
        ROBOT.clickOn("#explorer");
        ROBOT.press(KeyCode.CONTROL).press(KeyCode.P).release(KeyCode.P).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> workbench().model().goTo().showingProperty().get())).isTrue();
        Eventually.await("the field to have the focus", () -> fx(() -> workbench().view().goToPicker().field().isFocused()));

        ROBOT.write("dues");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> workbench().model().goTo().results().getFirst())).isEqualTo(new EditableItem.Function("itemsDueSoon"));
        ROBOT.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(fx(() -> workbench().model().goTo().showingProperty().get())).isFalse();
        assertThat(fx(() -> workbench().model().tabs().selectedProperty().get().item())).isEqualTo(new EditableItem.Function("itemsDueSoon"));
    }

    @Test
    void escapeClosesThePickerWithoutOpeningAnything() {
        EditorViewModel before = fx(() -> workbench().model().tabs().selectedProperty().get());
        ROBOT.clickOn("#explorer");
        ROBOT.press(KeyCode.CONTROL).press(KeyCode.P).release(KeyCode.P).release(KeyCode.CONTROL);
        Eventually.await("the field to have the focus", () -> fx(() -> workbench().view().goToPicker().field().isFocused()));
        ROBOT.write("share").type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(fx(() -> workbench().model().goTo().showingProperty().get())).isFalse();
        assertThat(fx(() -> workbench().model().tabs().selectedProperty().get())).isSameAs(before);
    }

    @Test
    void ctrlShiftFFindsAValueInASourceAndOpensItAtTheLine() {
        ROBOT.clickOn("#explorer");
        ROBOT.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F).release(KeyCode.F, KeyCode.SHIFT, KeyCode.CONTROL);
        Eventually.await("the search field to have the focus", () -> fx(() -> workbench().view().searchPicker().field().isFocused()));
        ROBOT.write("values.get");
        Eventually.await("the hits", () -> !fx(() -> workbench().model().search().results().isEmpty()));
        assertThat(fx(() -> workbench().model().search().results().getFirst().file())).isEqualTo("functions/validateItemText/source.js");
        ROBOT.type(KeyCode.ENTER);

        Eventually.await("the editor", () -> fx(() -> workbench().model().tabs().selectedProperty().get() != null
                && workbench().model().tabs().selectedProperty().get().item().equals(new EditableItem.Function("validateItemText"))));
        EditorViewModel editor = fx(() -> workbench().model().tabs().selectedProperty().get());
        FunctionEditorView view = (FunctionEditorView) fx(() -> workbench().view().tabs().viewFor(editor));
        Eventually.await("the caret on line 6", () -> fx(() -> view.codeEditor().area().getCurrentParagraph()) == 5);
    }
}
