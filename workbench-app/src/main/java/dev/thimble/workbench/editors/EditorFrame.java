package dev.thimble.workbench.editors;

import dev.thimble.runtime.app.Problem;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The chrome every editor shares: a header with the file, its save state and the editor's message
 * (why a save failed, in red, right above the content), and below the content the validator's problems
 * in this file, shown only when there are some.
 */
public final class EditorFrame {
    private final BorderPane root = new BorderPane();
    private final VBox header = new VBox();

    public EditorFrame(EditorViewModel editor, String file, Node content) {
        root.getStyleClass().add("editor-frame");

        Label path = new Label(file, new FontIcon(Feather.FILE_TEXT));
        path.getStyleClass().add("editor-path");
        Label state = new Label();
        state.getStyleClass().add("editor-state");
        state.textProperty().bind(Bindings.when(editor.savingProperty()).then("Saving...")
                .otherwise(Bindings.when(editor.dirtyProperty()).then("Unsaved changes (Ctrl+S saves)").otherwise("Saved")));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox line = new HBox(8, path, spacer, state);
        line.setAlignment(Pos.CENTER_LEFT);

        Label message = new Label();
        message.getStyleClass().add("editor-message");
        message.setWrapText(true);
        message.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        message.textProperty().bind(editor.messageProperty());
        message.visibleProperty().bind(editor.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        message.setMaxWidth(Double.MAX_VALUE);

        header.getChildren().addAll(line, message);
        header.getStyleClass().add("editor-header");
        header.setPadding(new Insets(6, 10, 6, 10));
        header.setSpacing(4);

        ListView<Problem> problems = new ListView<>(editor.problems());
        problems.getStyleClass().add("editor-problems");
        problems.setCellFactory(list -> new ProblemCell());
        problems.setPrefHeight(72);
        problems.visibleProperty().bind(Bindings.isNotEmpty(editor.problems()));
        problems.managedProperty().bind(problems.visibleProperty());

        root.setTop(header);
        root.setCenter(content);
        root.setBottom(problems);
    }

    public Node node() {
        return root;
    }

    /** One problem: an icon for its severity, the field and the reason. */
    static final class ProblemCell extends ListCell<Problem> {
        @Override
        protected void updateItem(Problem problem, boolean empty) {
            super.updateItem(problem, empty);
            if (empty || problem == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            setText((problem.field().isEmpty() ? "" : problem.field() + ": ") + problem.reason());
            FontIcon icon = new FontIcon(problem.isError() ? Feather.X_CIRCLE : Feather.ALERT_TRIANGLE);
            icon.getStyleClass().add(problem.isError() ? "problem-error" : "problem-warning");
            setGraphic(icon);
        }
    }
}
