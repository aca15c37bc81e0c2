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

import java.util.HashSet;
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
