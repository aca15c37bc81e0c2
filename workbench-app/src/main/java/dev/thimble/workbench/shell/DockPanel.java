package dev.thimble.workbench.shell;

import atlantafx.base.theme.Styles;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;

/**
 * The layout the dock's table panels share (Dependencies, Schedule): a tool bar of small buttons and
 * a summary over a table on the left, a titled list of what happened on the right.
 */
public final class DockPanel {
    private DockPanel() {
    }

    /** A small tool-bar button that never shrinks below its text ("Se…"). */
    public static Button button(String text, String id, Feather icon, Runnable action) {
        Button button = new Button(text, new FontIcon(icon));
        button.setId(id);
        button.getStyleClass().add(Styles.SMALL);
        button.setMinWidth(Region.USE_PREF_SIZE);
        button.setOnAction(e -> action.run());
        return button;
    }

    /** The tool bar's summary: the one label that gives way when the panel is narrow. */
    public static Label summary(String id, ObservableValue<String> text) {
        Label summary = new Label();
        summary.setId(id);
        summary.getStyleClass().add("pane-summary");
        summary.textProperty().bind(text);
        summary.setMinWidth(0);
        return summary;
    }

    /**
     * The panel: {@code tools} in a row over {@code between} (e.g. an error line; may be empty) over
     * {@code table}, beside {@code sideTitle} over {@code side}; the divider at {@code divider}.
     */
    public static SplitPane of(String id, List<Node> tools, List<Node> between, TableView<?> table,
                               String sideTitle, Region side, double divider) {
        HBox bar = new HBox(6);
        bar.getChildren().setAll(tools);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 6, 4, 6));
        VBox left = new VBox(bar);
        left.getChildren().addAll(between);
        left.getChildren().add(table);
        VBox.setVgrow(table, Priority.ALWAYS);

        Label title = new Label(sideTitle);
        title.getStyleClass().add("field-label");
        VBox right = new VBox(4, title, side);
        right.setPadding(new Insets(4, 6, 4, 6));
        VBox.setVgrow(side, Priority.ALWAYS);

        SplitPane root = new SplitPane(left, right);
        root.setId(id);
        root.setDividerPositions(divider);
        return root;
    }
}
