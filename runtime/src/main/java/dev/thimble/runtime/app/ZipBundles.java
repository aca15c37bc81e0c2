package dev.thimble.runtime.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Zipped bundles: unpacking an exported zip safely (no entry may land outside the target, and
 * size is bounded against zip bombs) and finding the bundle in it (at the zip root or in one
 * top-level folder); packing rendered files deterministically (sorted entries, fixed timestamps).
 */
final class ZipBundles {
    static final long MAX_TOTAL_BYTES = 1L << 30;
    static final int MAX_ENTRIES = 100_000;
    /** DOS time starts in 1980; a fixed time makes two zips of one model identical. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private ZipBundles() {
    }

    /**
     * Unpacks {@code zip} into {@code into}; entries that would escape it are skipped with an error.
     * Returns false (with an error) when the zip cannot be read or is too large.
     */
    static boolean extract(Path zip, Path into, List<Problem> problems) {
        Path target = into.toAbsolutePath().normalize();
        long total = 0;
        int count = 0;
        try (ZipFile file = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName().replace('\\', '/');
                if (++count > MAX_ENTRIES) {
                    problems.add(Problem.error("", "", zip + " has more than " + MAX_ENTRIES + " entries; not imported"));
                    return false;
                }
                Path out = target.resolve(name).normalize();
                if (escapes(name) || !out.startsWith(target)) {
                    problems.add(Problem.error(name, "", "the zip entry points outside the bundle directory (zip slip); skipped"));
                    continue;
                }
                if (out.equals(target)) {
                    continue; // an entry for the root folder itself ("./")
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry); OutputStream os = Files.newOutputStream(out)) {
                    byte[] buffer = new byte[8192];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        total += n;
                        if (total > MAX_TOTAL_BYTES) {
                            problems.add(Problem.error("", "", zip + " unpacks to more than " + (MAX_TOTAL_BYTES >> 20) + " MiB; not imported"));
                            return false;
                        }
                        os.write(buffer, 0, n);
                    }
                }
            }
            return true;
        } catch (IOException e) {
            problems.add(Problem.error("", "", "cannot read " + zip + " as a zip archive: " + e.getMessage()));
            return false;
        }
    }

    private static boolean escapes(String name) {
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            return true;
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** The bundle directory inside an unpacked zip: the root itself, or its single top-level folder. */
    static Optional<Path> bundleRoot(Path unpacked) throws IOException {
        if (LayoutDetector.detect(unpacked).isPresent()) {
            return Optional.of(unpacked);
        }
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> list = Files.list(unpacked)) {
            list.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().equals("__MACOSX"))
                    .forEach(folders::add);
        }
        if (folders.size() == 1 && LayoutDetector.detect(folders.getFirst()).isPresent()) {
            return Optional.of(folders.getFirst());
        }
        return Optional.empty();
    }

    /** Packs rendered files at the zip root, in path order, with a fixed timestamp. */
    static void write(SortedMap<String, byte[]> files, Path zip) throws IOException {
        Path parent = zip.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setTimeLocal(FIXED_TIME);
                out.putNextEntry(entry);
                out.write(file.getValue());
                out.closeEntry();
            }
        }
    }
}
