package dev.thimble.workbench.editors.code;

import java.util.Locale;
import java.util.OptionalInt;

/** Finding and replacing plain text in an editor's content, case-insensitively, wrapping around at the end. No JavaFX. */
public final class TextSearch {
    private TextSearch() {
    }

    /** The start of the next occurrence of {@code needle} at or after {@code from}, wrapping to the top. */
    public static OptionalInt next(String text, String needle, int from) {
        if (needle.isEmpty()) {
            return OptionalInt.empty();
        }
        String hay = text.toLowerCase(Locale.ROOT);
        String n = needle.toLowerCase(Locale.ROOT);
        int at = hay.indexOf(n, Math.max(0, Math.min(from, hay.length())));
        if (at < 0) {
            at = hay.indexOf(n);
        }
        return at < 0 ? OptionalInt.empty() : OptionalInt.of(at);
    }

    /** The start of the occurrence before {@code before}, wrapping to the bottom. */
    public static OptionalInt previous(String text, String needle, int before) {
        if (needle.isEmpty()) {
            return OptionalInt.empty();
        }
        String hay = text.toLowerCase(Locale.ROOT);
        String n = needle.toLowerCase(Locale.ROOT);
        int at = before <= 0 ? -1 : hay.lastIndexOf(n, before - 1);
        if (at < 0) {
            at = hay.lastIndexOf(n);
        }
        return at < 0 ? OptionalInt.empty() : OptionalInt.of(at);
    }

    public static int count(String text, String needle) {
        if (needle.isEmpty()) {
            return 0;
        }
        String hay = text.toLowerCase(Locale.ROOT);
        String n = needle.toLowerCase(Locale.ROOT);
        int count = 0;
        for (int at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + n.length())) {
            count++;
        }
        return count;
    }

    /** {@code text} with every occurrence of {@code needle} replaced by {@code replacement}. */
    public static String replaceAll(String text, String needle, String replacement) {
        if (needle.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        String hay = text.toLowerCase(Locale.ROOT);
        String n = needle.toLowerCase(Locale.ROOT);
        int last = 0;
        for (int at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + n.length())) {
            out.append(text, last, at).append(replacement);
            last = at + n.length();
        }
        return out.append(text.substring(last)).toString();
    }
}
