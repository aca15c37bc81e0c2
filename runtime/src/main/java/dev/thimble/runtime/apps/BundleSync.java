package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FileTrees;
import dev.thimble.runtime.app.WriteOptions;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Saves a model change into a bundle directory by touching only the files the change affects.
 * Both models are rendered with {@link AppBundles#write} into a scratch directory; a file is written
 * when its rendering changed (each one atomically: a temporary file moved over the old one), and
 * deleted when the new model no longer renders it. Everything else stays as it is on disk, so a save
 * leaves a minimal {@code git diff}, keeps hand formatting of untouched files, and an interrupted save
 * never leaves a half-deleted bundle behind (which writing the whole bundle in place could).
 */
final class BundleSync {
    private BundleSync() {
    }

    /** Applies the difference between {@code before} and {@code after} to {@code dir}; returns the paths written or deleted. */
    static List<String> apply(AppModel before, AppModel after, Path dir) throws IOException {
        Path scratch = Files.createTempDirectory("thimble-save-");
        try {
            Map<String, byte[]> old = render(before, scratch.resolve("before"));
            Map<String, byte[]> now = render(after, scratch.resolve("after"));
            List<String> changed = new ArrayList<>();
            for (Map.Entry<String, byte[]> file : now.entrySet()) {
                Path target = inside(dir, file.getKey());
                if (!Arrays.equals(old.get(file.getKey()), file.getValue()) || !Files.exists(target)) {
                    writeAtomically(target, file.getValue());
                    changed.add(file.getKey());
                }
            }
            for (String gone : old.keySet()) {
                if (!now.containsKey(gone)) {
                    Path target = inside(dir, gone);
                    Files.deleteIfExists(target);
                    deleteEmptyParents(target.getParent(), dir);
                    changed.add(gone);
                }
            }
            return changed;
        } finally {
            FileTrees.deleteQuietly(scratch);
        }
    }

    private static Map<String, byte[]> render(AppModel app, Path into) throws IOException {
        AppBundles.write(app, into, WriteOptions.EXPORT);
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(into)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(into.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static Path inside(Path dir, String relative) throws IOException {
        Path target = dir.resolve(relative).normalize();
        if (!target.startsWith(dir.normalize())) {
            throw new IOException("refusing to write " + relative + " outside " + dir);
        }
        return target;
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void deleteEmptyParents(Path folder, Path root) throws IOException {
        Path stop = root.normalize();
        for (Path d = folder.normalize(); d != null && d.startsWith(stop) && !d.equals(stop); d = d.getParent()) {
            try (Stream<Path> rest = Files.list(d)) {
                if (rest.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(d);
        }
    }
}
