package dev.thimble.runtime.apps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Searches the app bundle on disk, as saved: every function source and JSON file (values, rules,
 * triggers, services, config), line by line, case-insensitively. Blocking; no JavaFX.
 */
public final class AppSearch {
    /** The most hits one search returns. */
    public static final int MAX_HITS = 500;

    private AppSearch() {
    }

    /**
     * One line that contains the text.
     *
     * @param file   bundle-relative, with {@code /}
     * @param line   1-based
     * @param column 1-based, where the text starts
     */
    public record Hit(String file, int line, int column, String text) {
    }

    /** The hits for {@code text} in the bundle at {@code directory}, by file then line; nothing for blank text. */
    public static List<Hit> search(Path directory, String text) {
        String needle = text == null ? "" : text.toLowerCase(Locale.ROOT);
        List<Hit> hits = new ArrayList<>();
        if (needle.isBlank()) {
            return hits;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).filter(AppSearch::searched).sorted().toList()) {
                String relative = directory.relativize(file).toString().replace('\\', '/');
                List<String> lines;
                try {
                    lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                } catch (MalformedInputException e) {
                    continue; // not text
                }
                for (int i = 0; i < lines.size() && hits.size() < MAX_HITS; i++) {
                    int at = lines.get(i).toLowerCase(Locale.ROOT).indexOf(needle);
                    if (at >= 0) {
                        hits.add(new Hit(relative, i + 1, at + 1, lines.get(i).strip()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not search " + directory + ": " + e.getMessage(), e);
        }
        return hits;
    }

    private static boolean searched(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".js") || name.endsWith(".json")) && !file.toString().contains("/node_modules/")
                && !file.toString().contains("/.git/");
    }
}
