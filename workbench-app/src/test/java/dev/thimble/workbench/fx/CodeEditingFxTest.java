package dev.thimble.workbench.fx;

import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorView;
import dev.thimble.testing.Eventually;
import dev.thimble.runtime.apps.EditableItem;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/** The function editor's completion and find/replace, typed in the real window. */
class CodeEditingFxTest {
    @RegisterExtension
    static final TodoWindow WINDOW = new TodoWindow();

    private static Workbench workbench() {
        return WINDOW.workbench();
    }

    private static FunctionEditorView open(String function) {
        EditorViewModel editor = fx(() -> workbench().model().openItem(new EditableItem.Function(function)).orElseThrow());
        WaitForAsyncUtils.waitForFxEvents();
        return (FunctionEditorView) fx(() -> workbench().view().tabs().viewFor(editor));
    }

    @Test
    void typingAQuoteInValuesGetOffersTheAppsValuesAndEnterInsertsOne() {
        FunctionEditorView view = open("itemsDueSoon");
        CodeArea area = fx(() -> view.codeEditor().area());
        fxRun(() -> {
            area.replaceText("exports = function() {\n  return context.values.get(\n};\n");
            area.moveTo(1, "  return context.values.get(".length());
            area.requestFocus();
        });
        ROBOT.write("\"");
        Eventually.await("the completion menu", () -> fx(() -> view.completion().menu().isShowing()));
        ROBOT.write("max");
        Eventually.await("the typing to reach the code", () -> fx(() -> area.getText()).contains("context.values.get(\"max"));
        Eventually.await("the value name offered", () -> fx(() -> view.completion().menu().getItems().stream()
                .map(i -> ((Label) ((CustomMenuItem) i).getContent()).getText()).toList()).contains("maxItemLength"));
        fxRun(() -> view.completion().menu().getItems().getFirst().fire());
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(fx(() -> area.getText())).contains("context.values.get(\"maxItemLength");
    }

    @Test
    void ctrlFFindsAndReplaceAllReplacesEveryMatch() {
        FunctionEditorView view = open("validateItemText");
        CodeArea area = fx(() -> view.codeEditor().area());
        fxRun(area::requestFocus);
        ROBOT.press(KeyCode.CONTROL).press(KeyCode.F).release(KeyCode.F).release(KeyCode.CONTROL);
        Eventually.await("the find field", () -> fx(() -> view.findBar().findField().isFocused()));
        ROBOT.write("clean");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> area.getSelectedText())).isEqualTo("clean");
        assertThat(fx(() -> ROBOT.lookup("#find-count").queryAs(Label.class).getText())).isEqualTo("4 matches");

        fxRun(() -> view.findBar().replaceField().setText("trimmed"));
        ROBOT.clickOn("#replace-all");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> area.getText())).doesNotContain("clean").contains("const trimmed = text.trim();");
        assertThat(fx(() -> workbench().model().tabs().selectedProperty().get().isDirty())).isTrue();
    }
}
