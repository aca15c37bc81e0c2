package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.ClinicHostAccess;
import dev.thimble.ruledesigner.HostLiveData;
import dev.thimble.ruledesigner.RuleDesign;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.bson.Document;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static dev.thimble.ruledesigner.ui.FxSupport.fxRun;

/**
 * One rule of the clinic app in the designer and simulator, shown in a 1280×800 window as the workbench
 * shows them (the clinic's patients collection, the live facts from the real host).
 */
record DesignerWindow(Stage stage, DesignerViewModel designer, SimulatorViewModel simulator, RuleDesignerPane pane) {

    /**
     * @param sample   the documents the designer's field grid samples
     * @param beforeShow wiring a test adds to the pane before the window shows (a save action, a parameter source)
     */
    static DesignerWindow show(ClinicHostAccess clinic, RuleDesign design, HostLiveData live, Supplier<List<Document>> sample,
                               Consumer<RuleDesignerPane> beforeShow) throws TimeoutException {
        Stage stage = FxToolkit.registerPrimaryStage();
        DesignerWindow[] window = new DesignerWindow[1];
        fxRun(() -> {
            DesignerViewModel designer = new DesignerViewModel(design, () -> new DesignerViewModel.LiveFacts(
                    live.indexKeys("clinic.patients"), sample.get(),
                    live.customDataFields().stream().map(f -> "%%user.custom_data." + f).toList()));
            SimulatorViewModel simulator = new SimulatorViewModel(design, "mongodb-atlas", clinic::simulator, live,
                    Runnable::run, Runnable::run);
            RuleDesignerPane pane = new RuleDesignerPane(designer, simulator);
            beforeShow.accept(pane);
            Scene scene = new Scene(pane.tabs(), 1280, 800);
            scene.getRoot().setStyle("-fx-font-family: 'DejaVu Sans'; -fx-font-size: 12px;");
            stage.setScene(scene);
            stage.show();
            designer.relint();
            window[0] = new DesignerWindow(stage, designer, simulator, pane);
        });
        WaitForAsyncUtils.waitForFxEvents();
        return window[0];
    }
}
