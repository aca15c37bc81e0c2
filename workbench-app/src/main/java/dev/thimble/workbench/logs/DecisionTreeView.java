package dev.thimble.workbench.logs;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.BorderPane;

/** The rule decision of the selected record as an expanded tree; allowed/matched lines green, denied/failed red. */
public final class DecisionTreeView {
    private static final PseudoClass GOOD = PseudoClass.getPseudoClass("good");
    private static final PseudoClass BAD = PseudoClass.getPseudoClass("bad");

    private final BorderPane root = new BorderPane();
    private final TreeView<DecisionTree.Node> tree = new TreeView<>();

    public DecisionTreeView(ObservableList<DecisionTree.Node> nodes) {
        this(nodes, "log-decision-tree", new Label("Rule decision"));
    }

    /** @param title the line above the tree (bind its text to follow what is shown) */
    public DecisionTreeView(ObservableList<DecisionTree.Node> nodes, String id, Label title) {
        tree.setId(id);
        tree.getStyleClass().add("decision-tree");
        tree.setShowRoot(false);
        tree.setRoot(new TreeItem<>());
        tree.setCellFactory(t -> new Cell());
        nodes.addListener((ListChangeListener<DecisionTree.Node>) c -> show(nodes));
        show(nodes);
        title.getStyleClass().add("pane-title");
        title.setPadding(new Insets(4, 6, 2, 6));
        root.setTop(title);
        root.setCenter(tree);
    }

    private void show(ObservableList<DecisionTree.Node> nodes) {
        TreeItem<DecisionTree.Node> top = new TreeItem<>();
        nodes.forEach(n -> top.getChildren().add(item(n)));
        tree.setRoot(top);
    }

    private static TreeItem<DecisionTree.Node> item(DecisionTree.Node node) {
        TreeItem<DecisionTree.Node> item = new TreeItem<>(node);
        node.children().forEach(c -> item.getChildren().add(item(c)));
        item.setExpanded(true);
        return item;
    }

    public TreeView<DecisionTree.Node> tree() {
        return tree;
    }

    public Node node() {
        return root;
    }

    private static final class Cell extends TreeCell<DecisionTree.Node> {
        @Override
        protected void updateItem(DecisionTree.Node item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty || item == null ? null : item.text());
            pseudoClassStateChanged(GOOD, !empty && item != null && item.tone() == DecisionTree.Tone.GOOD);
            pseudoClassStateChanged(BAD, !empty && item != null && item.tone() == DecisionTree.Tone.BAD);
        }
    }
}
