package dev.thimble.workbench.editors.code;

import javafx.application.Platform;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import org.fxmisc.richtext.CodeArea;

import java.util.Optional;

/**
 * Completion in a code area: Ctrl+Space, or typing {@code .} or an opening quote, shows what
 * {@link Completions} offers at the caret in a small menu; Enter or a click inserts the choice in
 * place of the typed prefix, Escape closes it.
 */
public final class CompletionPopup {
    private static final KeyCombination SHOW = new KeyCodeCombination(KeyCode.SPACE, KeyCombination.SHORTCUT_DOWN);
    private final CodeArea area;
    private final Completions completions;
    private final ContextMenu menu = new ContextMenu();

    private CompletionPopup(CodeArea area, Completions completions) {
        this.area = area;
        this.completions = completions;
        menu.getStyleClass().add("completion-menu");
        // the menu takes the keyboard while it shows: what the user goes on typing still goes into the code
        menu.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            String c = e.getCharacter();
            if (!c.isEmpty() && c.charAt(0) >= ' ' && c.charAt(0) != 127) {
                area.insertText(area.getCaretPosition(), c);
                e.consume();
                Platform.runLater(this::showIfAny);
            }
        });
        menu.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.BACK_SPACE) {
                area.deletePreviousChar();
                e.consume();
                Platform.runLater(this::showIfAny);
            }
        });
        area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (SHOW.match(e)) {
                show();
                e.consume();
            }
        });
        area.addEventHandler(KeyEvent.KEY_TYPED, e -> {
            String c = e.getCharacter();
            if (".".equals(c) || "\"".equals(c) || "'".equals(c)) {
                Platform.runLater(this::showIfAny);
            } else if (menu.isShowing()) {
                Platform.runLater(this::showIfAny);
            }
        });
    }

    /** Adds completion to {@code area}. */
    public static CompletionPopup install(CodeArea area, Completions completions) {
        return new CompletionPopup(area, completions);
    }

    private void showIfAny() {
        Completions.Proposal p = completions.at(area.getText(), area.getCaretPosition());
        if (p.candidates().isEmpty()) {
            menu.hide();
        } else {
            show(p);
        }
    }

    /** Shows the candidates at the caret (or hides the menu when there are none). */
    public void show() {
        showIfAny();
    }

    private void show(Completions.Proposal p) {
        menu.getItems().clear();
        for (String candidate : p.candidates().stream().limit(30).toList()) {
            Label label = new Label(candidate);
            label.getStyleClass().add("completion-item");
            CustomMenuItem item = new CustomMenuItem(label, true);
            item.setOnAction(e -> insert(p, candidate));
            menu.getItems().add(item);
        }
        Optional<javafx.geometry.Bounds> caret = area.getCaretBounds();
        if (caret.isPresent()) {
            menu.show(area, caret.get().getMinX(), caret.get().getMaxY());
        } else {
            menu.show(area, javafx.geometry.Side.BOTTOM, 0, 0);
        }
        if (!menu.getItems().isEmpty()) {
            // focus the first entry, so Enter takes it
            Platform.runLater(() -> {
                var skin = menu.getSkin();
                if (skin != null && skin.getNode() instanceof javafx.scene.Parent parent) {
                    parent.lookupAll(".menu-item").stream().findFirst().ifPresent(javafx.scene.Node::requestFocus);
                }
            });
        }
    }

    private void insert(Completions.Proposal p, String candidate) {
        int caret = area.getCaretPosition();
        area.replaceText(p.replaceFrom(), caret, candidate);
        menu.hide();
    }

    /** The candidates menu (tests read and click it). */
    public ContextMenu menu() {
        return menu;
    }
}
