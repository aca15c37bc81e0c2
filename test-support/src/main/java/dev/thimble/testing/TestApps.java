package dev.thimble.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the example apps in {@code examples/}, so no test ever writes into them. */
public final class TestApps {
    /** {@code examples/todo}, found from the module's directory (tests run in a module of the repo). */
    public static final Path TODO = example("todo");
    public static final Path CLINIC = example("clinic");

    private TestApps() {
    }

    /** A fresh copy of examples/todo at {@code parent/todo}. */
    public static Path copyOfTodo(Path parent) {
        return copy(TODO, parent.resolve("todo"));
    }

    /** A fresh copy of examples/clinic at {@code parent/clinic}. */
    public static Path copyOfClinic(Path parent) {
        return copy(CLINIC, parent.resolve("clinic"));
    }

    /** A fresh copy of the bundle folder {@code example} at {@code target}. */
    public static Path copy(Path example, Path target) {
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

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path example(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples").resolve(name);
            if (Files.isDirectory(candidate)) {
                return candidate.normalize();
            }
        }
        return Path.of("../examples", name).toAbsolutePath().normalize();
    }
}
