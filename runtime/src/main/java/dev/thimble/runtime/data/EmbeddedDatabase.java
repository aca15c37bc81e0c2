package dev.thimble.runtime.data;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.thimble.runtime.changes.ChangeEventSource;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The in-process MongoDB-compatible server on the loopback interface, with the driver client that talks to it. */
final class EmbeddedDatabase implements Database {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    static final String DATA_FILE = "db.mv";
    private static final String LOOPBACK = "127.0.0.1";

    private final Path dataDirectory;
    private final MongoServer server;
    private final MongoClient client;
    private final EmbeddedLimits limits;
    private final EmbeddedChangeLog changes;
    private final String connectionString;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(Path dataDirectory, MongoServer server, MongoClient client, EmbeddedLimits limits,
                             EmbeddedChangeLog changes, String connectionString) {
        this.dataDirectory = dataDirectory;
        this.server = server;
        this.client = client;
        this.limits = limits;
        this.changes = changes;
        this.connectionString = connectionString;
    }

    static EmbeddedDatabase start(DatabaseSettings.Embedded settings) {
        long started = System.nanoTime();
        Path directory = settings.dataDirectory().toAbsolutePath().normalize();
        Path file = directory.resolve(DATA_FILE);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DatabaseUnavailableException("Cannot create the data directory " + directory + ": " + e
                    + ". Check its permissions or choose another data directory.", e);
        }
        MVStore store = openStore(file);
        EmbeddedLimits limits = new EmbeddedLimits();
        DurableH2Backend backend = null;
        MongoServer server;
        try {
            backend = new DurableH2Backend(store, limits);
            server = new MongoServer(backend);
            server.enableOplog();
        } catch (RuntimeException e) {
            if (backend != null) {
                backend.close();
            }
            store.close();
            throw new DatabaseUnavailableException("Cannot open the embedded database in " + file + ": " + e.getMessage(), e);
        }
        InetSocketAddress address;
        try {
            server.bind(LOOPBACK, settings.port());
            address = server.getLocalAddress();
        } catch (Exception e) { // netty rethrows the checked BindException undeclared
            server.shutdownNow();
            store.close();
            throw new DatabaseUnavailableException("Cannot start the embedded database on " + LOOPBACK + ":"
                    + settings.port() + ": " + e.getMessage() + ". Choose another port, or 0 for any free one.", e);
        }
        String uri = "mongodb://" + LOOPBACK + ":" + address.getPort();
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applicationName("thimble")
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build());
        EmbeddedDatabase database = new EmbeddedDatabase(directory, server, client, limits, backend.changes(), uri);
        try {
            // Opens the first pooled connection now rather than on the first request.
            client.getDatabase("admin").runCommand(new Document("ping", 1));
        } catch (RuntimeException e) {
            database.close();
            throw new DatabaseUnavailableException("The embedded database at " + uri + " does not answer: " + e.getMessage(), e);
        }
        log.info("Database: {} (started in {} ms)", database.describe(), (System.nanoTime() - started) / 1_000_000);
        return database;
    }

    private static MVStore openStore(Path file) {
        try {
            // No background writer: DurableH2Backend does every write to the file itself.
            return new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new DatabaseUnavailableException("The data file " + file + " is in use by another process"
                        + " (or another open Database in this one). Stop the other Thimble instance or choose"
                        + " another data directory.", e);
            }
            throw new DatabaseUnavailableException("Cannot open the data file " + file + ": " + e.getMessage()
                    + ". If it is damaged, move it away and restore it from a backup.", e);
        }
    }

    @Override
    public MongoClient client() {
        return client;
    }

    @Override
    public Kind kind() {
        return Kind.EMBEDDED;
    }

    @Override
    public String describe() {
        return "embedded MongoDB-compatible server (H2) at " + connectionString + ", data in " + dataDirectory;
    }

    @Override
    public String connectionString() {
        return connectionString;
    }

    @Override
    public List<DatabaseWarning> warnings() {
        return limits.warnings();
    }

    @Override
    public ChangeEventSource changeEvents() {
        return changes;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            changes.close();
            try {
                client.close();
            } finally {
                // Stops listening, lets the event loops close the remaining connections, then
                // closes the backend, which closes the file and releases its lock.
                server.shutdown();
            }
            log.debug("Database closed: {}", describe());
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
