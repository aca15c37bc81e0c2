package dev.thimble.workbench.data;

import atlantafx.base.theme.Styles;
import dev.thimble.runtime.apps.DataBrowser;
import dev.thimble.runtime.apps.ExtendedJson;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.Predicate;

/**
 * The data browser: databases and collections (with counts; indexes below) on the left, the query
 * and the page of documents (table or JSON) in the middle, the selected document's Extended JSON with
 * New / Insert / Save / Delete on the right, errors beside the part they concern.
 */
public final class DataView {
    private final SplitPane root = new SplitPane();
    private final TreeView<Object> tree = new TreeView<>();
    private final TableView<BsonDocument> table = new TableView<>();

    /** @param confirmDelete asks before a delete (a dialog); the argument describes the document */
    public DataView(DataViewModel model, Predicate<String> confirmDelete) {
        root.setId("data-panel");
        root.getStyleClass().add("data-panel");

        // ---- left: databases and collections
        tree.setId("data-tree");
        tree.setShowRoot(false);
        tree.setRoot(new TreeItem<>("databases"));
        tree.setCellFactory(view -> new javafx.scene.control.TreeCell<>() {
            @Override
            protected void updateItem(Object item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    setTooltip(null);
                } else if (item instanceof DataBrowser.CollectionInfo c) {
                    setText(c.name() + "  (" + c.count() + ")");
                    setGraphic(new FontIcon(Feather.LAYERS));
                    setTooltip(new Tooltip(c.namespace() + ": " + c.count() + " documents\nindexes: " + String.join(", ", c.indexes())));
                } else if (item instanceof DataBrowser.DatabaseInfo d) {
                    setText(d.name());
                    setGraphic(new FontIcon(Feather.DATABASE));
                    setTooltip(null);
                }
            }
        });
        model.databases().addListener((ListChangeListener<DataBrowser.DatabaseInfo>) change -> rebuildTree(model));
        tree.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null && now.getValue() instanceof DataBrowser.CollectionInfo c) {
                model.collectionProperty().set(c);
            }
        });
        Label indexes = new Label();
        indexes.setId("data-indexes");
        indexes.setWrapText(true);
        indexes.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        indexes.getStyleClass().add("pane-summary");
        indexes.textProperty().bind(model.collectionProperty().map(c -> "Indexes of " + c.name() + ":\n  "
                + String.join("\n  ", c.indexes())).orElse(""));
        Button refresh = smallButton(Feather.REFRESH_CW, "Read the databases again", model::refresh);
        Label title = new Label("DATA");
        title.getStyleClass().add("pane-title");
        Button newCollection = smallButton(Feather.FOLDER_PLUS, "Create a database or a collection", () -> {
            javafx.scene.control.TextInputDialog ask = new javafx.scene.control.TextInputDialog("");
            ask.initOwner(root.getScene() == null ? null : root.getScene().getWindow());
            ask.setTitle("New collection");
            ask.setHeaderText("A new collection (a new database name creates the database too)");
            ask.setContentText("database.collection:");
            ask.showAndWait().ifPresent(text -> {
                int dot = text.indexOf('.');
                model.createCollection(dot < 0 ? text : text.substring(0, dot), dot < 0 ? "" : text.substring(dot + 1));
            });
        });
        newCollection.setId("data-new-collection");
        ToggleButton internalDbs = new ToggleButton(null, new FontIcon(Feather.EYE));
        internalDbs.setId("data-show-internal");
        internalDbs.getStyleClass().addAll("flat", atlantafx.base.theme.Styles.SMALL);
        internalDbs.setTooltip(new javafx.scene.control.Tooltip("Show Thimble's own databases (users, sessions, logs, trigger state)"));
        internalDbs.selectedProperty().bindBidirectional(model.showInternalProperty());
        internalDbs.selectedProperty().addListener((obs, old, now) -> model.refresh());
        HBox treeHeader = new HBox(6, title, refresh, newCollection, internalDbs);
        treeHeader.setAlignment(Pos.CENTER_LEFT);
        VBox left = new VBox(4, treeHeader, tree, indexes);
        VBox.setVgrow(tree, Priority.ALWAYS);
        left.setPadding(new Insets(4, 6, 4, 6));

        // ---- middle: query and documents
        TextField filter = queryField("data-filter", "Filter, e.g. {\"done\": false}", model.filterProperty());
        TextField sort = queryField("data-sort", "Sort, e.g. {\"_id\": -1}", model.sortProperty());
        TextField projection = queryField("data-projection", "Projection, e.g. {\"text\": 1}", model.projectionProperty());
        filter.setOnAction(e -> model.find());
        sort.setOnAction(e -> model.find());
        projection.setOnAction(e -> model.find());
        HBox.setHgrow(filter, Priority.ALWAYS);
        Button find = new Button("Find", new FontIcon(Feather.SEARCH));
        find.setId("data-find");
        find.getStyleClass().add(Styles.SMALL);
        find.setOnAction(e -> model.find());
        find.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox query = new HBox(6, filter, sort, projection, find);
        query.setAlignment(Pos.CENTER_LEFT);
        Label queryError = errorLabel("data-query-error", model.queryErrorProperty());

        table.setId("data-table");
        table.getStyleClass().addAll(Styles.DENSE, "data-table");
        table.setItems(model.documents());
        table.setPlaceholder(new Label("Choose a collection on the left."));
        model.columns().addListener((ListChangeListener<String>) change -> rebuildColumns(model));
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                model.selectedProperty().set(now);
            }
        });
        ListView<BsonDocument> json = new ListView<>(model.documents());
        json.setId("data-json");
        json.getStyleClass().add("mono");
        json.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(BsonDocument item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : ExtendedJson.format(item));
            }
        });
        json.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                model.selectedProperty().set(now);
            }
        });
        json.setVisible(false);
        StackPane documents = new StackPane(table, json);
        VBox.setVgrow(documents, Priority.ALWAYS);
        ToggleButton asJson = new ToggleButton("JSON");
        asJson.setId("data-as-json");
        asJson.getStyleClass().add(Styles.SMALL);
        asJson.setTooltip(new Tooltip("Show the documents as JSON instead of a table"));
        json.visibleProperty().bind(asJson.selectedProperty());
        table.visibleProperty().bind(asJson.selectedProperty().not());

        Button previous = smallButton(Feather.CHEVRON_LEFT, "Previous page", model::previousPage);
        previous.disableProperty().bind(model.hasPreviousProperty().not());
        Button next = smallButton(Feather.CHEVRON_RIGHT, "Next page", model::nextPage);
        next.setId("data-next");
        next.disableProperty().bind(model.hasNextProperty().not());
        Label pageSummary = new Label();
        pageSummary.setId("data-page");
        pageSummary.getStyleClass().add("pane-summary");
        pageSummary.textProperty().bind(model.pageSummaryProperty());
        Label notice = new Label();
        notice.setId("data-notice");
        notice.getStyleClass().add("pane-summary");
        notice.textProperty().bind(model.noticeProperty());
        notice.setMinWidth(0);
        HBox pager = new HBox(6, previous, pageSummary, next, asJson, notice);
        pager.setAlignment(Pos.CENTER_LEFT);
        VBox middle = new VBox(4, query, queryError, documents, pager);
        middle.setPadding(new Insets(4, 6, 4, 6));

        // ---- right: the document
        TextArea editor = new TextArea();
        editor.setId("data-document");
        editor.getStyleClass().add("mono");
        editor.textProperty().bindBidirectional(model.editorProperty());
        editor.setPromptText("Select a document to view and edit it as Extended JSON, or press New.");
        VBox.setVgrow(editor, Priority.ALWAYS);
        Button create = smallTextButton("New", Feather.FILE_PLUS, "Start a new document", model::newDocument);
        create.setId("data-new");
        Button insert = smallTextButton("Insert", Feather.PLUS, "Insert the text as a new document", model::insert);
        insert.setId("data-insert");
        Button save = smallTextButton("Save", Feather.SAVE, "Replace the selected document with the text", model::save);
        save.setId("data-save");
        save.disableProperty().bind(model.selectedProperty().isNull());
        Button delete = smallTextButton("Delete", Feather.TRASH_2, "Delete the selected document", () -> {
            BsonDocument doc = model.selectedProperty().get();
            if (doc != null && confirmDelete.test(ExtendedJson.oneLine(doc.get("_id") == null ? new org.bson.BsonNull() : doc.get("_id")))) {
                model.delete();
            }
        });
        delete.setId("data-delete");
        delete.getStyleClass().add(Styles.DANGER);
        delete.disableProperty().bind(model.selectedProperty().isNull());
        HBox actions = new HBox(6, create, insert, save, delete);
        Label documentError = errorLabel("data-document-error", model.documentErrorProperty());
        Label docTitle = new Label("Document");
        docTitle.getStyleClass().add("field-label");
        VBox right = new VBox(4, docTitle, editor, documentError, actions);
        right.setPadding(new Insets(4, 6, 4, 6));

        root.getItems().setAll(left, middle, right);
        root.setDividerPositions(0.2, 0.66);
    }

    private void rebuildTree(DataViewModel model) {
        TreeItem<Object> rootItem = new TreeItem<>("databases");
        DataBrowser.CollectionInfo chosen = model.collectionProperty().get();
        TreeItem<Object> reselect = null;
        // the app's own databases first; Thimble's state and the server's system databases last
        java.util.List<DataBrowser.DatabaseInfo> ordered = model.databases().stream()
                .sorted(java.util.Comparator.comparing((DataBrowser.DatabaseInfo d) -> internal(d.name()))).toList();
        for (DataBrowser.DatabaseInfo db : ordered) {
            TreeItem<Object> dbItem = new TreeItem<>(db);
            dbItem.setExpanded(!internal(db.name()));
            for (DataBrowser.CollectionInfo c : db.collections()) {
                TreeItem<Object> item = new TreeItem<>(c);
                dbItem.getChildren().add(item);
                if (chosen != null && c.namespace().equals(chosen.namespace())) {
                    reselect = item;
                }
            }
            rootItem.getChildren().add(dbItem);
        }
        tree.setRoot(rootItem);
        if (reselect != null) {
            reselect.getParent().setExpanded(true);
            tree.getSelectionModel().select(reselect);
        }
    }

    private static boolean internal(String database) {
        return database.startsWith("__thimble") || database.equals("admin") || database.equals("local") || database.equals("config");
    }

    /** A cell's text: strings as they are, ObjectIds and dates the way Compass shows them, the rest as Extended JSON. */
    static String cellText(BsonValue v) {
        if (v == null) {
            return "";
        }
        return switch (v.getBsonType()) {
            case STRING -> v.asString().getValue();
            case OBJECT_ID -> "ObjectId('" + v.asObjectId().getValue().toHexString() + "')";
            case DATE_TIME -> java.time.Instant.ofEpochMilli(v.asDateTime().getValue()).toString();
            default -> ExtendedJson.oneLine(v);
        };
    }

    private void rebuildColumns(DataViewModel model) {
        table.getColumns().clear();
        for (String name : model.columns()) {
            TableColumn<BsonDocument, String> column = new TableColumn<>(name);
            column.setCellValueFactory(cell -> {
                return new ReadOnlyStringWrapper(cellText(cell.getValue().get(name)));
            });
            column.setPrefWidth(name.equals("_id") ? 250 : 140);
            column.setSortable(false);
            table.getColumns().add(column);
        }
    }

    private static TextField queryField(String id, String prompt, javafx.beans.property.StringProperty property) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.getStyleClass().addAll("mono", Styles.SMALL);
        field.textProperty().bindBidirectional(property);
        field.setPrefWidth(170);
        return field;
    }

    private static Label errorLabel(String id, javafx.beans.value.ObservableStringValue text) {
        Label label = new Label();
        label.setId(id);
        label.getStyleClass().add("field-error");
        label.setWrapText(true);
        label.textProperty().bind(text);
        label.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(text));
        label.managedProperty().bind(label.visibleProperty());
        return label;
    }

    private static Button smallButton(Feather icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.getStyleClass().addAll("flat", Styles.SMALL);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    private static Button smallTextButton(String text, Feather icon, String tip, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.getStyleClass().add(Styles.SMALL);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    public TreeView<Object> tree() {
        return tree;
    }

    public TableView<BsonDocument> table() {
        return table;
    }

    public Node node() {
        return root;
    }
}
