package dev.thimble.runtime.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The test bundles under {@code src/test/resources/bundles/}, and helpers to look at written trees. */
final class Fixtures {
    private Fixtures() {
    }

    static Path bundle(String name) {
        URL url = Fixtures.class.getResource("/bundles/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test bundle " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a fixture and fails when reading it gave no app. */
    static LoadResult read(String name) {
        LoadResult result = AppBundles.read(bundle(name));
        if (result.app() == null) {
            throw new AssertionError("reading " + name + " gave no app: " + result.problems());
        }
        return result;
    }

    /** Each problem as "SEVERITY file [field]", in reported order: where problems are, without their wording. */
    static List<String> where(LoadResult result) {
        return result.problems().stream()
                .map(p -> p.severity() + " " + p.file() + " [" + p.field() + "]")
                .toList();
    }

    /** Every file of a tree, by {@code /}-separated relative path, as bytes. */
    static SortedMap<String, byte[]> tree(Path root) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                List<String> parts = new ArrayList<>();
                root.relativize(p).forEach(part -> parts.add(part.toString()));
                files.put(String.join("/", parts), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of a fixture in {@code into}, to change before reading. */
    static Path copy(String name, Path into) {
        Path source = bundle(name);
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : walk.toList()) {
                Path target = into.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into;
    }
}
