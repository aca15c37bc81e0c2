package dev.thimble.runtime.npm;

import dev.thimble.runtime.app.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds or prepares the folder whose {@code node_modules} an app's functions {@code require} from, in
 * the order the App Services CLI looked for dependencies: the bundle's own
 * {@code functions/node_modules/} folder; else a {@code functions/node_modules.(zip|tar|tar.gz|tgz)}
 * archive, unpacked into the app's module cache; else {@code functions/package.json} with its lock
 * file, installed from the npm registry into that cache (decision 0018). Cache folders are named by
 * the hash of the archive or lock file, so an unchanged app reuses its install and a changed one
 * never sees a half-written folder.
 */
public final class FunctionModules {
    static final List<String> ARCHIVES = List.of("node_modules.zip", "node_modules.tar", "node_modules.tar.gz", "node_modules.tgz");
    static final String COMPLETE = ".thimble-complete";

    /**
     * @param root     the folder holding {@code node_modules} (the engine's read-only view), or null when the app has no packages
     * @param origin   where they came from, for messages ({@code functions/node_modules}, the archive, the lock file)
     * @param warnings what the user should know (e.g. a package.json without a lock file)
     */
    public record Prepared(Path root, String origin, List<String> warnings) {
        static Prepared none(List<String> warnings) {
            return new Prepared(null, null, List.copyOf(warnings));
        }
    }

    private FunctionModules() {
    }

    /** Where {@code serve} keeps an app's unpacked and installed packages. */
    public static Path cacheFor(Path thimbleHome, String clientAppId) {
        String safe = clientAppId == null || clientAppId.isBlank() || !clientAppId.matches("[A-Za-z0-9][A-Za-z0-9._-]*") ? "_unnamed" : clientAppId;
        return thimbleHome.resolve("apps").resolve(safe).resolve("function-modules");
    }

    /**
     * The packages of the bundle at {@code bundleDir} as far as they are on this machine now, without
     * unpacking or installing anything (for {@code validate}): the root, or null with a warning saying
     * what {@code serve} will do.
     */
    public static Prepared locate(Path bundleDir, Path cacheDir) throws IOException {
        Path functions = bundleDir.resolve("functions");
        if (Files.isDirectory(functions.resolve("node_modules"))) {
            return new Prepared(functions, "functions/node_modules", List.of());
        }
        for (String name : ARCHIVES) {
            Path archive = functions.resolve(name);
            if (Files.isRegularFile(archive)) {
                Path root = cacheDir.resolve("archive-" + sha256(archive).substring(0, 32));
                return Files.exists(root.resolve(COMPLETE)) ? new Prepared(root, "functions/" + name, List.of())
                        : Prepared.none(List.of("thimble serve unpacks functions/" + name + " when it starts"));
            }
        }
        for (String name : List.of("npm-shrinkwrap.json", "package-lock.json")) {
            Path lock = functions.resolve(name);
            if (Files.isRegularFile(lock) && Files.isRegularFile(functions.resolve("package.json"))) {
                Path root = cacheDir.resolve("lock-" + sha256(lock).substring(0, 32));
                return Files.exists(root.resolve(COMPLETE)) ? new Prepared(root, "functions/" + name, List.of())
                        : Prepared.none(List.of("thimble serve installs functions/" + name + " from the npm registry when it starts"));
            }
        }
        if (Files.isRegularFile(functions.resolve("package.json")) && declaresDependencies(functions.resolve("package.json"))) {
            return Prepared.none(List.of("functions/package.json has no package-lock.json: run `npm install --package-lock-only` in the functions folder"));
        }
        return Prepared.none(List.of());
    }

    /**
     * Prepares the packages of the bundle at {@code bundleDir}.
     *
     * @throws IOException when an archive cannot be unpacked or an install fails (integrity mismatch,
     *                     registry unreachable); nothing half-installed is left behind
     */
    public static Prepared prepare(Path bundleDir, Path cacheDir, NpmInstaller installer, Consumer<String> progress) throws IOException {
        Path functions = bundleDir.resolve("functions");
        List<String> warnings = new ArrayList<>();
        if (Files.isDirectory(functions.resolve("node_modules"))) {
            return new Prepared(functions, "functions/node_modules", List.of());
        }
        for (String name : ARCHIVES) {
            Path archive = functions.resolve(name);
            if (Files.isRegularFile(archive)) {
                Path root = cacheDir.resolve("archive-" + sha256(archive).substring(0, 32));
                if (!Files.exists(root.resolve(COMPLETE))) {
                    progress.accept("unpacking functions/" + name);
                    build(root, staging -> Archives.unpack(archive, staging, FunctionModules::underNodeModules));
                }
                return new Prepared(root, "functions/" + name, List.of());
            }
        }
        Path packageJson = functions.resolve("package.json");
        if (!Files.isRegularFile(packageJson)) {
            return Prepared.none(warnings);
        }
        Path lock = Files.isRegularFile(functions.resolve("npm-shrinkwrap.json")) ? functions.resolve("npm-shrinkwrap.json")
                : functions.resolve("package-lock.json");
        if (!Files.isRegularFile(lock)) {
            if (declaresDependencies(packageJson)) {
                warnings.add("functions/package.json has no package-lock.json: Thimble installs only versions a lock file pins"
                        + " (run `npm install --package-lock-only` in the functions folder); require() of its packages will fail until then");
            }
            return Prepared.none(warnings);
        }
        NpmLockfile lockfile = NpmLockfile.read(lock);
        if (lockfile.entries().isEmpty()) {
            return Prepared.none(warnings);
        }
        Path root = cacheDir.resolve("lock-" + sha256(lock).substring(0, 32));
        if (!Files.exists(root.resolve(COMPLETE))) {
            progress.accept("installing " + lockfile.entries().size() + " npm packages from functions/" + lock.getFileName());
            build(root, staging -> installer.install(lockfile, staging, progress));
        }
        return new Prepared(root, "functions/" + lock.getFileName(), List.copyOf(warnings));
    }

    private interface Filler {
        void fill(Path staging) throws IOException;
    }

    /** Fills a staging folder and moves it into place only when complete. */
    private static void build(Path root, Filler filler) throws IOException {
        Files.createDirectories(root.getParent());
        Path staging = Files.createTempDirectory(root.getParent(), root.getFileName() + ".partial-");
        try {
            filler.fill(staging);
            Files.writeString(staging.resolve(COMPLETE), "");
            try {
                Files.move(staging, root, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.exists(root.resolve(COMPLETE))) {
                    throw e;
                }
                // another server process finished the same install first: theirs is identical
            }
        } finally {
            FileTrees.delete(staging);
        }
    }

    private static String underNodeModules(String entry) {
        String path = entry.startsWith("./") ? entry.substring(2) : entry;
        if (path.isEmpty() || path.startsWith("__MACOSX/")) {
            return null;
        }
        return path.startsWith("node_modules/") ? path : "node_modules/" + path;
    }

    private static boolean declaresDependencies(Path packageJson) throws IOException {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(packageJson));
        return node.path("dependencies").isObject() && !node.path("dependencies").isEmpty();
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
