package dev.thimble.workbench.problems;

import dev.thimble.runtime.app.Problem;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import atlantafx.base.theme.Styles;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The problems list: severity, file, field and reason; double-click or Enter opens the file's editor. */
public final class ProblemsView {
    private final TableView<Problem> table = new TableView<>();
    private final BorderPane root = new BorderPane();

    public ProblemsView(ProblemsViewModel model) {
        table.setId("problems");
        table.getStyleClass().add(Styles.DENSE);
        table.setItems(model.problems());
        table.setPlaceholder(new Label("No problems found."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TableColumn<Problem, Problem> severity = new TableColumn<>("");
        severity.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyObjectWrapper<>(cell.getValue()));
        severity.setCellFactory(column -> new SeverityCell());
        severity.setPrefWidth(34);
        severity.setMaxWidth(34);
        severity.setResizable(false);
        severity.setSortable(false);

        TableColumn<Problem, String> file = new TableColumn<>("File");
        file.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().file()));
        file.setPrefWidth(300);
        TableColumn<Problem, String> field = new TableColumn<>("Field");
        field.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().field()));
        field.setPrefWidth(170);
        TableColumn<Problem, String> reason = new TableColumn<>("Reason");
        reason.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().reason()));
        reason.setPrefWidth(600);
        table.getColumns().setAll(java.util.List.of(severity, file, field, reason));

        table.setRowFactory(view -> {
            TableRow<Problem> row = new TableRow<>();
            row.itemProperty().addListener((obs, old, problem) -> row.setTooltip(problem == null ? null
                    : new Tooltip(problem.file() + (problem.field().isEmpty() ? "" : " [" + problem.field() + "]") + "\n" + problem.reason())));
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    model.open(row.getItem());
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                model.open(table.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });

        Label title = new Label("PROBLEMS");
        title.getStyleClass().add("pane-title");
        Label summary = new Label();
        summary.getStyleClass().add("pane-summary");
        summary.setId("problems-summary");
        summary.textProperty().bind(model.summaryProperty());
        HBox header = new HBox(10, title, summary);
        header.setAlignment(Pos.CENTER_LEFT);
        root.setTop(header);
        root.setCenter(table);
        root.getStyleClass().add("problems-pane");
    }

    public Node node() {
        return root;
    }

    public TableView<Problem> table() {
        return table;
    }

    private static final class SeverityCell extends TableCell<Problem, Problem> {
        @Override
        protected void updateItem(Problem problem, boolean empty) {
            super.updateItem(problem, empty);
            if (empty || problem == null) {
                setGraphic(null);
                return;
            }
            FontIcon icon = new FontIcon(problem.isError() ? Feather.X_CIRCLE : Feather.ALERT_TRIANGLE);
            icon.getStyleClass().add(problem.isError() ? "problem-error" : "problem-warning");
            setGraphic(icon);
            setAlignment(Pos.CENTER);
        }
    }
}
