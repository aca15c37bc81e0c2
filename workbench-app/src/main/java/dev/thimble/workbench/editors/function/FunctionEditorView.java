package dev.thimble.workbench.editors.function;

import dev.thimble.workbench.editors.code.CompletionPopup;
import dev.thimble.workbench.editors.code.FindReplaceBar;
import dev.thimble.runtime.app.FunctionSourceChecker.SyntaxError;
import dev.thimble.workbench.editors.EditorFrame;
import dev.thimble.workbench.editors.code.CodeEditor;
import dev.thimble.workbench.editors.code.JavaScriptHighlighter;
import dev.thimble.workbench.editors.code.Mark;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A function's editor: the source in a code editor with the parse error marked in place and spelled
 * out right below it, and the function's settings beside it. Binds to the view-model, holds no state.
 */
public final class FunctionEditorView {
    private final CodeEditor code = new CodeEditor(new JavaScriptHighlighter());
    private final Label parseError = new Label();
    private final EditorFrame frame;
    private final FindReplaceBar findBar;
    private final CompletionPopup completion;

    public FunctionEditorView(FunctionEditorViewModel model) {
        code.bind(model.sourceProperty());
        code.area().setId("function-source");

        parseError.getStyleClass().add("parse-error-message");
        parseError.setGraphic(new FontIcon(Feather.ALERT_CIRCLE));
        parseError.setMaxWidth(Double.MAX_VALUE);
        parseError.setWrapText(true);
        parseError.managedProperty().bind(parseError.visibleProperty());
        showSyntaxError(model.syntaxErrorProperty().get());
        model.syntaxErrorProperty().addListener((obs, old, now) -> showSyntaxError(now));
        model.requestedLineProperty().addListener((obs, old, line) -> {
            if (line != null) {
                code.revealLine(line);
            }
        });

        findBar = new FindReplaceBar(code.area());
        completion = CompletionPopup.install(code.area(), model.completions());
        BorderPane source = new BorderPane(code.node());
        source.setTop(findBar.node());
        source.setBottom(parseError);

        SplitPane split = new SplitPane(source, settings(model));
        split.setDividerPositions(0.74);
        SplitPane.setResizableWithParent(split.getItems().get(1), false);
        frame = new EditorFrame(model, "functions/" + model.name() + "/source.js", split);
    }

    private void showSyntaxError(SyntaxError error) {
        code.setMark(error == null ? null : new Mark(error.line(), error.column(), error.message()));
        parseError.setVisible(error != null);
        parseError.setText(error == null ? "" : "Line " + error.line()
                + (error.column() > 0 ? ", column " + error.column() : "") + ": " + error.message());
    }

    private static Node settings(FunctionEditorViewModel model) {
        Label title = new Label("Settings");
        title.getStyleClass().add("form-title");
        VBox form = new VBox(10, title,
                option("Private", "Only other functions, triggers and rules can call it; clients cannot.", model.privateProperty(), "function-private"),
                option("Run as system", "Bypasses the rules: reads and writes everything.", model.runAsSystemProperty(), "function-run-as-system"),
                option("Disable argument logs", "The logs leave out the arguments it was called with.", model.disableArgLogsProperty(), "function-disable-arg-logs"));
        form.getStyleClass().add("settings-form");
        form.setPadding(new Insets(12));
        form.setMinWidth(200);
        return form;
    }

    private static Node option(String label, String help, javafx.beans.property.BooleanProperty value, String id) {
        CheckBox box = new CheckBox(label);
        box.setId(id);
        box.selectedProperty().bindBidirectional(value);
        Label explanation = new Label(help);
        explanation.getStyleClass().add("form-help");
        explanation.setWrapText(true);
        return new VBox(2, box, explanation);
    }

    public Node node() {
        return frame.node();
    }

    public CodeEditor codeEditor() {
        return code;
    }

    public FindReplaceBar findBar() {
        return findBar;
    }

    public CompletionPopup completion() {
        return completion;
    }
}
