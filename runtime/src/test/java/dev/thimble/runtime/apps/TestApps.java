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

    /** A fresh copy of examples/todo inside {@code parent}. */
    static Path copyOfTodo(Path parent) {
        Path target = parent.resolve("todo");
        try (Stream<Path> files = Files.walk(TODO)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(TODO.relativize(source).toString());
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
