package dev.thimble.workbench.console;

import atlantafx.base.theme.Styles;
import dev.thimble.runtime.apps.FunctionConsole;
import dev.thimble.runtime.apps.FunctionConsole.CallAs;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The console: function, caller and arguments on the left (Ctrl+Enter runs), result, console output
 * and error in the middle, the history on the right (double-click or Enter loads a call to edit).
 */
public final class ConsoleView {
    private static final KeyCombination RUN = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
    private final SplitPane root = new SplitPane();
    private final TextArea arguments = new TextArea();

    public ConsoleView(ConsoleViewModel model) {
        root.setId("console-panel");
        root.getStyleClass().add("console-panel");

        ComboBox<String> function = new ComboBox<>(model.functions());
        function.setId("console-function");
        function.valueProperty().bindBidirectional(model.functionProperty());
        function.setMaxWidth(Double.MAX_VALUE);
        function.setPromptText("Function");

        ComboBox<CallAs> as = new ComboBox<>(model.callers());
        as.setId("console-call-as");
        as.valueProperty().bindBidirectional(model.callAsProperty());
        as.setConverter(new StringConverter<>() {
            @Override
            public String toString(CallAs c) {
                return c == null ? "" : c.label();
            }

            @Override
            public CallAs fromString(String s) {
                return null;
            }
        });
        as.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(as, Priority.ALWAYS);
        Button users = new Button(null, new FontIcon(Feather.USERS));
        users.getStyleClass().addAll("flat", Styles.SMALL);
        users.setTooltip(new Tooltip("Read the app's users again"));
        users.setOnAction(e -> model.refreshUsers());
        HBox asRow = new HBox(4, as, users);
        asRow.setAlignment(Pos.CENTER_LEFT);

        arguments.setId("console-arguments");
        arguments.getStyleClass().add("mono");
        arguments.textProperty().bindBidirectional(model.argumentsProperty());
        arguments.setPromptText("Arguments as an Extended JSON array, e.g. [{\"$oid\": \"...\"}, \"milk\"]");
        arguments.setPrefRowCount(4);
        VBox.setVgrow(arguments, Priority.ALWAYS);
        arguments.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (RUN.match(e)) {
                model.call();
                e.consume();
            }
        });

        Button run = new Button("Run", new FontIcon(Feather.PLAY));
        run.setId("console-run");
        run.getStyleClass().add(Styles.ACCENT);
        run.setTooltip(new Tooltip("Call the function (Ctrl+Enter)"));
        run.disableProperty().bind(model.runningProperty());
        run.setOnAction(e -> model.call());
        run.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label status = new Label();
        status.setId("console-status");
        status.getStyleClass().add("pane-summary");
        status.textProperty().bind(model.statusProperty());
        status.setMinWidth(0);
        HBox runRow = new HBox(8, run, status);
        runRow.setAlignment(Pos.CENTER_LEFT);

        Label title = new Label("CONSOLE");
        title.getStyleClass().add("pane-title");
        javafx.scene.control.ToggleGroup what = new javafx.scene.control.ToggleGroup();
        javafx.scene.control.ToggleButton callFunction = new javafx.scene.control.ToggleButton("Function");
        callFunction.setId("console-mode-function");
        javafx.scene.control.ToggleButton runCode = new javafx.scene.control.ToggleButton("Code");
        runCode.setId("console-mode-code");
        runCode.setTooltip(new Tooltip("Run ad-hoc code as the chosen user (nothing is saved)"));
        callFunction.setToggleGroup(what);
        runCode.setToggleGroup(what);
        callFunction.getStyleClass().addAll(Styles.LEFT_PILL, Styles.SMALL);
        runCode.getStyleClass().addAll(Styles.RIGHT_PILL, Styles.SMALL);
        Runnable syncMode = () -> what.selectToggle(model.snippetProperty().get() ? runCode : callFunction);
        syncMode.run();
        model.snippetProperty().addListener((obs, old, now) -> syncMode.run());
        what.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                syncMode.run(); // one of the two is always chosen
            } else {
                model.snippetProperty().set(now == runCode);
            }
        });
        HBox modeRow = new HBox(0, callFunction, runCode);
        TextArea code = new TextArea();
        code.setId("console-code");
        code.getStyleClass().add("mono");
        code.textProperty().bindBidirectional(model.codeProperty());
        code.setPrefRowCount(5);
        code.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (RUN.match(e)) {
                model.call();
                e.consume();
            }
        });
        code.visibleProperty().bind(model.snippetProperty());
        code.managedProperty().bind(code.visibleProperty());
        function.visibleProperty().bind(model.snippetProperty().not());
        function.managedProperty().bind(function.visibleProperty());
        VBox.setVgrow(code, Priority.ALWAYS);
        as.setOnShowing(e -> model.refreshUsers()); // the list is read again each time it opens: users come and go
        VBox inputs = new VBox(4, title, modeRow, function, code, label("Run as"), asRow, label("Arguments"), arguments, runRow);
        inputs.setPadding(new Insets(4, 6, 4, 6));

        TextArea result = output("console-result", "The result appears here as Extended JSON.");
        result.textProperty().bind(model.resultProperty());
        TextArea console = output("console-output", "console.log output appears here.");
        console.textProperty().bind(model.outputProperty());
        TextArea error = output("console-error", "");
        error.getStyleClass().add("console-error");
        error.textProperty().bind(model.errorProperty());
        error.visibleProperty().bind(model.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        error.setPrefRowCount(3);
        VBox outputs = new VBox(4, label("Result"), result, label("Console output"), console, error);
        VBox.setVgrow(result, Priority.ALWAYS);
        VBox.setVgrow(console, Priority.SOMETIMES);
        outputs.setPadding(new Insets(4, 6, 4, 6));

        ListView<FunctionConsole.Outcome> history = new ListView<>(model.history());
        history.setId("console-history");
        history.getStyleClass().add(Styles.DENSE);
        history.setPlaceholder(new Label("No calls yet"));
        history.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(FunctionConsole.Outcome item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                String code = model.codeOf(item);
                setText((code != null ? "code: " + firstLine(code) : item.function() + "(" + oneLine(item.arguments()) + ")")
                        + "  as " + item.as().label());
                FontIcon icon = new FontIcon(item.succeeded() ? Feather.CHECK : Feather.X);
                icon.getStyleClass().add(item.succeeded() ? "ok-icon" : "error-icon");
                setGraphic(icon);
                setTooltip(new Tooltip("Double-click to load this call, edit it and run it again"));
            }
        });
        history.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                model.load(history.getSelectionModel().getSelectedItem());
            }
        });
        history.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                model.load(history.getSelectionModel().getSelectedItem());
            }
        });
        VBox historyBox = new VBox(4, label("History"), history);
        VBox.setVgrow(history, Priority.ALWAYS);
        historyBox.setPadding(new Insets(4, 6, 4, 6));

        root.getItems().setAll(inputs, outputs, historyBox);
        root.setDividerPositions(0.3, 0.75);
    }

    /** The first line of a snippet that is not a comment, shortened. */
    private static String firstLine(String code) {
        String line = code.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//")).findFirst().orElse("");
        return line.length() > 48 ? line.substring(0, 47) + "\u2026" : line;
    }

    private static String oneLine(String args) {
        String s = args == null ? "" : args.strip().replaceAll("\\s+", " ");
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.length() > 40 ? s.substring(0, 39) + "\u2026" : s;
    }

    private static TextArea output(String id, String prompt) {
        TextArea area = new TextArea();
        area.setId(id);
        area.getStyleClass().add("mono");
        area.setEditable(false);
        area.setPromptText(prompt);
        area.setPrefRowCount(3);
        return area;
    }

    private static Label label(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("field-label");
        return label;
    }

    /** Puts the caret into the arguments. */
    public void focus() {
        arguments.requestFocus();
    }

    public Node node() {
        return root;
    }
}
