package dev.thimble.workbench.editors.code;

import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.IntFunction;

/**
 * The left margin of a code editor: an error marker (shown on the marked line, with the message as
 * tooltip) and the line number. RichTextFX asks for one per visible paragraph and discards them as
 * they scroll away, so each observes the mark only while it is in a scene (no listener leak).
 */
final class Gutter implements IntFunction<Node> {
    private final ObservableValue<Mark> mark;

    Gutter(ObservableValue<Mark> mark) {
        this.mark = mark;
    }

    @Override
    public Node apply(int paragraph) {
        Label number = new Label(Integer.toString(paragraph + 1));
        number.getStyleClass().add("line-number");
        number.setAlignment(Pos.CENTER_RIGHT);

        FontIcon marker = new FontIcon(Feather.ALERT_CIRCLE);
        marker.getStyleClass().add("gutter-error");
        HBox box = new HBox(marker, number);
        box.getStyleClass().add("gutter");
        box.setAlignment(Pos.CENTER_LEFT);

        ObservableValue<Mark> markWhileShown = mark.when(box.sceneProperty().isNotNull());
        ObservableValue<Boolean> onThisLine = markWhileShown.map(m -> m.line() - 1 == paragraph).orElse(false);
        marker.visibleProperty().bind(onThisLine);
        Tooltip tooltip = new Tooltip();
        tooltip.textProperty().bind(markWhileShown.map(Mark::message).orElse(""));
        Tooltip.install(marker, tooltip);
        return box;
    }
}
