package dev.thimble.runtime.data;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.thimble.runtime.changes.ChangeEventSource;
import org.bson.Document;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-process MongoDB-compatible server, with the driver client that talks to it through a Unix
 * domain socket in the owner-only data directory; on a loopback TCP port too only when the settings
 * ask for one (for a second node).
 */
final class EmbeddedDatabase implements Database {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    static final String DATA_FILE = "db.mv";
    static final String SOCKET_FILE = "db.sock";
    /** sun_path holds 108 bytes on Linux, 104 on macOS, including the terminating zero. */
    private static final int MAX_SOCKET_PATH_BYTES = 100;
    private static final String LOOPBACK = "127.0.0.1";

    private final Path dataDirectory;
    private final WireListener listener;
    private final MongoClient client;
    private final EmbeddedLimits limits;
    private final EmbeddedChangeLog changes;
    private final String socketUri;
    private final String tcpUri;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The backend, for the counters that tests of group commit and housekeeping read. */
    private DurableH2Backend backend;
    private EmbeddedCommands commands;

    private EmbeddedDatabase(Path dataDirectory, WireListener listener, MongoClient client, EmbeddedLimits limits,
                             EmbeddedChangeLog changes, String socketUri, String tcpUri) {
        this.dataDirectory = dataDirectory;
        this.listener = listener;
        this.client = client;
        this.limits = limits;
        this.changes = changes;
        this.socketUri = socketUri;
        this.tcpUri = tcpUri;
    }

    /**
     * The library's own oplog ({@code local.oplog.rs}) serves only the driver's {@code watch()} against this
     * server; Thimble's change events come from {@link EmbeddedChangeLog}. Written, it added an insert, two
     * more B-trees to every commit and a second lock shared by all writers, and grew without bound: off unless
     * {@code -Dthimble.db.libraryOplog=true} (decision 0002, issue 18).
     */
    static final boolean LIBRARY_OPLOG = Boolean.getBoolean("thimble.db.libraryOplog");

    /**
     * The MVStore page cache in MB (H2's default is 16). Cached pages hold decoded documents, which take
     * several times their estimate on the heap; the operating system's file cache keeps recently read pages
     * anyway (issue 18, memory: bench/results/serve-memory.md). {@code -Dthimble.db.cacheMb=N} overrides.
     */
    static final int CACHE_MB = Integer.getInteger("thimble.db.cacheMb", 8);

    static EmbeddedDatabase start(DatabaseSettings.Embedded settings) {
        long started = System.nanoTime();
        Path directory = settings.dataDirectory().toAbsolutePath().normalize();
        Path file = directory.resolve(DATA_FILE);
        try {
            DataDirectories.ownerOnlyDirectory(directory);
            DataDirectories.ownerOnlyFile(file);
        } catch (IOException e) {
            throw new DatabaseUnavailableException("Cannot create the data directory " + directory + ": " + e
                    + ". Check its permissions or choose another data directory.", e);
        }
        MVStore store = openStore(file);
        EmbeddedLimits limits = new EmbeddedLimits();
        DurableH2Backend backend;
        try {
            backend = new DurableH2Backend(store, limits);
            if (LIBRARY_OPLOG) {
                backend.enableOplog();
            }
        } catch (RuntimeException e) {
            store.close();
            throw new DatabaseUnavailableException("Cannot open the embedded database in " + file + ": " + e.getMessage(), e);
        }
        WireListener listener = new WireListener(backend);
        Path socket;
        String tcpUri = null;
        try {
            socket = listener.bindSocket(socketPath(directory));
            if (settings.exposesTcp()) {
                tcpUri = "mongodb://" + LOOPBACK + ":" + listener.bindTcp(LOOPBACK, settings.tcpPort()).getPort();
            }
        } catch (Exception e) { // netty rethrows the checked BindException undeclared
            listener.close();
            throw new DatabaseUnavailableException("Cannot start the embedded database"
                    + (settings.exposesTcp() ? " on " + LOOPBACK + ":" + settings.tcpPort() : "") + ": " + e.getMessage()
                    + (settings.exposesTcp() ? ". Choose another port, or 0 for any free one." : ""), e);
        }
        String socketUri = "mongodb://" + URLEncoder.encode(socket.toString(), StandardCharsets.UTF_8);
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(socketUri))
                .applicationName("thimble")
                // in-process over a socket: a slow answer means a busy machine (the first ping while GraalJS starts
                // beside it took over 5 s at load 23), not an unreachable server, so wait rather than fail the start
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(30, TimeUnit.SECONDS))
                .build());
        EmbeddedDatabase database = new EmbeddedDatabase(directory, listener, client, limits, backend.changes(),
                socketUri, tcpUri);
        database.backend = backend;
        database.commands = new EmbeddedCommands(backend);
        try {
            // Opens the first pooled connection now rather than on the first request.
            client.getDatabase("admin").runCommand(new Document("ping", 1));
        } catch (RuntimeException e) {
            database.close();
            throw new DatabaseUnavailableException("The embedded database at " + socketUri + " does not answer: " + e.getMessage(), e);
        }
        log.info("Database: {} (started in {} ms)", database.describe(), (System.nanoTime() - started) / 1_000_000);
        if (tcpUri != null) {
            log.warn("The embedded database also listens on {} without authentication: every process on this machine"
                    + " can read and write all of its data through that port.", tcpUri);
        }
        return database;
    }

    /** The server's command entry in this process (decision 0066); one per database, made with it. */
    EmbeddedCommands commands() {
        return commands;
    }

    /** Commits + fsyncs done for write commands so far (fewer than the writes when concurrent writers share them). */
    long writerCommits() {
        return backend.writerCommits();
    }

    /** Index checkpoints completed while running (decision 0076). */
    long indexCheckpoints() {
        return backend.indexCheckpoints();
    }

    /** For measurements: checkpoints {@code collection}'s index snapshots now, on the calling thread (decision 0076). */
    void checkpointIndexes(ObservedH2Collection collection) {
        backend.checkpointIndexes(collection);
    }

    /** Index entries read back from snapshots so far (at the open, and by any later createIndex). */
    long indexEntriesRestored() {
        return backend.indexEntriesRestored();
    }

    /** For tests: how long {@link #close()} may spend writing index snapshots. */
    void indexSnapshotBudgetMillis(long millis) {
        backend.snapshotBudgetMillis(millis);
    }

    /** The embedded collection, for tests that look at how it answered queries; null if it doesn't exist. */
    ObservedH2Collection collection(String databaseName, String collectionName) {
        return (ObservedH2Collection) backend.resolveDatabase(databaseName).resolveCollection(collectionName, false);
    }

    /** Housekeeping rounds so far that rewrote sparse chunks. */
    long compactions() {
        return backend.compactions();
    }

    /** For tests: housekeeping rounds so far, whether or not they rewrote anything. */
    long housekeepingRounds() {
        return backend.housekeepingRounds();
    }

    /** The share of the data file's chunk space that holds live data, in percent. */
    int chunksFillRate() {
        return backend.chunksFillRate();
    }

    /**
     * The socket's file: in the data directory (owner-only) when the driver can use that path, else in
     * a new owner-only temporary directory. The driver can't use a path longer than a socket address
     * holds (about 100 bytes on Linux and macOS), nor one with capital letters: it keeps server
     * addresses in lower case, so {@code /home/Mia/…/db.sock} would be looked for as {@code /home/mia/…}.
     */
    private static Path socketPath(Path directory) throws IOException {
        Path inData = directory.resolve(SOCKET_FILE);
        if (driverCanUse(inData)) {
            return inData;
        }
        for (String base : List.of(System.getProperty("java.io.tmpdir"), "/tmp")) {
            if (base == null || !Files.isDirectory(Path.of(base))) {
                continue;
            }
            Path temp = Files.createTempDirectory(Path.of(base), "thimble-db");
            DataDirectories.ownerOnlyDirectory(temp);
            temp.toFile().deleteOnExit();
            if (driverCanUse(temp.resolve(SOCKET_FILE))) {
                return temp.resolve(SOCKET_FILE);
            }
            Files.delete(temp);
        }
        throw new IOException("found no folder for the embedded database's socket whose path is short and in lower case"
                + " (the data directory " + directory + " and the temporary folder are not): set java.io.tmpdir to one");
    }

    private static boolean driverCanUse(Path socket) {
        String path = socket.toString();
        return path.getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES
                && path.equals(path.toLowerCase(java.util.Locale.ENGLISH));
    }

    private static MVStore openStore(Path file) {
        try {
            // No background writer: DurableH2Backend does every write to the file itself.
            return new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().cacheSize(CACHE_MB).open();
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
        return "embedded MongoDB-compatible server (H2) at " + connectionString() + ", data in " + dataDirectory;
    }

    @Override
    public String connectionString() {
        return tcpUri != null ? tcpUri : socketUri;
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
                // Stops listening, closes the remaining connections, then closes the backend,
                // which closes the file and releases its lock.
                listener.close();
            }
            log.debug("Database closed: {}", describe());
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
