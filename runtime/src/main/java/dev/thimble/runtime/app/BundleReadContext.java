package dev.thimble.runtime.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * One read of one bundle directory: its files (by bundle-relative path, {@code /}-separated), the
 * problems found so far, where each entity came from, and which files a reader has consumed. Every
 * file no reader consumed ends up in {@link AppModel#otherFiles()}. Reading never throws for bad
 * content: a file that cannot be read or parsed becomes an error naming it.
 */
final class BundleReadContext {
    /** Never read: the bundle's version control, and Finder litter. */
    private static final Set<String> IGNORED_NAMES = Set.of(".git", ".DS_Store", "__MACOSX");

    private final Path root;
    private final SortedSet<String> files;
    private final Set<String> directories;
    private final Set<String> consumed = new HashSet<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, String> origins = new HashMap<>();

    private BundleReadContext(Path root, SortedSet<String> files, Set<String> directories) {
        this.root = root;
        this.files = files;
        this.directories = directories;
    }

    /** Lists the bundle's files; symbolic links are skipped with a warning (a bundle is plain files). */
    static BundleReadContext open(Path root) throws IOException {
        SortedSet<String> files = new TreeSet<>();
        Set<String> directories = new HashSet<>();
        List<String> links = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                if (IGNORED_NAMES.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                directories.add(relative(root, dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (IGNORED_NAMES.contains(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    links.add(relative(root, file));
                } else if (attrs.isRegularFile()) {
                    files.add(relative(root, file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        BundleReadContext ctx = new BundleReadContext(root, files, directories);
        links.forEach(l -> ctx.warning(l, "", "symbolic link skipped; a bundle holds plain files only"));
        return ctx;
    }

    private static String relative(Path root, Path p) {
        List<String> parts = new ArrayList<>();
        root.relativize(p).forEach(part -> parts.add(part.toString()));
        return String.join("/", parts);
    }

    /** Joins a field path: {@code path("[2]", "name")} is {@code [2].name}. */
    static String path(String prefix, String field) {
        if (prefix.isEmpty()) {
            return field;
        }
        return field.startsWith("[") ? prefix + field : prefix + "." + field;
    }

    // ---- problems and origins ----------------------------------------------------------------

    void error(String file, String field, String reason) {
        problems.add(Problem.error(file, field, reason));
    }

    void warning(String file, String field, String reason) {
        problems.add(Problem.warning(file, field, reason));
    }

    List<Problem> problems() {
        return problems;
    }

    void origin(String key, String file) {
        origins.put(key, file);
    }

    Map<String, String> origins() {
        return origins;
    }

    // ---- the tree ------------------------------------------------------------------------------

    boolean isFile(String rel) {
        return files.contains(rel);
    }

    /** The names of the immediate subdirectories of {@code dir}, sorted. */
    List<String> subdirectories(String dir) {
        String prefix = dir + "/";
        return directories.stream()
                .filter(d -> d.startsWith(prefix) && d.indexOf('/', prefix.length()) < 0)
                .map(d -> d.substring(prefix.length()))
                .sorted()
                .toList();
    }

    /** The bundle-relative paths of the files directly in {@code dir} whose name ends with {@code suffix}, sorted. */
    List<String> filesIn(String dir, String suffix) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        return files.stream()
                .filter(f -> f.startsWith(prefix) && f.indexOf('/', prefix.length()) < 0 && f.endsWith(suffix))
                .toList();
    }

    /** Every file below {@code dir}, at any depth, sorted. */
    List<String> filesUnder(String dir) {
        String prefix = dir + "/";
        return files.stream().filter(f -> f.startsWith(prefix)).toList();
    }

    boolean isConsumed(String rel) {
        return consumed.contains(rel);
    }

    void consume(String rel) {
        consumed.add(rel);
    }

    /** Marks every file below {@code dir} as consumed: a skipped entity takes its folder with it. */
    void consumeTree(String dir) {
        consumed.addAll(filesUnder(dir));
    }

    // ---- reading -------------------------------------------------------------------------------

    /** The file as text, or empty (and an error) when it is unreadable or not UTF-8. Consumes it. */
    Optional<String> readText(String rel) {
        consume(rel);
        try {
            byte[] bytes = Files.readAllBytes(resolve(rel));
            Optional<String> text = decode(bytes);
            if (text.isEmpty()) {
                error(rel, "", "not UTF-8 text; save the file as UTF-8");
            }
            return text;
        } catch (IOException e) {
            error(rel, "", "cannot read the file: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The file parsed as JSON, or empty (and an error naming line and column) when it is not valid JSON. Consumes it. */
    Optional<JsonNode> readJson(String rel) {
        Optional<String> text = readText(rel);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String content = text.get().startsWith("\uFEFF") ? text.get().substring(1) : text.get();
        if (content.isBlank()) {
            error(rel, "", "the file is empty; it must hold JSON");
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readTree(content));
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            error(rel, "", "not valid JSON" + where + ": " + e.getOriginalMessage() + "; fix the syntax");
            return Optional.empty();
        }
    }

    Optional<ObjectNode> readObject(String rel) {
        return readJson(rel).flatMap(node -> {
            if (node instanceof ObjectNode object) {
                return Optional.of(object);
            }
            error(rel, "", "expected a JSON object, found " + EntityKind.describe(node));
            return Optional.empty();
        });
    }

    Optional<ArrayNode> readArray(String rel) {
        return readJson(rel).flatMap(node -> {
            if (node instanceof ArrayNode array) {
                return Optional.of(array);
            }
            error(rel, "", "expected a JSON array, found " + EntityKind.describe(node));
            return Optional.empty();
        });
    }

    /**
     * Every file no reader consumed, as text, under the path {@code mapPath} gives it. Binary files
     * (not UTF-8, or holding NUL bytes, e.g. node_modules archives and images) cannot be held in the
     * model: they are left out with a warning, and the writer leaves them in place when it replaces
     * this bundle.
     */
    SortedMap<String, String> otherFiles(UnaryOperator<String> mapPath) {
        SortedMap<String, String> other = new TreeMap<>();
        for (String rel : files) {
            if (consumed.contains(rel)) {
                continue;
            }
            try {
                Optional<String> text = decode(Files.readAllBytes(resolve(rel)));
                if (text.isEmpty()) {
                    warning(rel, "", "binary file not kept in the app model: an import copies it as it is and Thimble leaves it in place, but exports do not include it");
                    continue;
                }
                String target = mapPath.apply(rel);
                if (other.containsKey(target)) {
                    target = rel;
                }
                other.put(target, text.get());
            } catch (IOException e) {
                error(rel, "", "cannot read the file: " + e.getMessage());
            }
        }
        return other;
    }

    /** The bundle-relative paths of the files that are not text (images, archives): the model cannot hold them. */
    List<String> binaryFiles() {
        List<String> binary = new ArrayList<>();
        for (String rel : files) {
            try {
                if (decode(Files.readAllBytes(resolve(rel))).isEmpty()) {
                    binary.add(rel);
                }
            } catch (IOException e) {
                // unreadable: reading the bundle reported it
            }
        }
        return binary;
    }

    private Path resolve(String rel) {
        return root.resolve(rel.replace('/', root.getFileSystem().getSeparator().charAt(0)));
    }

    /** The bytes as UTF-8 text, or empty when they are binary (malformed UTF-8 or a NUL byte). */
    static Optional<String> decode(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
