package dev.thimble.runtime.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A read-only listing of an app's function dependencies as they stand on this machine: what
 * {@code functions/package.json} asks for, what its lock file pins, and what is installed where
 * {@link FunctionModules#locate} finds the packages. Nothing is fetched, unpacked or written, so the
 * workbench can show it at any time and after an install.
 */
public final class FunctionDependencies {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether functions can {@code require} a package now. */
    public enum Status {
        /** Present in the folder functions load packages from. */
        INSTALLED,
        /** Pinned by the lock file (or in an archive) but not installed or unpacked yet: an install fixes it. */
        MISSING,
        /** Kept in package.json but never served: a development dependency, or one no lock file pins. */
        NOT_SERVED
    }

    /**
     * One package.
     *
     * @param wanted    the range package.json asks for, or null for a package only found installed
     * @param locked    the version the lock file pins, or null
     * @param installed the installed version, or null
     * @param note      why the status is what it is, for a person
     */
    public record Dependency(String name, String wanted, String locked, String installed, Status status, String note) {
    }

    /**
     * @param origin       where the packages come from ({@code functions/package-lock.json}, an archive, the folder), or null
     * @param installable  whether {@link FunctionModules#prepare} has something to install or unpack
     * @param warnings     what a person should know (e.g. a package.json without a lock file)
     */
    public record Listing(List<Dependency> dependencies, String origin, boolean installable, List<String> warnings) {
        public long count(Status status) {
            return dependencies.stream().filter(d -> d.status() == status).count();
        }
    }

    private FunctionDependencies() {
    }

    /** Lists the function dependencies of the bundle at {@code bundleDir}, with {@code cacheDir} the app's module cache. */
    public static Listing list(Path bundleDir, Path cacheDir) throws IOException {
        Path functions = bundleDir.resolve("functions");
        FunctionModules.Prepared located = FunctionModules.locate(bundleDir, cacheDir);
        Map<String, String> wanted = new LinkedHashMap<>();
        Map<String, String> dev = new LinkedHashMap<>();
        Path packageJson = functions.resolve("package.json");
        if (Files.isRegularFile(packageJson)) {
            JsonNode pkg;
            try {
                pkg = JSON.readTree(Files.readString(packageJson));
            } catch (IOException e) {
                throw new IOException("functions/package.json is not valid JSON: " + e.getMessage(), e);
            }
            fields(pkg.path("dependencies"), wanted);
            fields(pkg.path("optionalDependencies"), wanted);
            fields(pkg.path("devDependencies"), dev);
        }
        Path lock = lockFile(functions);
        Map<String, String> locked = new LinkedHashMap<>();
        if (lock != null) {
            for (NpmLockfile.Entry entry : NpmLockfile.read(lock).entries()) {
                if (entry.location().equals("node_modules/" + entry.name())) {
                    locked.put(entry.name(), entry.version());
                }
            }
        }
        boolean archive = FunctionModules.ARCHIVES.stream().anyMatch(name -> Files.isRegularFile(functions.resolve(name)));
        Path modules = located.root() == null ? null : located.root().resolve("node_modules");

        List<Dependency> out = new ArrayList<>();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String name = e.getKey();
            String installed = installedVersion(modules, name);
            String pin = locked.get(name);
            if (installed != null) {
                out.add(new Dependency(name, e.getValue(), pin, installed, Status.INSTALLED, "from " + located.origin()));
            } else if (pin != null || archive) {
                out.add(new Dependency(name, e.getValue(), pin, null, Status.MISSING, "not installed yet: Install fetches it"));
            } else {
                out.add(new Dependency(name, e.getValue(), null, null, Status.NOT_SERVED, lock == null
                        ? "no lock file pins it: run `npm install --package-lock-only` in the functions folder"
                        : "the lock file does not pin it: re-create it with `npm install --package-lock-only`"));
            }
        }
        for (Map.Entry<String, String> e : dev.entrySet()) {
            if (!wanted.containsKey(e.getKey())) {
                out.add(new Dependency(e.getKey(), e.getValue(), null, null, Status.NOT_SERVED, "a development dependency: functions never load it"));
            }
        }
        // packages carried in a node_modules folder or archive that package.json does not name still load
        for (String name : topLevelPackages(modules)) {
            if (!wanted.containsKey(name) && !dev.containsKey(name)) {
                out.add(new Dependency(name, null, locked.get(name), installedVersion(modules, name), Status.INSTALLED,
                        "from " + located.origin() + " (not named in package.json)"));
            }
        }
        boolean installable = located.root() == null && (archive || lock != null && !locked.isEmpty());
        return new Listing(List.copyOf(out), located.origin() != null ? located.origin()
                : archive ? "functions/" + FunctionModules.ARCHIVES.stream().filter(n -> Files.isRegularFile(functions.resolve(n))).findFirst().orElseThrow()
                : lock != null ? "functions/" + lock.getFileName() : null,
                // "serve installs it when it starts" is what MISSING and an install already say
                installable, installable ? List.of() : located.warnings());
    }

    private static Path lockFile(Path functions) {
        if (!Files.isRegularFile(functions.resolve("package.json"))) {
            return null;
        }
        for (String name : List.of("npm-shrinkwrap.json", "package-lock.json")) {
            if (Files.isRegularFile(functions.resolve(name))) {
                return functions.resolve(name);
            }
        }
        return null;
    }

    private static void fields(JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                into.put(e.getKey(), e.getValue().asText(""));
            }
        }
    }

    private static String installedVersion(Path modules, String name) {
        if (modules == null) {
            return null;
        }
        Path dir = modules.resolve(name).normalize();
        if (!dir.startsWith(modules) || !Files.isDirectory(dir)) {
            return null;
        }
        try {
            Path pkg = dir.resolve("package.json");
            return Files.isRegularFile(pkg) ? JSON.readTree(Files.readString(pkg)).path("version").asText("?") : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    /** The packages directly under node_modules ({@code name} and {@code @scope/name}), sorted. */
    private static List<String> topLevelPackages(Path modules) throws IOException {
        if (modules == null || !Files.isDirectory(modules)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> children = Files.list(modules)) {
            for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (name.startsWith("@")) {
                    try (Stream<Path> scoped = Files.list(child)) {
                        scoped.filter(Files::isDirectory).sorted().forEach(p -> names.add(name + "/" + p.getFileName()));
                    }
                } else {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
