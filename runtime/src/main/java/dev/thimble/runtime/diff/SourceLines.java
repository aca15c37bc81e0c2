package dev.thimble.runtime.diff;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How much a source file changed, in lines added and removed (a longest-common-subsequence count). */
final class SourceLines {
    /** Above this many line pairs the count is taken from line multisets instead (fast, close enough). */
    private static final long EXACT_LIMIT = 4_000_000L;

    private SourceLines() {
    }

    /** E.g. "3 lines added, 1 removed"; "line endings only" when only those differ. */
    static String summary(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        int common = common(a, b);
        int added = b.size() - common;
        int removed = a.size() - common;
        if (added == 0 && removed == 0) {
            return "line endings only";
        }
        return plural(added, "line") + " added, " + removed + " removed";
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static int common(List<String> a, List<String> b) {
        if ((long) a.size() * b.size() > EXACT_LIMIT) {
            Map<String, Integer> counts = new HashMap<>();
            a.forEach(line -> counts.merge(line, 1, Integer::sum));
            int common = 0;
            for (String line : b) {
                Integer left = counts.get(line);
                if (left != null && left > 0) {
                    counts.put(line, left - 1);
                    common++;
                }
            }
            return common;
        }
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = a.get(i - 1).equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
