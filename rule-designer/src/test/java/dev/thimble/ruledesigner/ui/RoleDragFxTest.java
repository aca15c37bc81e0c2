package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.RuleDesign;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import static dev.thimble.ruledesigner.ui.FxSupport.ROBOT;
import static dev.thimble.ruledesigner.ui.FxSupport.fx;
import static dev.thimble.ruledesigner.ui.FxSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/** Dragging a role in the role list onto another moves it there: role order decides which role applies. */
class RoleDragFxTest {
    static Stage stage;
    static DesignerViewModel model;

    @BeforeAll
    static void show() throws Exception {
        stage = FxToolkit.registerPrimaryStage();
        fxRun(() -> {
            model = new DesignerViewModel(RuleDesign.empty("db", "c"));
            model.addRole("doctor");
            model.addRole("nurse");
            model.addRole("administrator");
            stage.setScene(new Scene((javafx.scene.Parent) new DesignerView(model).node(), 1200, 760));
            stage.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterAll
    static void hide() throws Exception {
        FxToolkit.hideStage();
    }

    @Test
    void draggingTheLastRoleOntoTheFirstMovesItFirst() {
        Node last = cell("3. administrator");
        Node first = cell("1. doctor");
        ROBOT.drag(last).dropTo(first);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> java.util.List.copyOf(model.roles()))).containsExactly("administrator", "doctor", "nurse");
        assertThat(fx(() -> model.design().roleNames())).containsExactly("administrator", "doctor", "nurse");
    }

    private static Node cell(String text) {
        return fx(() -> stage.getScene().getRoot().lookupAll(".list-cell").stream()
                .filter(n -> n instanceof ListCell<?> c && text.equals(c.getText())).findFirst().orElseThrow());
    }
}
