package dev.thimble.ruledesigner.ui;

import javafx.scene.text.Font;
import javafx.scene.text.Text;

/** A table column's least width: its header text in the default font, plus the header's padding. */
final class ColumnFit {
    private ColumnFit() {
    }

    static double width(String header) {
        Text text = new Text(header);
        text.setFont(Font.getDefault());
        return Math.ceil(text.getLayoutBounds().getWidth() + 24);
    }
}
