package dev.thimble.workbench.editors.code;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import org.fxmisc.richtext.CodeArea;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.OptionalInt;

/**
 * Find and replace above a code area: Ctrl+F (Ctrl+R for replace) opens it with the selection as the
 * text to find, Enter finds the next match (Shift+Enter the previous), Escape closes it and returns to the code.
 */
public final class FindReplaceBar {
    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination REPLACE = new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN);
    private final CodeArea area;
    private final HBox root = new HBox(6);
    private final TextField find = new TextField();
    private final TextField replace = new TextField();
    private final Label count = new Label();

    public FindReplaceBar(CodeArea area) {
        this.area = area;
        root.getStyleClass().add("find-bar");
        root.setAlignment(Pos.CENTER_LEFT);
        root.setPadding(new Insets(4, 8, 4, 8));
        find.setId("find-text");
        find.setPromptText("Find");
        find.setPrefWidth(200);
        find.getStyleClass().add(Styles.SMALL);
        replace.setId("replace-text");
        replace.setPromptText("Replace with");
        replace.setPrefWidth(180);
        replace.getStyleClass().add(Styles.SMALL);
        count.getStyleClass().add("pane-summary");
        count.setId("find-count");
        Button previous = button(Feather.ARROW_UP, "Previous match (Shift+Enter)", this::previous);
        Button next = button(Feather.ARROW_DOWN, "Next match (Enter)", this::next);
        Button one = new Button("Replace");
        one.setId("replace-one");
        one.getStyleClass().add(Styles.SMALL);
        one.setOnAction(e -> replaceOne());
        Button all = new Button("All");
        all.setId("replace-all");
        all.getStyleClass().add(Styles.SMALL);
        all.setTooltip(new Tooltip("Replace every match"));
        all.setOnAction(e -> replaceAll());
        Button close = button(Feather.X, "Close (Escape)", this::hide);
        root.getChildren().addAll(find, previous, next, count, replace, one, all, close);
        root.setVisible(false);
        root.managedProperty().bind(root.visibleProperty());

        find.textProperty().addListener((obs, old, now) -> {
            updateCount();
            OptionalInt at = TextSearch.next(area.getText(), now, area.getSelection().getStart());
            at.ifPresent(this::select);
        });
        find.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                if (e.isShiftDown()) {
                    previous();
                } else {
                    next();
                }
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                hide();
                e.consume();
            }
        });
        replace.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                replaceOne();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                hide();
                e.consume();
            }
        });
        area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (FIND.match(e) || REPLACE.match(e)) {
                show(REPLACE.match(e));
                e.consume();
            }
        });
    }

    /** Opens the bar with the selected text (if any) to find. */
    public void show(boolean replacing) {
        String selected = area.getSelectedText();
        if (!selected.isEmpty() && !selected.contains("\n")) {
            find.setText(selected);
        }
        root.setVisible(true);
        (replacing ? replace : find).requestFocus();
        find.selectAll();
        updateCount();
    }

    public void hide() {
        root.setVisible(false);
        area.requestFocus();
    }

    public void next() {
        TextSearch.next(area.getText(), find.getText(), area.getSelection().getEnd()).ifPresent(this::select);
    }

    public void previous() {
        TextSearch.previous(area.getText(), find.getText(), area.getSelection().getStart()).ifPresent(this::select);
    }

    /** Replaces the selected match (when the selection is one) and selects the next. */
    public void replaceOne() {
        String needle = find.getText();
        if (!needle.isEmpty() && area.getSelectedText().equalsIgnoreCase(needle)) {
            int start = area.getSelection().getStart();
            area.replaceText(start, area.getSelection().getEnd(), replace.getText());
            area.moveTo(start + replace.getText().length());
        }
        next();
        updateCount();
    }

    public void replaceAll() {
        String before = area.getText();
        String after = TextSearch.replaceAll(before, find.getText(), replace.getText());
        if (!after.equals(before)) {
            int caret = Math.min(area.getCaretPosition(), after.length());
            area.replaceText(after);
            area.moveTo(caret);
        }
        updateCount();
    }

    private void select(int at) {
        area.selectRange(at, at + find.getText().length());
        area.requestFollowCaret();
    }

    private void updateCount() {
        int n = TextSearch.count(area.getText(), find.getText());
        count.setText(find.getText().isEmpty() ? "" : n == 0 ? "no matches" : n == 1 ? "1 match" : n + " matches");
    }

    private static Button button(Feather icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.getStyleClass().addAll("flat", Styles.SMALL);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    public TextField findField() {
        return find;
    }

    public TextField replaceField() {
        return replace;
    }

    public Node node() {
        return root;
    }
}
