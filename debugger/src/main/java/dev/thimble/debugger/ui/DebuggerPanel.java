package dev.thimble.debugger.ui;

import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.EvaluationResult;
import dev.thimble.debugger.FrameSnapshot;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The debugger's panels: a toolbar, the call stack with the paused request's origin beside it,
 * the variables tree (children fetched when a row opens), watches, breakpoints and a console that
 * evaluates in the selected frame. Lays out and binds only; all state is in {@link DebuggerViewModel}.
 */
public final class DebuggerPanel extends BorderPane {
    private final DebuggerViewModel vm;
    private final ListView<FrameSnapshot> stack = new ListView<>();
    private final TreeView<VariableNode> variables = new TreeView<>(new TreeItem<>());
    private final ListView<EvaluationResult> watches = new ListView<>();
    private final ListView<Breakpoints.Line> breakpoints = new ListView<>();
    private final ListView<String> console = new ListView<>();

    public DebuggerPanel(DebuggerViewModel vm) {
        this.vm = vm;
        getStyleClass().add("debugger-panel");
        setTop(toolbar());
        setCenter(body());
        addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
    }

    /** Installs the debugger's keys on a whole window (the workbench's scene), not only on this panel. */
    public void installKeys(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
    }

    private void onKey(KeyEvent e) {
        Runnable action = null;
        if (DebugKeys.STEP_OUT.match(e)) {
            action = vm::stepOut;
        } else if (DebugKeys.TOGGLE_BREAKPOINT.match(e)) {
            action = vm::toggleBreakpointAtCurrentLine;
        } else if (DebugKeys.STEP_OVER.match(e)) {
            action = vm::stepOver;
        } else if (DebugKeys.STEP_INTO.match(e)) {
            action = vm::stepInto;
        } else if (DebugKeys.RESUME.match(e)) {
            action = vm::resume;
        } else if (DebugKeys.STOP.match(e)) {
            action = vm::stop;
        }
        if (action != null) {
            action.run();
            e.consume();
        }
    }

    private ToolBar toolbar() {
        Label status = new Label();
        status.setId("debugger-status");
        status.textProperty().bind(vm.status());
        return new ToolBar(
                button("▶ Resume", DebugKeys.RESUME, vm::resume, "debug-resume"),
                button("↷ Step Over", DebugKeys.STEP_OVER, vm::stepOver, "debug-step-over"),
                button("↓ Step Into", DebugKeys.STEP_INTO, vm::stepInto, "debug-step-into"),
                button("↑ Step Out", DebugKeys.STEP_OUT, vm::stepOut, "debug-step-out"),
                button("■ Stop", DebugKeys.STOP, vm::stop, "debug-stop"),
                status);
    }

    private Button button(String text, KeyCombination key, Runnable action, String id) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(text.substring(2) + " (" + key.getDisplayText() + ")"));
        b.setOnAction(e -> action.run());
        b.disableProperty().bind(vm.paused().not());
        b.setFocusTraversable(false);
        return b;
    }

    private SplitPane body() {
        stack.setId("debugger-stack");
        stack.setItems(vm.frames());
        stack.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(FrameSnapshot item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.label());
            }
        });
        stack.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> {
            if (now.intValue() >= 0) {
                vm.selectedFrame().set(now.intValue());
            }
        });
        vm.selectedFrame().addListener((o, was, now) -> {
            if (stack.getSelectionModel().getSelectedIndex() != now.intValue()) {
                stack.getSelectionModel().select(now.intValue());
            }
        });
        Label origin = new Label();
        origin.setId("debugger-origin");
        // one line, the whole text as its tooltip: wrapped, a long user id took the stack's rows at 1280 px
        origin.setMaxWidth(Double.MAX_VALUE);
        origin.textProperty().bind(vm.origin());
        javafx.scene.control.Tooltip originTip = new javafx.scene.control.Tooltip();
        originTip.textProperty().bind(vm.origin());
        originTip.setWrapText(true);
        originTip.setMaxWidth(600);
        origin.setTooltip(originTip);
        VBox left = titled("Call stack", stack, origin);

        variables.setId("debugger-variables");
        variables.setShowRoot(false);
        vm.scopes().addListener((javafx.collections.ListChangeListener<VariableNode>) c -> rebuildVariables());
        VBox middle = titled("Variables", variables);

        watches.setId("debugger-watches");
        watches.setItems(vm.watches());
        watches.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(EvaluationResult item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.expression() + " = " + item.display());
            }
        });
        TextField newWatch = new TextField();
        newWatch.setId("debugger-new-watch");
        newWatch.setPromptText("Add a watch expression, Enter");
        newWatch.setOnAction(e -> {
            vm.addWatch(newWatch.getText());
            newWatch.clear();
        });
        breakpoints.setId("debugger-breakpoints");
        breakpoints.setItems(vm.breakpoints());
        breakpoints.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Breakpoints.Line item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : (item.enabled() ? "● " : "○ ") + item.path() + ":" + item.line()
                        + (item.condition() != null ? "  if " + item.condition() : ""));
            }
        });
        VBox right = titled("Watches", watches, newWatch);
        VBox.setVgrow(breakpoints, Priority.ALWAYS);
        right.getChildren().addAll(new Label("Breakpoints"), breakpoints);

        console.setId("debugger-console");
        console.setItems(vm.console());
        TextField input = new TextField();
        input.setId("debugger-console-input");
        input.setPromptText("Evaluate in the selected frame, Enter");
        input.setOnAction(e -> {
            vm.evaluate(input.getText());
            input.clear();
        });
        VBox bottom = titled("Console", console, input);

        SplitPane top = new SplitPane(left, middle, right);
        top.setDividerPositions(0.24, 0.72); // the variables get the most room: values like ObjectId("…") are wide
        SplitPane all = new SplitPane(top, bottom);
        all.setOrientation(Orientation.VERTICAL);
        all.setDividerPositions(0.72);
        return all;
    }

    private void rebuildVariables() {
        TreeItem<VariableNode> root = new TreeItem<>();
        for (VariableNode scope : vm.scopes()) {
            TreeItem<VariableNode> item = lazyItem(scope);
            item.setExpanded(scope == vm.scopes().getFirst());
            root.getChildren().add(item);
        }
        variables.setRoot(root);
    }

    /** A tree item whose children are asked for the first time it opens. */
    private TreeItem<VariableNode> lazyItem(VariableNode node) {
        TreeItem<VariableNode> item = new TreeItem<>(node);
        if (!node.hasChildren()) {
            return item;
        }
        TreeItem<VariableNode> placeholder = new TreeItem<>();
        item.getChildren().add(placeholder);
        boolean[] loaded = {false};
        Runnable load = () -> {
            if (loaded[0]) {
                return;
            }
            loaded[0] = true;
            node.children(children -> item.getChildren().setAll(children.stream().map(this::lazyItem).toList()));
        };
        item.expandedProperty().addListener((o, was, now) -> {
            if (now) {
                load.run();
            }
        });
        if (node.isScope()) {
            load.run();
        }
        return item;
    }

    private static VBox titled(String title, javafx.scene.Node main, javafx.scene.Node... more) {
        Label label = new Label(title);
        label.getStyleClass().add("debugger-title");
        VBox box = new VBox(4, label, main);
        box.getChildren().addAll(more);
        box.setPadding(new Insets(4));
        VBox.setVgrow(main, Priority.ALWAYS);
        return box;
    }
}
