package dev.thimble.runtime.npm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.functions.FunctionRequires;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The functions' dependencies on {@code thimble import}: what the export carries (a
 * {@code functions/node_modules} folder or archive, {@code package.json} and its lock file) comes along
 * into the new bundle; for an export that carries none, the packages the functions require are proposed
 * in a new {@code functions/package.json}, each pinned to the registry's current version, for the user to
 * lock ({@code npm install --package-lock-only}) or edit.
 */
public final class ImportedDependencies {
    static final List<String> CARRIED = List.of("package.json", "package-lock.json", "npm-shrinkwrap.json",
            "node_modules.zip", "node_modules.tar", "node_modules.tar.gz", "node_modules.tgz");

    private ImportedDependencies() {
    }

    /** Looks a package's current version up (the registry in production, a map in tests). */
    public interface Versions {
        String latest(String name) throws IOException;
    }

    /**
     * Copies the export's dependency files from {@code sourceDir}'s {@code functions/} into {@code bundleDir}'s,
     * then proposes a package.json when there is nothing; answers what it did, one line each.
     */
    public static List<String> bring(Path sourceDir, Path bundleDir, AppModel app, Versions versions) throws IOException {
        List<String> said = new ArrayList<>();
        Path from = functionsFolder(sourceDir);
        Path to = bundleDir.resolve("functions");
        if (from != null) {
            for (String name : CARRIED) {
                Path file = from.resolve(name);
                if (Files.isRegularFile(file) && !Files.exists(to.resolve(name))) {
                    Files.createDirectories(to);
                    Files.copy(file, to.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                    said.add("Kept functions/" + name + " from the export.");
                }
            }
            if (Files.isDirectory(from.resolve("node_modules")) && !Files.exists(to.resolve("node_modules"))) {
                copyTree(from.resolve("node_modules"), to.resolve("node_modules"));
                said.add("Kept functions/node_modules from the export.");
            }
        }
        boolean hasAny = Files.isDirectory(to.resolve("node_modules")) || CARRIED.stream().anyMatch(n -> Files.isRegularFile(to.resolve(n)));
        SortedSet<String> required = FunctionRequires.packagesRequired(app);
        if (hasAny || required.isEmpty()) {
            return said;
        }
        Map<String, String> pinned = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String name : required) {
            try {
                pinned.put(name, versions.latest(name));
            } catch (IOException e) {
                unknown.add(name + " (" + e.getMessage() + ")");
            }
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode pkg = json.createObjectNode();
        pkg.put("name", app.name().isBlank() ? "functions" : app.name().replaceAll("[^A-Za-z0-9._-]", "-").toLowerCase() + "-functions");
        pkg.put("private", true);
        pkg.put("description", "Proposed by thimble import from the packages the functions require; pinned to the registry's latest"
                + " version on import. Check each version against what the app used, then run npm install --package-lock-only here.");
        ObjectNode deps = pkg.putObject("dependencies");
        pinned.forEach(deps::put);
        Files.createDirectories(to);
        Files.writeString(to.resolve("package.json"), json.writeValueAsString(pkg) + "\n");
        said.add("The functions require " + required.size() + " npm package(s) the export did not carry: proposed functions/package.json with "
                + String.join(", ", pinned.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())
                + (unknown.isEmpty() ? "" : "; not pinned: " + String.join(", ", unknown))
                + ". Check the versions, then run `npm install --package-lock-only` in functions/ so serve can install them.");
        return said;
    }

    /** The export's functions folder: {@code functions/} at its root (every supported layout keeps it there), or null. */
    private static Path functionsFolder(Path sourceDir) {
        if (sourceDir == null || !Files.isDirectory(sourceDir)) {
            return null;
        }
        Path functions = sourceDir.resolve("functions");
        return Files.isDirectory(functions) ? functions : null;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
