package dev.thimble.runtime.app;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Puts rendered bundle files into a directory. The directory must be new, empty (a lone
 * {@code .git} counts as empty) or hold a bundle; a bundle's old files are deleted first so
 * removed entities disappear, except {@code .git} and binary files, which the model cannot hold
 * and so cannot write back (hosting images, node_modules archives).
 */
final class BundleDirectory {
    private BundleDirectory() {
    }

    static void write(SortedMap<String, byte[]> files, Path dir) throws IOException {
        prepare(dir);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            if (!target.normalize().startsWith(dir.normalize())) {
                throw new IOException("refusing to write " + file.getKey() + " outside " + dir);
            }
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
    }

    private static void prepare(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot write the app to " + dir + ": it is not a directory");
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.filter(p -> !p.getFileName().toString().equals(".git")).toList();
        }
        if (entries.isEmpty()) {
            return;
        }
        if (LayoutDetector.detect(dir).isEmpty()) {
            throw new IOException("refusing to write the app to " + dir + ": the directory is not empty and holds no app bundle (no "
                    + LayoutDetector.LOOKED_FOR + "); choose an empty or new directory");
        }
        clear(dir);
    }

    /** Deletes the old bundle's text files and the folders left empty; keeps .git and binary files. */
    private static void clear(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.getFileName() != null && d.getFileName().toString().equals(".git") && !d.equals(dir)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getFileName().toString().equals(".git")) {
                    return FileVisitResult.CONTINUE; // a worktree's .git is a file
                }
                if (attrs.isSymbolicLink() || BundleReadContext.decode(Files.readAllBytes(file)).isPresent()) {
                    Files.delete(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                if (!d.equals(dir)) {
                    try (Stream<Path> rest = Files.list(d)) {
                        if (rest.findAny().isEmpty()) {
                            Files.delete(d);
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
