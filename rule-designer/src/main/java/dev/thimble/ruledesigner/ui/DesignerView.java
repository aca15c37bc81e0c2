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
    /** Asks whether a template adds its roles or replaces the current ones; empty: cancelled. */
    private Function<TemplateQuestion, java.util.Optional<DesignerViewModel.TemplateMode>> askMode = DesignerView::askModeWithDialog;
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
        tabs.getTabs().addAll(new Tab("Role", roleEditor()), new Tab("Filters", filtersPane()), new Tab("Schema", schemaPane()));
        tabs.setId("designer-tabs");
        // the rule's JSON beside the designer, not on a tab of its own: each click shows in it at once
        SplitPane designAndJson = new SplitPane(tabs, jsonPane());
        designAndJson.setId("designer-json-split");
        designAndJson.setDividerPositions(0.7);
        root.setCenter(designAndJson);
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
        add.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        newName.setMinWidth(60);
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
            item.setOnAction(e -> chooseTemplate(t));
            templates.getItems().add(item);
        }
        VBox.setVgrow(roleList, Priority.ALWAYS);
        roleList.setMinHeight(76); // a few roles stay in view when the editor is short (1280×800 with the dock open)
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
        box.setPrefWidth(230);
        box.setMinWidth(190);
        return box;
    }

    /** What the add-or-replace question shows: the template, the roles it brings and the roles there are now. */
    public record TemplateQuestion(RuleTemplate template, java.util.List<String> templateRoles, java.util.List<String> currentRoles,
                                   int currentFilters) {
    }

    /** Replaces how add-or-replace is asked (tests of the model; the window's tests answer the real dialog). */
    public void setModeSource(Function<TemplateQuestion, java.util.Optional<DesignerViewModel.TemplateMode>> source) {
        this.askMode = source;
    }

    /** A template: its parameters, then — when the rule has roles or filters — add or replace, never replacing unasked. */
    private void chooseTemplate(RuleTemplate t) {
        Map<String, String> params = askParameters.apply(t);
        if (params == null) {
            return;
        }
        DesignerViewModel.TemplateMode mode = DesignerViewModel.TemplateMode.ADD;
        if (model.hasRolesOrFilters()) {
            java.util.List<String> brings;
            try {
                brings = t.roleNames(params);
            } catch (dev.thimble.ruledesigner.DesignException e) {
                model.applyTemplate(t, params, DesignerViewModel.TemplateMode.ADD); // reports the bad parameter, changes nothing
                return;
            }
            var answer = askMode.apply(new TemplateQuestion(t, brings, java.util.List.copyOf(model.roles()), model.filters().size()));
            if (answer.isEmpty()) {
                return;
            }
            mode = answer.get();
        }
        model.applyTemplate(t, params, mode);
    }

    private static java.util.Optional<DesignerViewModel.TemplateMode> askModeWithDialog(TemplateQuestion q) {
        javafx.scene.control.ButtonType add = new javafx.scene.control.ButtonType("Add its roles",
                javafx.scene.control.ButtonBar.ButtonData.YES);
        javafx.scene.control.ButtonType replace = new javafx.scene.control.ButtonType("Replace the current roles",
                javafx.scene.control.ButtonBar.ButtonData.NO);
        javafx.scene.control.Alert alert = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION, "",
                add, replace, javafx.scene.control.ButtonType.CANCEL);
        alert.setTitle("Template: " + q.template().title());
        alert.setHeaderText("Add the template's roles to this rule, or replace its roles?");
        String brings = q.templateRoles().isEmpty() ? "no role (every user request is denied)" : String.join(", ", q.templateRoles());
        alert.setContentText("\"" + q.template().title() + "\" brings: " + brings + ".\n"
                + "This rule has " + q.currentRoles().size() + " role(s): " + String.join(", ", q.currentRoles())
                + (q.currentFilters() == 0 ? "" : ", and " + q.currentFilters() + " filter(s)") + ".\n\n"
                + "Add puts the template's roles after the current ones (the first that applies wins). "
                + "Replace removes the current roles and filters; the JSON beside shows the result before you save.");
        alert.getDialogPane().setId("template-mode-dialog");
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(add)).setId("template-add");
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(replace)).setId("template-replace");
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(javafx.scene.control.ButtonType.CANCEL)).setId("template-cancel");
        // the safe answer is the default: Enter adds, it never replaces
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(add)).setDefaultButton(true);
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(replace)).setDefaultButton(false);
        var answer = alert.showAndWait();
        if (answer.isEmpty() || answer.get() == javafx.scene.control.ButtonType.CANCEL) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(answer.get() == replace ? DesignerViewModel.TemplateMode.REPLACE : DesignerViewModel.TemplateMode.ADD);
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
        HBox toggles = new HBox(14);
        HBox permissions = new HBox(8);
        for (Permission p : Permission.values()) {
            toggles.getChildren().add(permissionToggle(p));
            TextField f = committing(model.permissionProperty(p), () -> model.commitPermission(p));
            f.setId("permission-" + p.key());
            f.setPromptText("unset");
            f.setPrefColumnCount(p == Permission.READ || p == Permission.WRITE ? 12 : 5);
            permissions.getChildren().add(new VBox(2, new Label(p.key()), f));
        }
        grid.addRow(row++, new Label("Document"), toggles);
        javafx.scene.control.TitledPane expressions = new javafx.scene.control.TitledPane("As expressions (e.g. {\"owner_id\": \"%%user.id\"})", permissions);
        expressions.setExpanded(false);
        expressions.setId("permission-expressions");
        // an expression shows its editor: a toggle cannot say what it is
        Runnable openWhenExpression = () -> {
            boolean any = false;
            for (Permission p : Permission.values()) {
                any |= DesignerViewModel.Grant.of(model.permissionProperty(p).get()) == DesignerViewModel.Grant.EXPRESSION;
            }
            expressions.setExpanded(any);
        };
        for (Permission p : Permission.values()) {
            model.permissionProperty(p).addListener((obs, old, now) -> openWhenExpression.run());
        }
        openWhenExpression.run();
        grid.addRow(row++, new Label(""), expressions);
        TextField dfRead = committing(model.documentFilterReadProperty(), model::commitDocumentFilters);
        dfRead.setId("document-filter-read");
        dfRead.setPromptText("unset (true)");
        TextField dfWrite = committing(model.documentFilterWriteProperty(), model::commitDocumentFilters);
        dfWrite.setId("document-filter-write");
        dfWrite.setPromptText("unset (true)");
        HBox.setHgrow(dfRead, Priority.ALWAYS);
        HBox.setHgrow(dfWrite, Priority.ALWAYS);
        grid.addRow(row++, new Label("Document filters"), new HBox(8, fixedLabel("read"), dfRead, fixedLabel("write"), dfWrite));
        grid.addRow(row++, top(new Label("Fields")), fieldGrid());
        TextField addRead = committing(model.additionalReadProperty(), model::commitAdditionalFields);
        addRead.setId("additional-read");
        addRead.setPromptText("unset");
        TextField addWrite = committing(model.additionalWriteProperty(), model::commitAdditionalFields);
        addWrite.setId("additional-write");
        addWrite.setPromptText("unset");
        grid.addRow(row, new Label("Other fields"), new HBox(8, fixedLabel("read"), addRead, fixedLabel("write"), addWrite));
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // "Document filters" is never cut to "Document fil…"
        grid.getColumnConstraints().addAll(labels,
                new javafx.scene.layout.ColumnConstraints(200, 640, Double.MAX_VALUE, Priority.ALWAYS, javafx.geometry.HPos.LEFT, true));
        grid.setPadding(new Insets(10));
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        return scroll;
    }

    /** A document-level permission as a toggle: ticked is {@code true}; an expression shows as neither. */
    private Node permissionToggle(Permission p) {
        javafx.scene.control.CheckBox box = new javafx.scene.control.CheckBox(p.key());
        box.setId("toggle-" + p.key());
        box.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        box.setAllowIndeterminate(false);
        Runnable show = () -> {
            DesignerViewModel.Grant g = DesignerViewModel.Grant.of(model.permissionProperty(p).get());
            box.setIndeterminate(g == DesignerViewModel.Grant.EXPRESSION);
            box.setSelected(g == DesignerViewModel.Grant.YES);
            box.setTooltip(new javafx.scene.control.Tooltip(g == DesignerViewModel.Grant.EXPRESSION
                    ? p.key() + " is an expression: " + model.permissionProperty(p).get() + " (ticking makes it true for every document)"
                    : p.key() + ": " + (g == DesignerViewModel.Grant.YES ? "granted on every document this role applies to" : "not granted")));
        };
        model.permissionProperty(p).addListener((obs, old, now) -> show.run());
        show.run();
        box.setOnAction(e -> model.togglePermission(p, box.isSelected()));
        return box;
    }

    private Node fieldGrid() {
        TableView<DesignerViewModel.GridRow> table = new TableView<>(model.fieldGrid());
        table.setId("field-grid");
        table.setPrefHeight(220);
        table.setMinHeight(150);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No fields: the role's document-level permissions cover every field. Sampled live fields show here when the server runs."));
        TableColumn<DesignerViewModel.GridRow, String> path = new TableColumn<>("field");
        path.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().path()));
        path.setCellFactory(c -> new FieldNameCell());
        path.setPrefWidth(240);
        TableColumn<DesignerViewModel.GridRow, DesignerViewModel.GridRow> read = new TableColumn<>("read");
        read.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        read.setCellFactory(c -> new GrantCell(true));
        read.setPrefWidth(70);
        read.setMinWidth(ColumnFit.width("read"));
        read.setMaxWidth(90);
        TableColumn<DesignerViewModel.GridRow, DesignerViewModel.GridRow> write = new TableColumn<>("write");
        write.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        write.setCellFactory(c -> new GrantCell(false));
        write.setPrefWidth(70);
        write.setMinWidth(ColumnFit.width("write"));
        write.setMaxWidth(90);
        // a short word that fits the narrow designer at 1280 px; the whole sentence as the cell's tooltip
        TableColumn<DesignerViewModel.GridRow, String> note = new TableColumn<>("");
        note.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().declared() ? "" : "sampled"));
        note.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new javafx.scene.control.Tooltip(
                        "Seen in the live documents, not in the rule yet: ticking read or write adds it to the role's fields"));
            }
        });
        note.getStyleClass().add("field-note");
        note.setMinWidth(ColumnFit.width("sampled"));
        table.getColumns().add(path);
        table.getColumns().add(read);
        table.getColumns().add(write);
        table.getColumns().add(note);
        ComboBox<String> newPath = new ComboBox<>(model.fieldSuggestions());
        newPath.setEditable(true);
        newPath.setId("new-field-path");
        newPath.setPromptText("field (a.b for nested)");
        TextField newRead = new TextField();
        newRead.setId("new-field-read");
        newRead.setPromptText("read");
        newRead.setPrefColumnCount(6);
        TextField newWrite = new TextField();
        newWrite.setId("new-field-write");
        newWrite.setPromptText("write");
        newWrite.setPrefColumnCount(6);
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
            DesignerViewModel.GridRow r = table.getSelectionModel().getSelectedItem();
            if (r != null && r.declared()) {
                model.removeField(r.path());
            }
        });
        add.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        remove.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        newPath.setMinWidth(90);
        HBox.setHgrow(newPath, Priority.ALWAYS);
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
        Label hint = new Label("The rule file. Edits here update the designer as soon as they are a valid rule.");
        hint.setWrapText(true);
        pane.setTop(hint);
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

    private static Label fixedLabel(String text) {
        Label l = new Label(text);
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
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

    /** A field's name, indented under its parent (a.b under a). */
    private static final class FieldNameCell extends javafx.scene.control.TableCell<DesignerViewModel.GridRow, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            DesignerViewModel.GridRow row = empty ? null : getTableRow() == null ? null : getTableRow().getItem();
            if (empty || item == null || row == null) {
                setText(null);
                return;
            }
            setText("    ".repeat(row.depth()) + (row.depth() == 0 ? item : "└ " + item.substring(item.lastIndexOf('.') + 1)));
            setTooltip(new javafx.scene.control.Tooltip(item));
            setStyle(row.declared() ? "" : "-fx-opacity: 0.75;");
        }
    }

    /** A read or write checkbox of the grid; an expression shows as indeterminate, with the expression in the tooltip. */
    private final class GrantCell extends javafx.scene.control.TableCell<DesignerViewModel.GridRow, DesignerViewModel.GridRow> {
        private final boolean readColumn;
        private final javafx.scene.control.CheckBox box = new javafx.scene.control.CheckBox();

        GrantCell(boolean readColumn) {
            this.readColumn = readColumn;
            box.setOnAction(e -> {
                DesignerViewModel.GridRow row = getItem();
                if (row != null) {
                    model.toggleField(row.path(), readColumn, box.isSelected());
                }
            });
            setAlignment(javafx.geometry.Pos.CENTER);
        }

        @Override
        protected void updateItem(DesignerViewModel.GridRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            DesignerViewModel.Grant g = readColumn ? row.read() : row.write();
            box.setId((readColumn ? "grid-read-" : "grid-write-") + row.path());
            box.setIndeterminate(g == DesignerViewModel.Grant.EXPRESSION);
            box.setSelected(g == DesignerViewModel.Grant.YES);
            box.setTooltip(new javafx.scene.control.Tooltip(g == DesignerViewModel.Grant.EXPRESSION
                    ? "an expression (edit it in the JSON beside); ticking makes it true"
                    : (readColumn ? "read " : "write ") + row.path()));
            setGraphic(box);
        }
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
