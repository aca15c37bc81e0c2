package dev.thimble.runtime.sync;

import dev.thimble.runtime.AppHost;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sync tests' shared start-up: before the class, a sync test app served on a free loopback port
 * over a fresh embedded database in a folder of its own; after it, the server closed and the folder
 * removed. Register it as a static field:
 * {@code @RegisterExtension static final SyncServer SERVER = new SyncServer();}.
 */
final class SyncServer implements BeforeAllCallback, AfterAllCallback {
    private final Path bundle;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Path temp;
    private AppHost host;

    /** The flexible-sync test app ({@link SyncApps#BUNDLE}). */
    SyncServer() {
        this(SyncApps.BUNDLE);
    }

    SyncServer(Path bundle) {
        this.bundle = bundle;
    }

    /**
     * A system property set while the app starts (its sync reads it then) and cleared right after, so
     * other hosts in the same test JVM keep the default.
     */
    SyncServer withStartProperty(String key, String value) {
        properties.put(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        temp = Files.createTempDirectory("thimble-sync-test");
        properties.forEach(System::setProperty);
        try {
            host = SyncApps.serve(temp, bundle);
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            host = null;
            delete(temp);
        }
    }

    /** The served app (between beforeAll and afterAll). */
    AppHost host() {
        return host;
    }

    /** A folder of the class's own beside the database, for the clients' realm files. */
    Path temp() {
        return temp;
    }

    private static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
