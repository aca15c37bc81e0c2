package dev.thimble.workbench.navigation;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * IntelliJ/VS Code-style fuzzy matching: the query's characters must appear in order (case-insensitive);
 * consecutive runs, matches at the start or at word starts (after {@code / . _ -} or a lower-to-upper
 * change) score higher, and shorter candidates win ties.
 */
public final class FuzzyMatch {
    private FuzzyMatch() {
    }

    /** The score of {@code candidate} for {@code query} (higher is better), or empty when it does not match. */
    public static OptionalInt score(String query, String candidate) {
        String q = query.strip().toLowerCase(Locale.ROOT);
        if (q.isEmpty()) {
            return OptionalInt.of(0);
        }
        String lower = candidate.toLowerCase(Locale.ROOT);
        int score = 0;
        int from = 0;
        int previous = -2;
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == ' ') {
                continue;
            }
            int at = bestPosition(lower, candidate, c, from, previous);
            if (at < 0) {
                return OptionalInt.empty();
            }
            score += 1;
            if (at == previous + 1) {
                score += 5;
            }
            if (at == 0) {
                score += 8;
            } else if (isWordStart(candidate, at)) {
                score += 6;
            }
            previous = at;
            from = at + 1;
        }
        if (lower.contains(q)) {
            score += 10;
        }
        return OptionalInt.of(score * 100 - Math.min(candidate.length(), 99));
    }

    /** The next occurrence of c, preferring one that continues the run or starts a word. */
    private static int bestPosition(String lower, String original, char c, int from, int previous) {
        int first = lower.indexOf(c, from);
        if (first < 0 || first == previous + 1 || isWordStart(original, first)) {
            return first;
        }
        for (int i = first + 1; i < lower.length(); i++) {
            if (lower.charAt(i) == c && isWordStart(original, i)) {
                return i;
            }
        }
        return first;
    }

    private static boolean isWordStart(String s, int i) {
        if (i == 0) {
            return true;
        }
        char before = s.charAt(i - 1);
        char here = s.charAt(i);
        return before == '/' || before == '.' || before == '_' || before == '-' || before == ' ' || before == ':'
                || (Character.isLowerCase(before) && Character.isUpperCase(here));
    }
}
