package dev.thimble.workbench.navigation;

import javafx.application.Platform;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A quick picker over the window (Ctrl+P, Ctrl+Shift+F): a text field and the matches below it.
 * Up and Down move in the list, Enter chooses, Escape or a click beside it cancels.
 */
public final class PickerView<T> {
    private final StackPane layer = new StackPane();
    private final TextField field = new TextField();
    private final ListView<T> list;

    /**
     * @param label    the text of one match (a second line after a newline is shown dimmed)
     * @param summary  shown under the list (e.g. "12 hits"); may be null
     */
    public PickerView(String id, String prompt, StringProperty query, ObservableList<T> results, Function<T, String> label,
                      ObservableStringValue summary, ObservableBooleanValue showing, Consumer<T> choose, Runnable cancel) {
        list = new ListView<>(results);
        field.setId(id + "-field");
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(query);
        list.setId(id + "-list");
        list.setPrefHeight(320);
        list.setCellFactory(view -> new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                String[] lines = label.apply(item).split("\n", 2);
                Label main = new Label(lines[0]);
                VBox box = new VBox(main);
                if (lines.length > 1) {
                    Label second = new Label(lines[1]);
                    second.getStyleClass().add("pane-summary");
                    box.getChildren().add(second);
                }
                setText(null);
                setGraphic(box);
            }
        });
        results.addListener((javafx.collections.ListChangeListener<T>) change -> {
            if (!results.isEmpty()) {
                list.getSelectionModel().select(0);
                list.scrollTo(0);
            }
        });
        field.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DOWN) {
                list.getSelectionModel().selectNext();
                list.scrollTo(list.getSelectionModel().getSelectedIndex());
                e.consume();
            } else if (e.getCode() == KeyCode.UP) {
                list.getSelectionModel().selectPrevious();
                list.scrollTo(list.getSelectionModel().getSelectedIndex());
                e.consume();
            } else if (e.getCode() == KeyCode.ENTER) {
                choose.accept(list.getSelectionModel().getSelectedItem());
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                cancel.run();
                e.consume();
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                choose.accept(list.getSelectionModel().getSelectedItem());
            }
        });

        VBox box = new VBox(4, field, list);
        if (summary != null) {
            Label sum = new Label();
            sum.getStyleClass().add("pane-summary");
            sum.textProperty().bind(summary);
            box.getChildren().add(sum);
        }
        box.setId(id);
        box.getStyleClass().add("picker");
        box.setPadding(new Insets(8));
        box.setMaxWidth(640);
        box.setMaxHeight(VBox.USE_PREF_SIZE);
        StackPane.setAlignment(box, Pos.TOP_CENTER);
        StackPane.setMargin(box, new Insets(70, 0, 0, 0));
        layer.getChildren().add(box);
        layer.setOnMouseClicked(e -> {
            if (e.getTarget() == layer) {
                cancel.run();
            }
        });
        layer.visibleProperty().bind(showing);
        layer.setPickOnBounds(true);
        showing.addListener((obs, old, now) -> {
            if (now) {
                Platform.runLater(() -> {
                    field.requestFocus();
                    field.selectAll();
                });
            }
        });
    }

    public TextField field() {
        return field;
    }

    public ListView<T> list() {
        return list;
    }

    /** The overlay layer (covers the window while showing). */
    public Node node() {
        return layer;
    }
}
