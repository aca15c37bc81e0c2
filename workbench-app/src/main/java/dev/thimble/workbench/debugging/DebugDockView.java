package dev.thimble.workbench.debugging;

import dev.thimble.debugger.ui.DebuggerPanel;
import dev.thimble.debugger.ui.DebuggerViewModel;
import dev.thimble.workbench.logs.DecisionTreeView;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The dock's Debug tab: the debugger's panels while debugging (a message and a start button when not),
 * and beside them the replay form (function, user, editable arguments, dry run) with its result.
 */
public final class DebugDockView {
    private final SplitPane root = new SplitPane();
    private final BorderPane panelHolder = new BorderPane();
    private DebuggerPanel panel;
    private final TabPane side = new TabPane();
    private final DecisionTreeView decisions;

    public DebugDockView(DebugViewModel model) {
        root.setId("debug-dock");
        Label message = new Label();
        message.setId("debug-message");
        message.textProperty().bind(model.messageProperty());
        message.setWrapText(true);
        Button start = new Button("Start Debugging");
        start.setId("debug-start");
        start.setOnAction(e -> model.start());
        VBox off = new VBox(10, message, start);
        off.setAlignment(Pos.CENTER);
        off.setPadding(new Insets(16));
        panelHolder.setCenter(off);
        model.sessionProperty().addListener((obs, was, now) -> showPanel(now, off));
        if (model.sessionProperty().get() != null) {
            showPanel(model.sessionProperty().get(), off); // built while debugging (the dock builds it on first show)
        }

        Label decisionsTitle = new Label();
        decisionsTitle.setId("debug-decisions-title");
        decisionsTitle.textProperty().bind(model.decisionsTitleProperty());
        decisionsTitle.setWrapText(true);
        decisions = new DecisionTreeView(model.decisions(), "debug-decision-tree", decisionsTitle);
        Tab decisionsTab = new Tab("Rule decisions", decisions.node());
        decisionsTab.setId("debug-decisions-tab");
        Tab replayTab = new Tab("Replay", replayForm(model));
        replayTab.setId("debug-replay-tab");
        side.getTabs().setAll(decisionsTab, replayTab);
        side.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        side.setMinWidth(240);
        // a pause shows its decisions; a replay started from the logs shows its form
        model.pausedProperty().addListener((obs, was, now) -> {
            if (now) {
                side.getSelectionModel().select(decisionsTab);
            }
        });
        model.replayResultProperty().addListener((obs, was, now) -> side.getSelectionModel().select(replayTab));
        root.getItems().setAll(panelHolder, side);
        root.setDividerPositions(0.74);
        SplitPane.setResizableWithParent(root.getItems().get(1), false);
    }

    private void showPanel(DebuggerViewModel vm, Node off) {
        panel = vm == null ? null : new DebuggerPanel(vm);
        panelHolder.setCenter(panel == null ? off : panel);
    }

    private static Node replayForm(DebugViewModel model) {
        TextField function = new TextField();
        function.setId("replay-function");
        function.setPromptText("Function");
        function.textProperty().bindBidirectional(model.replayFunctionProperty());
        TextField user = new TextField();
        user.setId("replay-user");
        user.setPromptText("User id (empty: system)");
        user.textProperty().bindBidirectional(model.replayUserProperty());
        TextArea arguments = new TextArea();
        arguments.setId("replay-arguments");
        arguments.setPromptText("Arguments: an Extended JSON array");
        arguments.setPrefRowCount(4);
        arguments.textProperty().bindBidirectional(model.replayArgumentsProperty());
        CheckBox dryRun = new CheckBox("Dry run (only report the writes)");
        dryRun.setId("replay-dry-run");
        dryRun.selectedProperty().bindBidirectional(model.dryRunProperty());
        Button run = new Button("Run under the debugger");
        run.setId("replay-run");
        run.setOnAction(e -> model.runReplay());
        TextArea result = new TextArea();
        result.setId("replay-result");
        result.setEditable(false);
        result.setWrapText(true);
        result.textProperty().bind(model.replayResultProperty());
        VBox.setVgrow(result, Priority.ALWAYS);
        VBox form = new VBox(6, function, user, arguments, new HBox(8, dryRun), run, result);
        form.setPadding(new Insets(6));
        form.setMinWidth(220);
        return form;
    }

    /** The rule decisions of the debugged call's database calls. */
    public DecisionTreeView decisions() {
        return decisions;
    }

    /** The debugger's panels while debugging, else null. */
    public DebuggerPanel panel() {
        return panel;
    }

    public Node node() {
        return root;
    }
}
