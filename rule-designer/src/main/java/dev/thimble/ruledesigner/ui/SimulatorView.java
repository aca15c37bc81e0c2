package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.FieldVerdict;
import dev.thimble.runtime.rules.Decision.Action;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.bson.Document;

/**
 * The simulator: pick a user, an action and a document, run, and read the engine's decision — role
 * trials with the clause that failed, filters injected, a verdict per field and the document as the
 * user receives it — and the what-if of the unsaved edit. Lays out and binds {@link SimulatorViewModel} only.
 */
public final class SimulatorView {
    private final BorderPane root = new BorderPane();

    public SimulatorView(SimulatorViewModel model) {
        root.getStyleClass().add("rule-simulator");
        ComboBox<SimulatorViewModel.UserChoice> user = new ComboBox<>(model.users());
        user.setId("sim-user");
        user.valueProperty().bindBidirectional(model.userProperty());
        user.setPrefWidth(260);
        TextField craftedId = new TextField();
        craftedId.setId("sim-crafted-id");
        craftedId.textProperty().bindBidirectional(model.craftedIdProperty());
        craftedId.setPrefColumnCount(10);
        craftedId.setPromptText("user id (empty: crafted-user)");
        TextField customData = new TextField();
        customData.setId("sim-custom-data");
        // a placeholder, not a value: it names the app's custom data fields when there are any
        Runnable prompt = () -> customData.setPromptText(model.customDataFields().isEmpty()
                ? "custom data as JSON, e.g. {\"role\": …}"
                : "custom data as JSON: " + model.customDataFields().stream().map(f -> "\"" + f + "\": …")
                        .collect(java.util.stream.Collectors.joining(", ", "{", "}")));
        model.customDataFields().addListener((javafx.collections.ListChangeListener<String>) c -> prompt.run());
        prompt.run();
        javafx.scene.control.MenuButton addField = new javafx.scene.control.MenuButton("+ field");
        addField.setId("sim-custom-data-add");
        addField.setTooltip(new javafx.scene.control.Tooltip("Add one of the app's custom user data fields"));
        Runnable fieldItems = () -> {
            addField.getItems().setAll(model.customDataFields().stream().map(f -> {
                javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem(f);
                item.setOnAction(e -> model.addCustomDataField(f));
                return item;
            }).toList());
            addField.setVisible(!model.customDataFields().isEmpty());
        };
        model.customDataFields().addListener((javafx.collections.ListChangeListener<String>) c -> fieldItems.run());
        fieldItems.run();
        addField.managedProperty().bind(addField.visibleProperty());
        addField.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        customData.textProperty().bindBidirectional(model.craftedCustomDataProperty());
        HBox.setHgrow(customData, Priority.ALWAYS);
        craftedId.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> model.userProperty().get() == null || !model.userProperty().get().crafted(), model.userProperty()));
        customData.disableProperty().bind(craftedId.disableProperty());
        addField.disableProperty().bind(craftedId.disableProperty());
        ChoiceBox<Action> action = new ChoiceBox<>(FXCollections.observableArrayList(Action.READ, Action.QUERY, Action.INSERT,
                Action.UPDATE, Action.REPLACE, Action.DELETE));
        action.setId("sim-action");
        action.valueProperty().bindBidirectional(model.actionProperty());
        ComboBox<Document> live = new ComboBox<>(model.liveDocuments());
        live.setId("sim-live-document");
        live.setPromptText("a document of the live collection");
        live.setCellFactory(l -> new DocumentCell());
        live.setButtonCell(new DocumentCell());
        live.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                model.pickDocument(now);
            }
        });
        live.setPrefWidth(220);
        Button run = new Button("Simulate");
        run.setId("sim-run");
        run.setDefaultButton(true);
        run.setOnAction(e -> model.run());
        Button whatIf = new Button("What if I save?");
        whatIf.setId("sim-what-if");
        whatIf.setOnAction(e -> model.runWhatIf());
        run.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        whatIf.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        GridPane inputs = new GridPane();
        inputs.setHgap(8);
        inputs.setVgap(6);
        HBox customDataBox = new HBox(4, customData, addField);
        HBox.setHgrow(customData, Priority.ALWAYS);
        // the crafted user's custom data gets a row of its own: beside the user and its id it was a sliver at 1280 px
        inputs.addRow(0, label("User"), user, label("crafted id"), craftedId);
        inputs.add(label("custom data"), 0, 1);
        inputs.add(customDataBox, 1, 1, 4, 1);
        GridPane.setHgrow(customDataBox, Priority.ALWAYS);
        customData.setPrefColumnCount(30);
        inputs.addRow(2, label("Action"), action, label("Document"), live, new HBox(8, run, whatIf));
        inputs.setPadding(new Insets(8));

        TextArea document = new TextArea();
        document.setId("sim-document");
        document.textProperty().bindBidirectional(model.documentTextProperty());
        document.setPrefRowCount(8);
        document.setMinHeight(140);
        document.setWrapText(true);
        TextArea after = new TextArea();
        after.setId("sim-after");
        after.setPromptText("after an update or replace (Extended JSON); empty: only the per-field probes change it");
        after.textProperty().bindBidirectional(model.afterTextProperty());
        after.setPrefRowCount(4);
        after.setWrapText(true);
        TextField query = new TextField();
        query.setId("sim-query-text");
        query.setPromptText("the caller's query (read, query), e.g. {\"diagnosis\": \"angina\"}");
        query.textProperty().bindBidirectional(model.queryTextProperty());
        VBox.setVgrow(document, Priority.ALWAYS);
        VBox left = new VBox(4, new Label("Document (Extended JSON)"), document, new Label("After (update / replace)"), after,
                new Label("Query (read / query)"), query);
        left.setPadding(new Insets(0, 4, 0, 8));

        Label outcome = new Label();
        outcome.setId("sim-outcome");
        outcome.getStyleClass().add("section-title");
        outcome.textProperty().bind(model.outcomeProperty());
        javafx.scene.control.Tooltip why = new javafx.scene.control.Tooltip();
        why.textProperty().bind(model.explanationProperty());
        outcome.setTooltip(why);
        TableView<SimulatorViewModel.RoleRow> roles = new TableView<>(model.roleRows());
        roles.setId("sim-roles");
        roles.setPrefHeight(110);
        roles.setMinHeight(100);
        roles.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<SimulatorViewModel.RoleRow, String> roleColumn = column("role", SimulatorViewModel.RoleRow::role);
        roleColumn.setPrefWidth(110);
        roleColumn.setMaxWidth(160);
        TableColumn<SimulatorViewModel.RoleRow, String> matched = column("apply_when", SimulatorViewModel.RoleRow::applyWhen);
        matched.setPrefWidth(100);
        matched.setMinWidth(95);
        matched.setMaxWidth(120);
        TableColumn<SimulatorViewModel.RoleRow, String> clause = column("clause that failed", SimulatorViewModel.RoleRow::clause);
        clause.setPrefWidth(560);
        clause.setCellFactory(c -> new WrappingCell<>());
        roles.getColumns().add(roleColumn);
        roles.getColumns().add(matched);
        roles.getColumns().add(clause);
        roles.setPlaceholder(new Label("Run a simulation to see which role applies"));
        ListView<String> filters = new ListView<>(model.filterRows());
        filters.setId("sim-filters");
        filters.setPrefHeight(64);
        filters.setMinHeight(56);
        filters.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null ? null : new javafx.scene.control.Tooltip(item));
            }
        });
        filters.setPlaceholder(new Label("No filter"));
        TableView<FieldVerdict> fields = new TableView<>(model.fieldRows());
        fields.setId("sim-fields");
        fields.setPrefHeight(170);
        fields.setMinHeight(150);
        fields.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<FieldVerdict, String> path = column("field", FieldVerdict::path);
        fields.getColumns().add(path);
        fields.getColumns().add(column("read", v -> v.visible() ? "visible" : "hidden"));
        fields.getColumns().add(column("write", v -> v.writable() ? "writable" : "not writable"));
        TextArea received = new TextArea();
        received.setId("sim-received");
        received.setEditable(false);
        received.textProperty().bind(model.receivedProperty());
        received.setPrefRowCount(6);
        received.setMinHeight(120);
        TextArea whatIfText = new TextArea();
        whatIfText.setId("sim-what-if-report");
        whatIfText.setEditable(false);
        whatIfText.setPrefRowCount(5);
        whatIfText.setMinHeight(90);
        whatIfText.setWrapText(true);
        whatIfText.textProperty().bind(model.whatIfProperty());
        whatIfText.setPromptText("The details per user show here");
        Label whatIfSummary = new Label();
        whatIfSummary.setId("sim-what-if-summary");
        whatIfSummary.getStyleClass().add("what-if-summary");
        whatIfSummary.setStyle("-fx-font-weight: bold;");
        whatIfSummary.setWrapText(true);
        whatIfSummary.textProperty().bind(model.whatIfSummaryProperty());
        Label whatIfTitle = new Label("What if I save? (saved rules → this edit)");
        whatIfTitle.getStyleClass().add("section-title");
        VBox whatIfBox = new VBox(4, whatIfTitle, whatIfSummary, new Label("Details"), whatIfText);
        whatIfBox.setId("sim-what-if-box");
        whatIfBox.setPadding(new Insets(0, 0, 8, 0));
        // summary first: the what-if stands at the top of the results once it has run
        whatIfBox.visibleProperty().bind(model.whatIfSummaryProperty().isNotEmpty());
        whatIfBox.managedProperty().bind(whatIfBox.visibleProperty());
        Label planned = new Label();
        planned.setId("sim-query");
        planned.setWrapText(true);
        planned.textProperty().bind(model.plannedQueryProperty());
        TextArea explanation = new TextArea();
        explanation.setId("sim-explanation");
        explanation.setEditable(false);
        explanation.setPrefRowCount(6);
        explanation.textProperty().bind(model.explanationProperty());
        javafx.scene.control.TitledPane whyPane = new javafx.scene.control.TitledPane("The engine's explanation", explanation);
        whyPane.setExpanded(false);
        VBox right = new VBox(4, whatIfBox, outcome, roles, new Label("Filters"), filters, planned, new Label("Fields"), fields,
                new Label("Received by this user"), received, whyPane);
        right.setPadding(new Insets(0, 8, 8, 4));
        javafx.scene.control.ScrollPane rightScroll = new javafx.scene.control.ScrollPane(right);
        rightScroll.setFitToWidth(true);
        SplitPane center = new SplitPane(left, rightScroll);
        center.setDividerPositions(0.38);

        Label error = new Label();
        error.setId("sim-error");
        error.getStyleClass().add("error");
        error.textProperty().bind(model.errorProperty());
        error.setWrapText(true);
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        VBox bottom = new VBox(4, error);
        bottom.setPadding(new Insets(0, 8, 4, 8));

        root.setTop(inputs);
        root.setCenter(center);
        root.setBottom(bottom);
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    private static <T> TableColumn<T, String> column(String title, java.util.function.Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return c;
    }

    /** A table cell whose full text is in a tooltip (the failed clause is often long). */
    private static final class WrappingCell<T> extends javafx.scene.control.TableCell<T, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty ? null : item);
            setTooltip(empty || item == null || item.isEmpty() ? null : new javafx.scene.control.Tooltip(item));
        }
    }

    private static final class DocumentCell extends ListCell<Document> {
        @Override
        protected void updateItem(Document item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setText(null);
                return;
            }
            Object id = item.get("_id");
            Object name = item.get("name") != null ? item.get("name") : item.get("title");
            setText(String.valueOf(id) + (name == null ? "" : " — " + name));
        }
    }

    public Node node() {
        return root;
    }
}
