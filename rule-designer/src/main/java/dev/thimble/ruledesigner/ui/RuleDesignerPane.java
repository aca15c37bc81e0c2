package dev.thimble.ruledesigner.ui;

import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

/** The designer and the simulator of one rule as two tabs: what a host (the workbench's rules editor) embeds. */
public final class RuleDesignerPane {
    private final TabPane tabs = new TabPane();
    private final DesignerView designer;
    private final SimulatorView simulator;

    public RuleDesignerPane(DesignerViewModel designerModel, SimulatorViewModel simulatorModel) {
        designer = new DesignerView(designerModel);
        simulator = new SimulatorView(simulatorModel);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Tab design = new Tab("Design", designer.node());
        design.setId("tab-design");
        Tab simulate = new Tab("Simulate", simulator.node());
        simulate.setId("tab-simulate");
        tabs.getTabs().addAll(design, simulate);
        tabs.setId("rule-designer-pane");
    }

    public DesignerView designer() { return designer; }
    public SimulatorView simulator() { return simulator; }
    public TabPane tabs() { return tabs; }

    public Node node() {
        return tabs;
    }
}
