package dev.thimble.runtime.data;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ServerDescription;
import dev.thimble.runtime.changes.ChangeEventSource;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A real MongoDB deployment reached by connection string. */
final class ExternalDatabase implements Database {

    private static final Logger log = LoggerFactory.getLogger(ExternalDatabase.class);

    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final MongoClient client;
    private final String connectionString;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ChangeEventSource changes;

    private ExternalDatabase(MongoClient client, String connectionString) {
        this.client = client;
        this.connectionString = connectionString;
        this.changes = new ExternalChangeStreams(client);
    }

    static ExternalDatabase connect(DatabaseSettings.External settings) {
        String uri = settings.connectionString();
        ConnectionString parsed;
        try {
            parsed = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new DatabaseUnavailableException("Invalid MongoDB connection string " + ConnectionStrings.redact(uri)
                    + ": " + e.getMessage() + ". It should look like mongodb://user:password@host:27017/db"
                    + " or mongodb+srv://user:password@cluster.example.net/db.", e);
        }
        Duration timeout = settings.serverSelectionTimeout();
        MongoClientSettings.Builder builder = MongoClientSettings.builder()
                .applyConnectionString(parsed)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS));
        if (parsed.getConnectTimeout() == null) {
            long connectMillis = Math.min(timeout.toMillis(), MAX_CONNECT_TIMEOUT.toMillis());
            builder.applyToSocketSettings(socket -> socket.connectTimeout(connectMillis, TimeUnit.MILLISECONDS));
        }
        if (parsed.getApplicationName() == null) {
            builder.applicationName("thimble");
        }
        MongoClient client;
        try {
            client = MongoClients.create(builder.build());
        } catch (MongoException | IllegalArgumentException e) {
            throw new DatabaseUnavailableException("Cannot use the MongoDB connection string " + ConnectionStrings.redact(uri)
                    + ": " + e.getMessage() + ". Check the connection string.", e);
        }
        ExternalDatabase database = new ExternalDatabase(client, uri);
        try {
            client.getDatabase(parsed.getDatabase() == null ? "admin" : parsed.getDatabase())
                    .runCommand(new Document("ping", 1));
            if (RemoteChangeLog.servedBy(client)) {
                // another Thimble's embedded server: read its own event log, not its unfaithful change streams
                database.changes = new RemoteChangeLog(client);
            }
        } catch (MongoSecurityException e) {
            database.close();
            throw new DatabaseUnavailableException("MongoDB at " + ConnectionStrings.hosts(parsed)
                    + " refused the credentials: " + rootMessage(e) + ". Check the user name, password and authSource"
                    + " in the connection string.", e);
        } catch (MongoTimeoutException e) {
            String reason = unreachableReason(client.getClusterDescription(), timeout);
            database.close();
            throw new DatabaseUnavailableException("Cannot reach MongoDB at " + ConnectionStrings.hosts(parsed) + ": "
                    + reason + ". Check the connection string or start the server.", e);
        } catch (MongoException e) {
            database.close();
            throw new DatabaseUnavailableException("Cannot reach MongoDB at " + ConnectionStrings.hosts(parsed) + ": "
                    + rootMessage(e) + ". Check the connection string or start the server.", e);
        }
        log.info("Database: {}", database.describe());
        return database;
    }

    /** Why no server could be selected, from what the driver's monitors saw. */
    private static String unreachableReason(ClusterDescription cluster, Duration timeout) {
        if (cluster.getSrvResolutionException() != null) {
            return rootMessage(cluster.getSrvResolutionException());
        }
        for (ServerDescription server : cluster.getServerDescriptions()) {
            if (server.getException() != null) {
                return rootMessage(server.getException());
            }
        }
        return "no suitable server answered within " + timeout.toMillis() + " ms";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    @Override
    public MongoClient client() {
        return client;
    }

    @Override
    public Kind kind() {
        return Kind.EXTERNAL;
    }

    @Override
    public String describe() {
        return "MongoDB at " + ConnectionStrings.redact(connectionString);
    }

    @Override
    public String connectionString() {
        return connectionString;
    }

    @Override
    public List<DatabaseWarning> warnings() {
        return List.of();
    }

    @Override
    public ChangeEventSource changeEvents() {
        return changes;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
