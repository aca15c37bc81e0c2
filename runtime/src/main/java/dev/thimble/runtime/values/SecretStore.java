package dev.thimble.runtime.values;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The local secret values of one app: a JSON file outside the bundle, readable only by its owner
 * (0600 in a 0700 directory). Bundles name secrets; their values live only here, so an export or a
 * commit of the bundle can never carry them. Writes replace the file atomically.
 */
public final class SecretStore {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path file;

    public SecretStore(Path file) {
        this.file = file;
    }

    /** The store of one app: {@code <thimble home>/apps/<clientAppId>/secrets.json}. */
    public static SecretStore forApp(String clientAppId) {
        return new SecretStore(ThimbleHome.appDirectory(clientAppId).resolve("secrets.json"));
    }

    public Path file() {
        return file;
    }

    public synchronized SortedSet<String> names() {
        return new TreeSet<>(readAll().keySet());
    }

    public synchronized Optional<String> get(String name) {
        return Optional.ofNullable(readAll().get(name));
    }

    /** Every secret value, for the runtime (values with {@code from_secret}, secret_config). */
    public synchronized Map<String, String> all() {
        return Map.copyOf(readAll());
    }

    public synchronized void set(String name, String value) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A secret needs a name.");
        }
        SortedMap<String, String> secrets = readAll();
        secrets.put(name, value);
        writeAll(secrets);
    }

    /** Removes a secret; returns false when there was none of that name. */
    public synchronized boolean delete(String name) {
        SortedMap<String, String> secrets = readAll();
        if (secrets.remove(name) == null) {
            return false;
        }
        writeAll(secrets);
        return true;
    }

    private SortedMap<String, String> readAll() {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(MAPPER.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("The secret store " + file + " cannot be read (" + e.getMessage()
                    + "). Fix or delete the file, then set the secrets again.", e);
        }
    }

    private void writeAll(SortedMap<String, String> secrets) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.setPosixFilePermissions(dir, OWNER_DIR);
            }
            Path temp = Files.createTempFile(dir, ".secrets", ".tmp");
            if (posix) {
                Files.setPosixFilePermissions(temp, OWNER_FILE);
            }
            MAPPER.writeValue(temp.toFile(), secrets);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the secret store " + file + ": " + e.getMessage(), e);
        }
    }
}
