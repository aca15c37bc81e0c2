package dev.thimble.workbench.editors.code;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableIntegerValue;
import javafx.beans.value.ObservableValue;
import javafx.collections.ObservableSet;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * The left margin of a code editor: an error marker (shown on the marked line, with the message as
 * tooltip), a breakpoint dot, the debugger's current-line arrow, and the line number; a click
 * toggles the line's breakpoint. RichTextFX asks for one per visible paragraph and discards them as
 * they scroll away, so each observes the mark only while it is in a scene (no listener leak).
 */
final class Gutter implements IntFunction<Node> {
    private final ObservableValue<Mark> mark;
    private final ObservableSet<Integer> breakpoints;
    private final ObservableIntegerValue executionLine;
    private final IntConsumer onClick;

    Gutter(ObservableValue<Mark> mark, ObservableSet<Integer> breakpoints, ObservableIntegerValue executionLine, IntConsumer onClick) {
        this.mark = mark;
        this.breakpoints = breakpoints;
        this.executionLine = executionLine;
        this.onClick = onClick;
    }

    @Override
    public Node apply(int paragraph) {
        Label number = new Label(Integer.toString(paragraph + 1));
        number.getStyleClass().add("line-number");
        number.setAlignment(Pos.CENTER_RIGHT);

        FontIcon marker = new FontIcon(Feather.ALERT_CIRCLE);
        marker.getStyleClass().add("gutter-error");
        // a filled dot, as breakpoints look in IntelliJ (Feather has only the outline)
        javafx.scene.shape.Circle breakpoint = new javafx.scene.shape.Circle(5);
        breakpoint.getStyleClass().add("gutter-breakpoint");
        FontIcon current = new FontIcon(Feather.ARROW_RIGHT);
        current.getStyleClass().add("gutter-execution-line");
        HBox box = new HBox(marker, breakpoint, current, number);
        box.getStyleClass().add("gutter");
        box.setAlignment(Pos.CENTER_LEFT);

        ObservableValue<Mark> markWhileShown = mark.when(box.sceneProperty().isNotNull());
        ObservableValue<Boolean> onThisLine = markWhileShown.map(m -> m.line() - 1 == paragraph).orElse(false);
        marker.visibleProperty().bind(onThisLine);
        Tooltip tooltip = new Tooltip();
        tooltip.textProperty().bind(markWhileShown.map(Mark::message).orElse(""));
        Tooltip.install(marker, tooltip);
        // the bindings hold the set and the line weakly, so discarded gutters are collected
        int line = paragraph + 1;
        breakpoint.visibleProperty().bind(Bindings.createBooleanBinding(() -> breakpoints.contains(line), breakpoints));
        current.visibleProperty().bind(Bindings.createBooleanBinding(() -> executionLine.get() == line, executionLine));
        box.setOnMouseClicked(e -> onClick.accept(line));
        return box;
    }
}
