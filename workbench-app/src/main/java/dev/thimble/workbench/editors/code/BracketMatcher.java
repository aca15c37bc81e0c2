package dev.thimble.workbench.editors.code;

import java.util.Optional;

/**
 * Finds the bracket that matches the one at (or just before) the caret, counting nesting. It does
 * not skip brackets inside strings or comments: cheap, and right for all but odd code.
 */
public final class BracketMatcher {
    private static final String OPEN = "([{";
    private static final String CLOSE = ")]}";

    /** Two offsets of matching brackets. */
    public record Pair(int open, int close) {
    }

    private BracketMatcher() {
    }

    /** The pair around the caret: the bracket after the caret wins, else the one before it. */
    public static Optional<Pair> at(String text, int caret) {
        Optional<Pair> after = caret < text.length() ? from(text, caret) : Optional.empty();
        if (after.isPresent()) {
            return after;
        }
        return caret > 0 ? from(text, caret - 1) : Optional.empty();
    }

    private static Optional<Pair> from(String text, int index) {
        char c = text.charAt(index);
        int open = OPEN.indexOf(c);
        if (open >= 0) {
            return scan(text, index, 1, c, CLOSE.charAt(open)).map(other -> new Pair(index, other));
        }
        int close = CLOSE.indexOf(c);
        if (close >= 0) {
            return scan(text, index, -1, c, OPEN.charAt(close)).map(other -> new Pair(other, index));
        }
        return Optional.empty();
    }

    private static Optional<Integer> scan(String text, int from, int step, char same, char match) {
        int depth = 0;
        for (int i = from + step; i >= 0 && i < text.length(); i += step) {
            char c = text.charAt(i);
            if (c == same) {
                depth++;
            } else if (c == match) {
                if (depth == 0) {
                    return Optional.of(i);
                }
                depth--;
            }
        }
        return Optional.empty();
    }
}
