package dev.thimble.workbench.editors.code;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.IndexRange;
import javafx.scene.paint.Color;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A RichTextFX code area with line numbers, syntax colours, the current line highlighted, the
 * bracket pair at the caret highlighted, and one error mark: a wavy underline at the error's line and
 * column plus a marker in the gutter. The mark stays at its line and column while the user types, until
 * the next parse replaces it, so it does not flicker on every keystroke.
 */
public final class CodeEditor {
    static final String ERROR_STYLE = "parse-error";
    static final String BRACKET_MATCH_STYLE = "bracket-match";

    private final CodeArea area = new CodeArea();
    private final VirtualizedScrollPane<CodeArea> scroll = new VirtualizedScrollPane<>(area);
    private final Highlighter highlighter;
    private final ObjectProperty<Mark> mark = new SimpleObjectProperty<>(this, "mark");
    private final javafx.collections.ObservableSet<Integer> breakpointLines = javafx.collections.FXCollections.observableSet();
    private final javafx.beans.property.IntegerProperty executionLine = new javafx.beans.property.SimpleIntegerProperty(this, "executionLine", 0);
    private java.util.function.IntConsumer onGutterClick = line -> { };
    private StyleSpans<Collection<String>> tokens;
    private String tokensFor = "";
    private Optional<BracketMatcher.Pair> brackets = Optional.empty();
    private boolean updatingFromModel;

    public CodeEditor(Highlighter highlighter) {
        this.highlighter = highlighter;
        area.getStyleClass().add("code-editor");
        scroll.getStyleClass().add("code-editor-scroll");
        area.setParagraphGraphicFactory(new Gutter(mark, breakpointLines, executionLine, line -> onGutterClick.accept(line)));
        // a translucent grey reads on both themes; RichTextFX offers no CSS hook for this fill
        area.setLineHighlighterFill(Color.rgb(128, 128, 128, 0.13));
        area.setLineHighlighterOn(true);
        area.textProperty().addListener((obs, old, now) -> restyle());
        area.caretPositionProperty().addListener((obs, old, now) -> {
            Optional<BracketMatcher.Pair> pair = BracketMatcher.at(area.getText(), now);
            if (!pair.equals(brackets)) {
                brackets = pair;
                restyle();
            }
        });
        mark.addListener((obs, old, now) -> restyle());
        // the paused line gets a band of its own, stronger than the caret line's
        executionLine.addListener((obs, old, now) -> {
            markParagraph(old.intValue(), java.util.List.of());
            markParagraph(now.intValue(), java.util.List.of("execution-line"));
        });
        // the debug dock opens when a function pauses and shrinks the editor: keep the paused line in view,
        // with lines above and below it, whenever the editor's height changes
        area.heightProperty().addListener((obs, old, now) -> {
            if (executionLine.get() > 0) {
                centerLine(executionLine.get());
            }
        });
    }

    private void markParagraph(int line, Collection<String> style) {
        if (line >= 1 && line <= area.getParagraphs().size()) {
            area.setParagraphStyle(line - 1, style);
        }
    }

    /** Shows {@code text} and keeps it in step with what the user types (undo starts from here). */
    public void bind(StringProperty text) {
        setTextFromModel(text.get());
        area.getUndoManager().forgetHistory();
        area.textProperty().addListener((obs, old, now) -> {
            if (!updatingFromModel) {
                text.set(now);
            }
        });
        text.addListener((obs, old, now) -> {
            if (!now.equals(area.getText())) {
                setTextFromModel(now);
            }
        });
    }

    private void setTextFromModel(String text) {
        updatingFromModel = true;
        try {
            area.replaceText(text);
            area.moveTo(0);
        } finally {
            updatingFromModel = false;
        }
    }

    /** Points at an error (or clears the mark with null). */
    public void setMark(Mark newMark) {
        mark.set(newMark);
    }

    public ReadOnlyObjectProperty<Mark> markProperty() {
        return mark;
    }

    /** Moves the caret to the start of a 1-based line and scrolls it into view. */
    public void revealLine(int line) {
        int paragraph = Math.max(0, Math.min(line - 1, area.getParagraphs().size() - 1));
        area.moveTo(paragraph, 0);
        area.requestFollowCaret();
        centerLine(line);
        // an editor that has just opened has no viewport yet: centre again once it is laid out
        javafx.application.Platform.runLater(() -> centerLine(line));
        area.requestFocus();
    }

    /** Scrolls so the 1-based line stands in the middle: the lines around it (the context) show too. */
    private void centerLine(int line) {
        if (area.getParagraphs().isEmpty()) {
            return;
        }
        int paragraph = Math.max(0, Math.min(line - 1, area.getParagraphs().size() - 1));
        area.layout();
        area.showParagraphAtCenter(paragraph);
    }

    /** The 1-based lines that show a breakpoint dot in the gutter (the debugger keeps them in step). */
    public javafx.collections.ObservableSet<Integer> breakpointLines() {
        return breakpointLines;
    }

    /** The 1-based line a paused function stands on, marked with an arrow in the gutter; 0 for none. */
    public javafx.beans.property.IntegerProperty executionLineProperty() {
        return executionLine;
    }

    /** Called with the 1-based line when the gutter is clicked (a debugger toggles a breakpoint there). */
    public void setOnGutterClick(java.util.function.IntConsumer action) {
        onGutterClick = action == null ? line -> { } : action;
    }

    /** The characters the error mark underlines, if any. */
    public Optional<IndexRange> markedRange() {
        Mark m = mark.get();
        if (m == null || area.getParagraphs().isEmpty()) {
            return Optional.empty();
        }
        int paragraph = Math.min(m.line() - 1, area.getParagraphs().size() - 1);
        if (paragraph < 0) {
            return Optional.empty();
        }
        String line = area.getParagraph(paragraph).getText();
        int lineStart = area.getAbsolutePosition(paragraph, 0);
        int start;
        int end;
        if (m.column() > 0 && m.column() - 1 < line.length()) {
            start = m.column() - 1;
            end = start;
            while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_' || line.charAt(end) == '$')) {
                end++;
            }
            if (end == start) {
                end = start + 1; // a punctuation character: underline just it
            }
        } else {
            start = line.length() - line.stripLeading().length();
            end = line.stripTrailing().length();
        }
        return end > start ? Optional.of(new IndexRange(lineStart + start, lineStart + end)) : Optional.empty();
    }

    private void restyle() {
        String text = area.getText();
        if (tokens == null || !tokensFor.equals(text)) {
            tokens = highlighter.highlight(text);
            tokensFor = text;
        }
        StyleSpans<Collection<String>> spans = tokens;
        Optional<IndexRange> marked = markedRange();
        if (marked.isPresent()) {
            spans = spans.overlay(single(text.length(), marked.get().getStart(), marked.get().getEnd(), ERROR_STYLE), CodeEditor::union);
        }
        if (brackets.isPresent() && brackets.get().close() < text.length()) {
            BracketMatcher.Pair pair = brackets.get();
            spans = spans.overlay(single(text.length(), pair.open(), pair.open() + 1, BRACKET_MATCH_STYLE), CodeEditor::union);
            spans = spans.overlay(single(text.length(), pair.close(), pair.close() + 1, BRACKET_MATCH_STYLE), CodeEditor::union);
        }
        if (text.isEmpty()) {
            return;
        }
        area.setStyleSpans(0, spans);
    }

    private static StyleSpans<Collection<String>> single(int length, int start, int end, String styleClass) {
        StyleSpansBuilder<Collection<String>> builder = new StyleSpansBuilder<>();
        builder.add(List.of(), start);
        builder.add(List.of(styleClass), end - start);
        builder.add(List.of(), length - end);
        return builder.create();
    }

    private static Collection<String> union(Collection<String> a, Collection<String> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The node to put in a layout (the area in a scroll pane). */
    public Node node() {
        return scroll;
    }

    public CodeArea area() {
        return area;
    }
}
