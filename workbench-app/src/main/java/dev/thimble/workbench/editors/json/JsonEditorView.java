package dev.thimble.workbench.editors.json;

import dev.thimble.workbench.editors.EditorFrame;
import dev.thimble.workbench.editors.code.CodeEditor;
import dev.thimble.workbench.editors.code.JsonHighlighter;
import dev.thimble.workbench.editors.code.Mark;
import dev.thimble.runtime.apps.JsonText.JsonError;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** A config file as JSON: the error marked in place and spelled out right below the text. */
public final class JsonEditorView {
    private final CodeEditor code = new CodeEditor(new JsonHighlighter());
    private final Label error = new Label();
    private final EditorFrame frame;

    public JsonEditorView(JsonEditorViewModel model) {
        code.bind(model.textProperty());
        code.area().setId("json-text");
        error.getStyleClass().add("parse-error-message");
        error.setGraphic(new FontIcon(Feather.ALERT_CIRCLE));
        error.setMaxWidth(Double.MAX_VALUE);
        error.setWrapText(true);
        error.managedProperty().bind(error.visibleProperty());
        show(model.jsonErrorProperty().get());
        model.jsonErrorProperty().addListener((obs, old, now) -> show(now));
        model.requestedLineProperty().addListener((obs, old, line) -> {
            if (line != null) {
                code.revealLine(line);
            }
        });
        BorderPane content = new BorderPane(code.node());
        content.setBottom(error);
        Node body = content;
        if (model.hasForm()) {
            javafx.scene.control.SplitPane split = new javafx.scene.control.SplitPane(content, new JsonFormView(model).node());
            split.setDividerPositions(0.62);
            body = split;
        }
        frame = new EditorFrame(model, model.item().file(), body);
    }

    private void show(JsonError jsonError) {
        code.setMark(jsonError == null ? null : new Mark(jsonError.line(), jsonError.column(), jsonError.message()));
        error.setVisible(jsonError != null);
        error.setText(jsonError == null ? "" : "Not valid JSON at " + jsonError);
    }

    public Node node() {
        return frame.node();
    }

    public CodeEditor codeEditor() {
        return code;
    }
}
