package dev.thimble.workbench.editors.values;

import dev.thimble.workbench.editors.EditorFrame;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The values table: name, value as JSON, from a secret, and each row's problem beside it. Names of
 * saved values are fixed (renaming is not built yet); new rows can be named until saved.
 */
public final class ValuesEditorView {
    private final TableView<ValueRow> table = new TableView<>();
    private final EditorFrame frame;

    public ValuesEditorView(ValuesEditorViewModel model) {
        table.setId("values-table");
        table.setItems(model.rows());
        table.setEditable(true);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TableColumn<ValueRow, String> name = new TableColumn<>("Name");
        name.setCellValueFactory(cell -> cell.getValue().nameProperty());
        name.setCellFactory(column -> new NameCell());
        name.setPrefWidth(180);

        TableColumn<ValueRow, String> value = new TableColumn<>("Value (JSON)");
        value.setCellValueFactory(cell -> cell.getValue().valueJsonProperty());
        value.setCellFactory(TextFieldTableCell.forTableColumn());
        value.setPrefWidth(260);
        value.getStyleClass().add("monospace-column");

        TableColumn<ValueRow, Boolean> secret = new TableColumn<>("From secret");
        secret.setCellValueFactory(cell -> cell.getValue().fromSecretProperty());
        secret.setCellFactory(CheckBoxTableCell.forTableColumn(secret));
        secret.setPrefWidth(100);

        TableColumn<ValueRow, String> problem = new TableColumn<>("Problem");
        problem.setEditable(false);
        problem.setCellValueFactory(cell -> Bindings.createStringBinding(() -> {
            String found = model.problemOf(cell.getValue());
            return found == null ? "" : found;
        }, model.rows()));
        problem.setCellFactory(column -> new ProblemCell());
        problem.setPrefWidth(260);

        table.getColumns().setAll(java.util.List.of(name, value, secret, problem));
        table.setPlaceholder(new Label("No values. Add one with \"Add value\"."));

        TextField newName = new TextField();
        newName.setPromptText("New value name");
        newName.setId("new-value-name");
        Button add = new Button("Add value", new FontIcon(Feather.PLUS));
        add.disableProperty().bind(newName.textProperty().isEmpty());
        add.setOnAction(e -> {
            ValueRow row = model.addValue(newName.getText().strip());
            newName.clear();
            table.getSelectionModel().select(row);
        });
        newName.setOnAction(e -> add.fire());
        Button remove = new Button("Remove", new FontIcon(Feather.TRASH_2));
        remove.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> model.remove(table.getSelectionModel().getSelectedItem()));
        Label hint = new Label("Double-click a cell to edit; Enter commits.");
        hint.getStyleClass().add("form-help");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox actions = new HBox(8, newName, add, remove, spacer, hint);
        actions.setAlignment(Pos.CENTER_LEFT);
        actions.setPadding(new Insets(6, 10, 6, 10));

        VBox content = new VBox(actions, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        frame = new EditorFrame(model, "values/*.json", new BorderPane(content));
    }

    public Node node() {
        return frame.node();
    }

    public TableView<ValueRow> table() {
        return table;
    }

    /** Names of saved values are read-only; a new row's name can be edited until it is saved. */
    private static final class NameCell extends TextFieldTableCell<ValueRow, String> {
        NameCell() {
            super(new javafx.util.converter.DefaultStringConverter());
        }

        @Override
        public void startEdit() {
            ValueRow row = getTableRow() == null ? null : getTableRow().getItem();
            if (row != null && row.newProperty().get()) {
                super.startEdit();
            }
        }
    }

    private static final class ProblemCell extends TableCell<ValueRow, String> {
        @Override
        protected void updateItem(String problem, boolean empty) {
            super.updateItem(problem, empty);
            boolean show = !empty && problem != null && !problem.isEmpty();
            setText(show ? problem : null);
            setGraphic(show ? new FontIcon(Feather.ALERT_CIRCLE) : null);
            getStyleClass().remove("value-problem");
            if (show) {
                getStyleClass().add("value-problem");
            }
        }
    }
}
