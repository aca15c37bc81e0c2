package dev.thimble.workbench.fx;

import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.rules.RuleDesignerEditorView;
import dev.thimble.workbench.editors.rules.RuleDesignerEditorViewModel;
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

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/** A collection rule opened from the workbench() shows the rule designer; the simulator runs on the workbench()'s own server. */
class RuleDesignerFxTest {
    private static final Path SHOTS = Path.of("target/screenshots");
    @RegisterExtension
    static final TodoWindow WINDOW = new TodoWindow();

    private static Workbench workbench() {
        return WINDOW.workbench();
    }

    @Test
    void aCollectionRuleOpensInTheDesignerAndItsSimulatorAnswersFromTheRunningServer() throws IOException {
        EditorViewModel editor = fx(() -> workbench().model().openItem(new EditableItem.CollectionRule("mongodb-atlas", "todo.items")).orElseThrow());
        assertThat(editor).isInstanceOf(RuleDesignerEditorViewModel.class);
        RuleDesignerEditorViewModel rules = (RuleDesignerEditorViewModel) editor;
        RuleDesignerEditorView view = (RuleDesignerEditorView) fx(() -> workbench().view().tabs().viewFor(editor));
        assertThat(fx(() -> rules.designer().roles().size())).isPositive();
        shoot("workbench-rule-designer");

        fxRun(() -> view.pane().tabs().getSelectionModel().select(1));
        fxRun(() -> {
            rules.simulator().userProperty().set(rules.simulator().users().stream().filter(u -> u.crafted()).findFirst().orElseThrow());
            rules.simulator().craftedIdProperty().set("u1");
            rules.simulator().documentTextProperty().set("{\"_id\": {\"$oid\": \"65b0000000000000000000f1\"}, \"owner_id\": \"u1\", \"text\": \"milk\"}");
        });
        ROBOT.clickOn("#sim-run");
        Eventually.await("the simulation", () -> !fx(() -> rules.simulator().outcomeProperty().get()).isEmpty());
        assertThat(fx(() -> rules.simulator().outcomeProperty().get())).startsWith("ALLOWED by role");
        shoot("workbench-rule-simulator");
    }

    private static void shoot(String name) throws IOException {
        FxTestSupport.screenshot(workbench(), name);
    }
}
