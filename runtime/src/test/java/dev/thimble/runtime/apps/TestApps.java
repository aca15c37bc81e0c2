package dev.thimble.runtime.apps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the example apps, so no test ever writes into examples/. */
final class TestApps {
    static final Path TODO = Path.of("../examples/todo").toAbsolutePath().normalize();

    private TestApps() {
    }

    static final Path CLINIC = Path.of("../examples/clinic").toAbsolutePath().normalize();

    /** A fresh copy of examples/todo inside {@code parent}. */
    static Path copyOfTodo(Path parent) {
        return copy(TODO, parent.resolve("todo"));
    }

    /** A fresh copy of the bundle {@code example} at {@code target}. */
    static Path copy(Path example, Path target) {
        try (Stream<Path> files = Files.walk(example)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(example.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
