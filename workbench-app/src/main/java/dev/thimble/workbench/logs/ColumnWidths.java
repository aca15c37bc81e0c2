package dev.thimble.workbench.logs;

import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Widths for table columns measured from the text they hold, so a column is as wide as its widest
 * value in the font the table uses (a five-digit duration fits; nothing is cut to "1…"), plus the
 * cell's padding and a little air.
 */
final class ColumnWidths {
    /** The cell's left and right padding and the header's sort-arrow room. */
    private static final double PADDING = 22;

    private ColumnWidths() {
    }

    /** The width of the widest of {@code samples} in the default font (the tables use it), padded. */
    static double of(String... samples) {
        double widest = 0;
        Font font = Font.getDefault();
        for (String sample : samples) {
            Text text = new Text(sample);
            text.setFont(font);
            widest = Math.max(widest, text.getLayoutBounds().getWidth());
        }
        return Math.ceil(widest + PADDING);
    }
}
