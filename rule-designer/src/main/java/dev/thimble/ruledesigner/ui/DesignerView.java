package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.Permission;
import dev.thimble.ruledesigner.RuleTemplate;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The designer: the ordered role list (drag to reorder), the selected role's editor (apply_when
 * builder, permissions, document filters, field grid, additional fields), the filters, the schema
 * and the rule's JSON, kept in sync both ways by {@link DesignerViewModel}. Lays out and binds only.
 */
public final class DesignerView {
    private final BorderPane root = new BorderPane();
    private final DesignerViewModel model;
    private final ListView<String> roleList;
    private final TabPane tabs = new TabPane();
    /** How template parameters are asked for; replaced in tests (no dialogs). */
    private Function<RuleTemplate, Map<String, String>> askParameters = DesignerView::askWithDialogs;
    private final Button save = new Button("Save");

    public DesignerView(DesignerViewModel model) {
        this.model = model;
        root.getStyleClass().add("rule-designer");
        roleList = new ListView<>(model.roles());
        roleList.setId("role-list");
        roleList.setCellFactory(list -> new RoleCell());
        roleList.getSelectionModel().selectedIndexProperty().addListener((obs, old, now) -> {
            if (now.intValue() >= 0 && now.intValue() != model.selectedProperty().get()) {
                model.select(now.intValue());
            }
        });
        model.selectedProperty().addListener((obs, old, now) -> selectInList(now.intValue()));
        model.roles().addListener((javafx.collections.ListChangeListener<String>) c -> selectInList(model.selectedProperty().get()));
        selectInList(model.selectedProperty().get());
        root.setLeft(rolePane());
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getTabs().addAll(new Tab("Role", roleEditor()), new Tab("Filters", filtersPane()), new Tab("Schema", schemaPane()),
                new Tab("JSON", jsonPane()));
        tabs.setId("designer-tabs");
        root.setCenter(tabs);
        root.setBottom(statusPane());
    }

    private void selectInList(int index) {
        if (index >= 0 && index < roleList.getItems().size()) {
            roleList.getSelectionModel().select(index);
        } else {
            roleList.getSelectionModel().clearSelection();
        }
    }

    /** Shows a Save button that runs {@code action} (hosts with their own save, like the workbench's Ctrl+S, need none). */
    public void setOnSave(Runnable action) {
        save.setOnAction(e -> action.run());
        save.setVisible(action != null);
    }

    /** Replaces how template parameters are asked for (tests pass fixed answers). */
    public void setParameterSource(Function<RuleTemplate, Map<String, String>> source) {
        this.askParameters = source;
    }

    private Node rolePane() {
        Label title = new Label("Roles — the first that applies wins");
        title.getStyleClass().add("section-title");
        TextField newName = new TextField();
        newName.setId("new-role-name");
        newName.setPromptText("new role name");
        Button add = new Button("Add");
        add.setId("add-role");
        add.setOnAction(e -> {
            if (!newName.getText().isBlank()) {
                model.addRole(newName.getText().trim());
                if (model.messageProperty().get().isEmpty()) {
                    newName.clear();
                }
            }
        });
        newName.setOnAction(add.getOnAction());
        HBox.setHgrow(newName, Priority.ALWAYS);
        Button duplicate = new Button("Duplicate");
        duplicate.setId("duplicate-role");
        duplicate.setOnAction(e -> model.duplicateSelected());
        Button delete = new Button("Delete");
        delete.setId("delete-role");
        delete.setOnAction(e -> model.deleteSelected());
        MenuButton templates = new MenuButton("Templates");
        templates.setId("templates");
        for (RuleTemplate t : RuleTemplate.values()) {
            MenuItem item = new MenuItem(t.title());
            item.setOnAction(e -> {
                Map<String, String> params = askParameters.apply(t);
                if (params != null) {
                    model.applyTemplate(t, params);
                }
            });
            templates.getItems().add(item);
        }
        VBox.setVgrow(roleList, Priority.ALWAYS);
        save.setId("save-rule");
        save.setVisible(false);
        save.managedProperty().bind(save.visibleProperty());
        save.setMaxWidth(Double.MAX_VALUE);
        javafx.scene.layout.FlowPane actions = new javafx.scene.layout.FlowPane(6, 6, duplicate, delete, templates);
        for (Node n : actions.getChildren()) {
            ((javafx.scene.layout.Region) n).setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        VBox box = new VBox(6, title, roleList, new HBox(6, newName, add), actions, save);
        box.setPadding(new Insets(8));
        box.setPrefWidth(270);
        box.setMinWidth(230);
        return box;
    }

    private Node roleEditor() {
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        int row = 0;
        TextField name = new TextField();
        name.setId("role-name");
        name.textProperty().bindBidirectional(model.roleNameProperty());
        name.setOnAction(e -> model.commitRoleName());
        name.focusedProperty().addListener((obs, was, is) -> {
            if (!is) {
                model.commitRoleName();
            }
        });
        grid.addRow(row++, new Label("Name"), name);
        ExpressionBuilderView applyWhen = new ExpressionBuilderView(model.applyWhen(), "apply-when", model.expansionSuggestions(), model::commitApplyWhen);
        grid.addRow(row++, top(new Label("Apply when")), applyWhen.node());
        HBox permissions = new HBox(8);
        for (Permission p : Permission.values()) {
            TextField f = committing(model.permissionProperty(p), () -> model.commitPermission(p));
            f.setId("permission-" + p.key());
            f.setPromptText("unset");
            f.setPrefColumnCount(p == Permission.READ || p == Permission.WRITE ? 12 : 5);
            permissions.getChildren().add(new VBox(2, new Label(p.key()), f));
        }
        grid.addRow(row++, new Label("Document"), permissions);
        TextField dfRead = committing(model.documentFilterReadProperty(), model::commitDocumentFilters);
        dfRead.setId("document-filter-read");
        dfRead.setPromptText("unset (true)");
        TextField dfWrite = committing(model.documentFilterWriteProperty(), model::commitDocumentFilters);
        dfWrite.setId("document-filter-write");
        dfWrite.setPromptText("unset (true)");
        HBox.setHgrow(dfRead, Priority.ALWAYS);
        HBox.setHgrow(dfWrite, Priority.ALWAYS);
        grid.addRow(row++, new Label("Document filters"), new HBox(8, new Label("read"), dfRead, new Label("write"), dfWrite));
        grid.addRow(row++, top(new Label("Fields")), fieldGrid());
        TextField addRead = committing(model.additionalReadProperty(), model::commitAdditionalFields);
        addRead.setId("additional-read");
        addRead.setPromptText("unset");
        TextField addWrite = committing(model.additionalWriteProperty(), model::commitAdditionalFields);
        addWrite.setId("additional-write");
        addWrite.setPromptText("unset");
        grid.addRow(row, new Label("Other fields"), new HBox(8, new Label("read"), addRead, new Label("write"), addWrite));
        grid.getColumnConstraints().addAll(new javafx.scene.layout.ColumnConstraints(110),
                new javafx.scene.layout.ColumnConstraints(200, 640, Double.MAX_VALUE, Priority.ALWAYS, javafx.geometry.HPos.LEFT, true));
        grid.setPadding(new Insets(10));
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        return scroll;
    }

    private Node fieldGrid() {
        TableView<DesignerViewModel.FieldRow> table = new TableView<>(model.fields());
        table.setId("field-grid");
        table.setEditable(true);
        table.setPrefHeight(170);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<DesignerViewModel.FieldRow, String> path = new TableColumn<>("field");
        path.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().path()));
        TableColumn<DesignerViewModel.FieldRow, String> read = new TableColumn<>("read");
        read.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().read()));
        read.setCellFactory(TextFieldTableCell.forTableColumn());
        read.setOnEditCommit(e -> model.setField(e.getRowValue().path(), e.getNewValue(), e.getRowValue().write()));
        TableColumn<DesignerViewModel.FieldRow, String> write = new TableColumn<>("write");
        write.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().write()));
        write.setCellFactory(TextFieldTableCell.forTableColumn());
        write.setOnEditCommit(e -> model.setField(e.getRowValue().path(), e.getRowValue().read(), e.getNewValue()));
        table.getColumns().add(path);
        table.getColumns().add(read);
        table.getColumns().add(write);
        ComboBox<String> newPath = new ComboBox<>(model.fieldSuggestions());
        newPath.setEditable(true);
        newPath.setId("new-field-path");
        newPath.setPromptText("field (a.b for nested)");
        TextField newRead = new TextField();
        newRead.setId("new-field-read");
        newRead.setPromptText("read");
        newRead.setPrefColumnCount(8);
        TextField newWrite = new TextField();
        newWrite.setId("new-field-write");
        newWrite.setPromptText("write");
        newWrite.setPrefColumnCount(8);
        Button add = new Button("Set field");
        add.setId("set-field");
        add.setOnAction(e -> {
            String p = newPath.getEditor().getText();
            if (p != null && !p.isBlank()) {
                model.setField(p, newRead.getText(), newWrite.getText());
                if (model.messageProperty().get().isEmpty()) {
                    newPath.getEditor().clear();
                    newRead.clear();
                    newWrite.clear();
                }
            }
        });
        Button remove = new Button("Remove");
        remove.setId("remove-field");
        remove.setOnAction(e -> {
            DesignerViewModel.FieldRow r = table.getSelectionModel().getSelectedItem();
            if (r != null) {
                model.removeField(r.path());
            }
        });
        return new VBox(4, table, new HBox(6, newPath, newRead, newWrite, add, remove));
    }

    private Node filtersPane() {
        ListView<String> list = new ListView<>(model.filters());
        list.setId("filter-list");
        list.setPrefWidth(220);
        list.getSelectionModel().selectedIndexProperty().addListener((obs, old, now) -> {
            if (now.intValue() >= 0 && now.intValue() != model.selectedFilterProperty().get()) {
                model.selectFilter(now.intValue());
            }
        });
        Runnable sync = () -> {
            int i = model.selectedFilterProperty().get();
            if (i >= 0 && i < list.getItems().size()) {
                list.getSelectionModel().select(i);
            }
        };
        model.selectedFilterProperty().addListener((obs, old, now) -> sync.run());
        model.filters().addListener((javafx.collections.ListChangeListener<String>) c -> sync.run());
        TextField newName = new TextField();
        newName.setId("new-filter-name");
        newName.setPromptText("new filter name");
        Button add = new Button("Add");
        add.setId("add-filter");
        add.setOnAction(e -> {
            if (!newName.getText().isBlank()) {
                model.addFilter(newName.getText().trim());
                newName.clear();
            }
        });
        Button delete = new Button("Delete");
        delete.setId("delete-filter");
        delete.setOnAction(e -> model.deleteSelectedFilter());
        VBox.setVgrow(list, Priority.ALWAYS);
        Label filtersTitle = new Label("Filters — each whose apply_when holds is ANDed into every query");
        filtersTitle.setWrapText(true);
        VBox left = new VBox(6, filtersTitle, list,
                new HBox(6, newName, add), delete);
        left.setPadding(new Insets(8));
        left.setPrefWidth(260);

        TextField name = new TextField();
        name.setId("filter-name");
        name.textProperty().bindBidirectional(model.filterNameProperty());
        ExpressionBuilderView when = new ExpressionBuilderView(model.filterApplyWhen(), "filter-apply-when",
                model.expansionSuggestions(), model::commitFilter);
        TextArea query = new TextArea();
        query.setId("filter-query");
        query.setPrefRowCount(4);
        query.textProperty().bindBidirectional(model.filterQueryProperty());
        TextArea projection = new TextArea();
        projection.setId("filter-projection");
        projection.setPrefRowCount(3);
        projection.textProperty().bindBidirectional(model.filterProjectionProperty());
        Button apply = new Button("Apply filter");
        apply.setId("filter-apply");
        apply.setOnAction(e -> model.commitFilter());
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        grid.addRow(0, new Label("Name"), name);
        grid.addRow(1, top(new Label("Apply when")), when.node());
        grid.addRow(2, top(new Label("Query")), query);
        grid.addRow(3, top(new Label("Projection")), projection);
        grid.add(apply, 1, 4);
        grid.getColumnConstraints().addAll(new javafx.scene.layout.ColumnConstraints(90),
                new javafx.scene.layout.ColumnConstraints(200, 600, Double.MAX_VALUE, Priority.ALWAYS, javafx.geometry.HPos.LEFT, true));
        grid.setPadding(new Insets(8));
        ScrollPane editor = new ScrollPane(grid);
        editor.setFitToWidth(true);

        javafx.scene.control.TitledPane asJson = new javafx.scene.control.TitledPane("All filters as JSON",
                jsonEditor("filters-text", model.filtersTextProperty(), model::commitFilters,
                        "[{\"name\", \"apply_when\", \"query\", \"projection\"}, …]"));
        asJson.setExpanded(false);
        BorderPane pane = new BorderPane(editor);
        pane.setLeft(left);
        pane.setBottom(asJson);
        return pane;
    }

    private Node schemaPane() {
        return jsonEditor("schema-text", model.schemaTextProperty(), model::commitSchema,
                "JSON Schema (bsonType), checked on every write.");
    }

    private Node jsonEditor(String id, StringProperty text, Runnable apply, String hint) {
        TextArea area = new TextArea();
        area.setId(id);
        area.textProperty().bindBidirectional(text);
        area.getStyleClass().add("json-area");
        Button applyButton = new Button("Apply");
        applyButton.setId(id + "-apply");
        applyButton.setOnAction(e -> apply.run());
        Label label = new Label(hint);
        label.setWrapText(true);
        BorderPane pane = new BorderPane(area);
        pane.setTop(label);
        pane.setBottom(applyButton);
        pane.setPadding(new Insets(8));
        return pane;
    }

    private Node jsonPane() {
        TextArea area = new TextArea();
        area.setId("rule-json");
        area.textProperty().bindBidirectional(model.jsonTextProperty());
        area.getStyleClass().add("json-area");
        Label error = new Label();
        error.setId("rule-json-error");
        error.getStyleClass().add("error");
        error.textProperty().bind(model.jsonErrorProperty());
        error.setWrapText(true);
        BorderPane pane = new BorderPane(area);
        pane.setTop(new Label("The rule file. Edits here update the designer as soon as they are a valid rule."));
        pane.setBottom(error);
        pane.setPadding(new Insets(8));
        return pane;
    }

    private Node statusPane() {
        Label message = new Label();
        message.setId("designer-message");
        message.getStyleClass().add("error");
        message.textProperty().bind(model.messageProperty());
        message.setWrapText(true);
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        ListView<String> lints = new ListView<>(model.lints());
        lints.setId("lints");
        lints.setPrefHeight(58);
        lints.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null ? null : new javafx.scene.control.Tooltip(item));
            }
        });
        lints.setPlaceholder(new Label("No lints: nothing suspicious found."));
        VBox box = new VBox(4, message, new Label("Lints"), lints);
        box.setPadding(new Insets(4, 8, 8, 8));
        return box;
    }

    private static Label top(Label label) {
        GridPane.setValignment(label, javafx.geometry.VPos.TOP);
        label.setPadding(new Insets(4, 0, 0, 0));
        return label;
    }

    private static TextField committing(StringProperty property, Runnable commit) {
        TextField f = new TextField();
        f.textProperty().bindBidirectional(property);
        f.setOnAction(e -> commit.run());
        f.focusedProperty().addListener((obs, was, is) -> {
            if (!is) {
                commit.run();
            }
        });
        return f;
    }

    private static Map<String, String> askWithDialogs(RuleTemplate t) {
        Map<String, String> out = new HashMap<>();
        for (String p : t.parameters()) {
            TextInputDialog d = new TextInputDialog(RuleTemplate.DEFAULTS.get(p));
            d.setHeaderText(t.title() + ": " + p);
            var answer = d.showAndWait();
            if (answer.isEmpty()) {
                return null;
            }
            out.put(p, answer.get());
        }
        return out;
    }

    /** A role in the list; dragging it onto another moves it there. */
    private final class RoleCell extends ListCell<String> {
        RoleCell() {
            setOnDragDetected(e -> {
                if (getItem() == null) {
                    return;
                }
                Dragboard db = startDragAndDrop(TransferMode.MOVE);
                ClipboardContent content = new ClipboardContent();
                content.putString(Integer.toString(getIndex()));
                db.setContent(content);
                e.consume();
            });
            setOnDragOver(e -> {
                if (e.getGestureSource() != this && e.getDragboard().hasString()) {
                    e.acceptTransferModes(TransferMode.MOVE);
                }
                e.consume();
            });
            setOnDragDropped(e -> {
                boolean done = false;
                if (e.getDragboard().hasString()) {
                    int from = Integer.parseInt(e.getDragboard().getString());
                    int to = getItem() == null ? getListView().getItems().size() - 1 : getIndex();
                    if (from != to) {
                        model.moveRole(from, to);
                    }
                    done = true;
                }
                e.setDropCompleted(done);
                e.consume();
            });
        }

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty || item == null ? null : (getIndex() + 1) + ". " + item);
        }
    }

    public Node node() {
        return root;
    }

    public TabPane tabs() {
        return tabs;
    }

    /** The split of designer and simulator, for hosts that show both. */
    public static SplitPane withSimulator(DesignerView designer, SimulatorView simulator) {
        SplitPane split = new SplitPane(designer.node(), simulator.node());
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        return split;
    }
}
