package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.Expression;
import dev.thimble.ruledesigner.ExpressionForm.Join;
import dev.thimble.ruledesigner.Expressions;
import dev.thimble.ruledesigner.JsonValues;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;

/**
 * The expression builder: clause rows (expansion or field × operator × value) joined by all/and/or,
 * a raw JSON box for what rows cannot hold, and the expression as a tree. Ids start with {@code prefix}.
 */
public final class ExpressionBuilderView {
    private final VBox root = new VBox(6);
    private final VBox rows = new VBox(4);
    private final TreeView<String> tree = new TreeView<>();
    private final ExpressionBuilderModel model;
    private final ObservableList<String> expansions;

    /** @param expansions what a clause's left side offers (expansions and field names); kept up to date by the caller */
    public ExpressionBuilderView(ExpressionBuilderModel model, String prefix, ObservableList<String> expansions, Runnable apply) {
        this.model = model;
        this.expansions = expansions;
        ChoiceBox<Join> join = new ChoiceBox<>(FXCollections.observableArrayList(Join.values()));
        join.valueProperty().bindBidirectional(model.joinProperty());
        join.setId(prefix + "-join");
        CheckBox raw = new CheckBox("raw JSON");
        raw.selectedProperty().bindBidirectional(model.rawModeProperty());
        raw.setId(prefix + "-raw-mode");
        Button add = new Button("+ clause");
        add.setId(prefix + "-add-clause");
        add.setOnAction(e -> model.addClause("", "", ""));
        Button applyButton = new Button("Apply");
        applyButton.setId(prefix + "-apply");
        applyButton.setDefaultButton(false);
        applyButton.setOnAction(e -> apply.run());
        // never cut ("+...", "ra..."): in a narrow designer (1280 px with the dock open) the bar wraps instead
        for (javafx.scene.control.Control c : List.of(join, add, raw, applyButton)) {
            c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        javafx.scene.layout.FlowPane bar = new javafx.scene.layout.FlowPane(8, 4, join, add, raw, applyButton);
        TextArea rawText = new TextArea();
        rawText.setId(prefix + "-raw");
        rawText.textProperty().bindBidirectional(model.rawProperty());
        rawText.setPrefRowCount(4);
        rawText.visibleProperty().bind(model.rawModeProperty());
        rawText.managedProperty().bind(rawText.visibleProperty());
        rows.visibleProperty().bind(model.rawModeProperty().not());
        rows.managedProperty().bind(rows.visibleProperty());
        model.clauses().addListener((ListChangeListener<ExpressionBuilderModel.ClauseRow>) c -> rebuildRows(prefix));
        rebuildRows(prefix);
        tree.setId(prefix + "-tree");
        tree.setPrefHeight(80);
        tree.setMinHeight(60);
        tree.setShowRoot(true);
        showTree(model.shownProperty().get());
        model.shownProperty().addListener((obs, old, now) -> showTree(now));
        root.getChildren().addAll(bar, rows, rawText, tree);
        root.getStyleClass().add("expression-builder");
    }

    private void rebuildRows(String prefix) {
        rows.getChildren().clear();
        if (model.clauses().isEmpty()) {
            Label none = new Label("No clause: always true ({}). Add a clause to narrow it.");
            none.getStyleClass().add("hint");
            rows.getChildren().add(none);
        }
        int i = 0;
        for (ExpressionBuilderModel.ClauseRow row : model.clauses()) {
            ComboBox<String> lhs = new ComboBox<>(expansions);
            lhs.setEditable(true);
            lhs.setPromptText("expansion or field");
            lhs.setPrefWidth(230);
            lhs.setMinWidth(110);
            lhs.getEditor().textProperty().bindBidirectional(row.lhs);
            lhs.setId(prefix + "-lhs-" + i);
            List<String> ops = new ArrayList<>();
            ops.add("");
            ops.addAll(Expressions.OPERATORS);
            ComboBox<String> op = new ComboBox<>(FXCollections.observableArrayList(ops));
            op.setEditable(true);
            op.setPromptText("equals");
            op.setPrefWidth(100);
            op.setMinWidth(80);
            op.getEditor().textProperty().bindBidirectional(row.op);
            op.setId(prefix + "-op-" + i);
            TextField value = new TextField();
            value.setPromptText("value: %%user.id, text, 3, true, %function isOwner(%%root, %%user.id)");
            value.textProperty().bindBidirectional(row.value);
            value.setId(prefix + "-value-" + i);
            HBox.setHgrow(value, Priority.ALWAYS);
            Button remove = new Button("×");
            remove.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            remove.setOnAction(e -> model.clauses().remove(row));
            rows.getChildren().add(new HBox(6, lhs, op, value, remove));
            i++;
        }
    }

    private void showTree(Expression e) {
        tree.setRoot(item(e));
        expandAll(tree.getRoot());
    }

    private static void expandAll(TreeItem<String> item) {
        item.setExpanded(true);
        item.getChildren().forEach(ExpressionBuilderView::expandAll);
    }

    static TreeItem<String> item(Expression e) {
        return switch (e) {
            case Expression.Always a -> new TreeItem<>("always ({})");
            case Expression.Literal l -> new TreeItem<>(Boolean.toString(l.value()));
            case Expression.Compare c -> {
                Expression.FunctionCall f = c.function();
                String value = f != null ? "%function " + f.name() + "(" + String.join(", ", f.arguments().stream().map(JsonValues::text).toList()) + ")"
                        : JsonValues.text(c.value());
                yield new TreeItem<>(c.lhs() + " " + (c.op() == null ? "=" : c.op()) + " " + value);
            }
            case Expression.And and -> branch(and.implicit() ? "all of" : "%and", and.parts());
            case Expression.Or or -> branch("%or", or.parts());
            case Expression.Not not -> branch("%not", List.of(not.operand()));
            case Expression.Raw raw -> new TreeItem<>("raw JSON " + raw.json());
        };
    }

    private static TreeItem<String> branch(String label, List<Expression> parts) {
        TreeItem<String> t = new TreeItem<>(label);
        parts.forEach(p -> t.getChildren().add(item(p)));
        return t;
    }

    public Node node() {
        return root;
    }
}
