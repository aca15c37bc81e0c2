package dev.thimble.runtime.data;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Where Thimble keeps things on this machine: {@code $THIMBLE_HOME}, taken from the system
 * property {@code thimble.home}, else the environment variable {@code THIMBLE_HOME}, else
 * {@code ~/.thimble}.
 */
public final class DataDirectories {

    public static final String HOME_PROPERTY = "thimble.home";
    public static final String HOME_VARIABLE = "THIMBLE_HOME";

    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private DataDirectories() {
    }

    /** The Thimble home directory. */
    public static Path home() {
        return home(System::getProperty, System::getenv);
    }

    /** The embedded database's data directory of one app: {@code $THIMBLE_HOME/apps/<clientAppId>/data}. */
    public static Path forApp(String clientAppId) {
        return forApp(home(), clientAppId);
    }

    static Path forApp(Path home, String clientAppId) {
        Objects.requireNonNull(clientAppId, "clientAppId");
        if (!SAFE_NAME.matcher(clientAppId).matches() || clientAppId.contains("..")) {
            throw new IllegalArgumentException("The client app id '" + clientAppId + "' cannot name a data directory:"
                    + " use letters, digits, '.', '_' and '-' only, starting with a letter or digit.");
        }
        return home.resolve("apps").resolve(clientAppId).resolve("data");
    }

    static Path home(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String configured = properties.apply(HOME_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = environment.apply(HOME_VARIABLE);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return Path.of(properties.apply("user.home"), ".thimble").toAbsolutePath().normalize();
    }

    /**
     * Creates {@code directory} (and missing parents) and makes it readable, writable and listable
     * by its owner only (700), also when it existed: it holds a database that has no authentication
     * of its own. A no-op for permissions on file systems without POSIX permissions.
     */
    public static Path ownerOnlyDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (POSIX) {
            Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
        }
        return directory;
    }

    /** Creates {@code file} empty if missing and makes it readable and writable by its owner only (600). */
    public static Path ownerOnlyFile(Path file) throws IOException {
        if (POSIX) {
            if (Files.notExists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            }
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
        return file;
    }
}
