package dev.thimble.workbench.explorer;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import dev.thimble.runtime.apps.EditableItem;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The explorer tree. Rebuilt from the view-model's root after each save; groups the user expanded or
 * collapsed stay that way. Double-click or Enter opens a row.
 */
public final class ExplorerView {
    private final TreeView<ExplorerNode> tree = new TreeView<>();
    private final BorderPane root = new BorderPane();
    private final Set<String> collapsed = new HashSet<>();

    public ExplorerView(ExplorerViewModel model) {
        tree.setId("explorer");
        tree.getStyleClass().add(Styles.DENSE);
        tree.setShowRoot(true);
        tree.setCellFactory(view -> new NodeCell());
        tree.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                openSelected(model);
            }
        });
        tree.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openSelected(model);
                e.consume();
            }
        });
        show(model.rootProperty().get());
        model.rootProperty().addListener((obs, old, now) -> show(now));

        Label hint = new Label();
        hint.getStyleClass().add("explorer-hint");
        hint.setWrapText(true);
        hint.textProperty().bind(model.hintProperty());
        hint.visibleProperty().bind(model.hintProperty().isNotEmpty());
        hint.managedProperty().bind(hint.visibleProperty());
        hint.setPadding(new Insets(6));

        Label title = new Label("EXPLORER");
        title.getStyleClass().add("pane-title");
        root.setTop(title);
        root.setCenter(tree);
        root.setBottom(hint);
        root.getStyleClass().add("explorer-pane");
    }

    private void openSelected(ExplorerViewModel model) {
        TreeItem<ExplorerNode> selected = tree.getSelectionModel().getSelectedItem();
        if (selected != null) {
            model.open(selected.getValue());
        }
    }

    private void show(ExplorerNode node) {
        if (tree.getRoot() != null) {
            remember(tree.getRoot());
        }
        tree.setRoot(node == null ? null : item(node));
    }

    private void remember(TreeItem<ExplorerNode> item) {
        if (item.getValue().isGroup()) {
            if (item.isExpanded()) {
                collapsed.remove(item.getValue().label());
            } else {
                collapsed.add(item.getValue().label());
            }
        }
        item.getChildren().forEach(this::remember);
    }

    private TreeItem<ExplorerNode> item(ExplorerNode node) {
        TreeItem<ExplorerNode> item = new TreeItem<>(node);
        node.children().forEach(child -> item.getChildren().add(item(child)));
        item.setExpanded(node.isGroup() && !collapsed.contains(node.label()));
        return item;
    }

    public Node node() {
        return root;
    }

    /** The item of the selected row (null for a group row or none). */
    public EditableItem selectedItem() {
        TreeItem<ExplorerNode> selected = tree.getSelectionModel().getSelectedItem();
        return selected == null ? null : selected.getValue().item();
    }

    /** The kind "New" suggests for the selected row: its group's, else a function. */
    public StructureViewModel.Kind suggestedKind() {
        TreeItem<ExplorerNode> selected = tree.getSelectionModel().getSelectedItem();
        if (selected == null) {
            return StructureViewModel.Kind.FUNCTION;
        }
        ExplorerNode node = selected.getValue();
        if (node.item() != null && !(node.item() instanceof EditableItem.AppSettings)) {
            return StructureViewModel.Kind.of(node.item());
        }
        if (node.category() == null) {
            return StructureViewModel.Kind.FUNCTION;
        }
        return switch (node.category()) {
            case RULES -> StructureViewModel.Kind.COLLECTION_RULE;
            case VALUES -> StructureViewModel.Kind.VALUE;
            case SECRETS -> StructureViewModel.Kind.SECRET;
            case TRIGGERS -> StructureViewModel.Kind.TRIGGER;
            case WEBHOOKS_AND_ENDPOINTS -> StructureViewModel.Kind.ENDPOINT;
            case AUTH_PROVIDERS -> StructureViewModel.Kind.AUTH_PROVIDER;
            case SERVICES -> StructureViewModel.Kind.SERVICE;
            case ENVIRONMENTS -> StructureViewModel.Kind.ENVIRONMENT;
            case FUNCTIONS -> StructureViewModel.Kind.FUNCTION;
        };
    }

    /**
     * The structural actions: a context menu (New, Rename, Duplicate, Delete, Undo) and the keys
     * IntelliJ and VS Code users expect (F2 or Shift+F6 renames, Delete deletes, Ctrl+D duplicates).
     */
    public void installStructureActions(StructureViewModel structure) {
        ContextMenu menu = new ContextMenu();
        menu.setId("explorer-menu");
        // a ContextMenu without items never shows (and never fires onShowing): fill it now, refresh on each show
        menu.getItems().setAll(contextItems(structure));
        menu.setOnShowing(e -> menu.getItems().setAll(contextItems(structure)));
        tree.setContextMenu(menu);
        tree.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            EditableItem item = selectedItem();
            boolean named = item != null && renamable(item);
            if ((e.getCode() == KeyCode.F2 || e.getCode() == KeyCode.F6 && e.isShiftDown()) && named) {
                structure.startRename(item);
                e.consume();
            } else if ((e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE && e.isShortcutDown()) && deletable(item)) {
                structure.startDelete(item);
                e.consume();
            } else if (e.getCode() == KeyCode.D && e.isShortcutDown() && named) {
                structure.startDuplicate(item);
                e.consume();
            }
        });
    }

    private List<MenuItem> contextItems(StructureViewModel structure) {
        List<MenuItem> items = new ArrayList<>();
        Menu create = new Menu("New", new FontIcon(Feather.PLUS));
        create.setId("explorer-menu-new");
        for (StructureViewModel.Kind kind : StructureViewModel.Kind.values()) {
            MenuItem entry = new MenuItem(kind.title() + "...");
            entry.setId("explorer-new-" + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            entry.setOnAction(e -> structure.startNew(kind));
            create.getItems().add(entry);
        }
        items.add(create);
        EditableItem item = selectedItem();
        MenuItem rename = new MenuItem("Rename...", new FontIcon(Feather.EDIT_3));
        rename.setId("explorer-rename");
        rename.setAccelerator(KeyCombination.keyCombination("F2"));
        rename.setDisable(item == null || !renamable(item));
        rename.setOnAction(e -> structure.startRename(item));
        MenuItem duplicate = new MenuItem("Duplicate...", new FontIcon(Feather.COPY));
        duplicate.setId("explorer-duplicate");
        duplicate.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
        duplicate.setDisable(item == null || !renamable(item));
        duplicate.setOnAction(e -> structure.startDuplicate(item));
        MenuItem delete = new MenuItem("Delete...", new FontIcon(Feather.TRASH_2));
        delete.setId("explorer-delete");
        delete.setAccelerator(new KeyCodeCombination(KeyCode.DELETE));
        delete.setDisable(!deletable(item));
        delete.setOnAction(e -> structure.startDelete(item));
        String undoable = structure.undoableProperty().get();
        MenuItem undo = new MenuItem(undoable.isEmpty() ? "Undo" : "Undo: " + undoable, new FontIcon(Feather.ROTATE_CCW));
        undo.setId("explorer-undo");
        undo.setDisable(undoable.isEmpty());
        undo.setOnAction(e -> structure.undo());
        items.addAll(List.of(new SeparatorMenuItem(), rename, duplicate, delete, new SeparatorMenuItem(), undo));
        return items;
    }

    private static boolean renamable(EditableItem item) {
        return !(item instanceof EditableItem.AppSettings || item instanceof EditableItem.Values || item instanceof EditableItem.DefaultRule);
    }

    private static boolean deletable(EditableItem item) {
        return item != null && !(item instanceof EditableItem.AppSettings || item instanceof EditableItem.Values);
    }

    public TreeView<ExplorerNode> tree() {
        return tree;
    }

    private static final class NodeCell extends TreeCell<ExplorerNode> {
        @Override
        protected void updateItem(ExplorerNode node, boolean empty) {
            super.updateItem(node, empty);
            if (empty || node == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            setText(null);
            Label label = new Label(node.label(), new FontIcon(iconOf(node)));
            label.setMinWidth(Region.USE_PREF_SIZE); // the name is never cut; the hint may be
            HBox row = new HBox(6, label);
            if (!node.hint().isEmpty()) {
                Label hint = new Label(node.hint());
                hint.getStyleClass().add("explorer-row-hint");
                row.getChildren().add(hint);
            }
            setGraphic(row);
        }

        private static Feather iconOf(ExplorerNode node) {
            if (node.category() == null) {
                return node.item() == null ? Feather.BOX : Feather.SETTINGS;
            }
            if (node.isGroup()) {
                return Feather.FOLDER;
            }
            return switch (node.category()) {
                case FUNCTIONS -> Feather.CODE;
                case RULES -> Feather.SHIELD;
                case VALUES -> Feather.SLIDERS;
                case SECRETS -> Feather.LOCK;
                case TRIGGERS -> Feather.ZAP;
                case WEBHOOKS_AND_ENDPOINTS -> Feather.LINK;
                case AUTH_PROVIDERS -> Feather.USERS;
                case SERVICES -> Feather.SERVER;
                case ENVIRONMENTS -> Feather.GLOBE;
            };
        }
    }
}
