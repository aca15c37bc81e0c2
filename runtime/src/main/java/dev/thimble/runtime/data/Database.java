package dev.thimble.runtime.data;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.thimble.runtime.changes.ChangeEventSource;

import java.util.List;

/**
 * One open MongoDB connection: the embedded default server or an external deployment, reached
 * through the official driver either way. Closing it closes the client and, for the embedded
 * server, stops the server and releases its data file.
 */
public interface Database extends AutoCloseable {

    /** Where the data lives. */
    enum Kind {
        /** The in-process MongoDB-compatible server (mongo-java-server, H2) on a loopback port. */
        EMBEDDED,
        /** A real MongoDB deployment given by a connection string. */
        EXTERNAL
    }

    /**
     * Opens the database the settings describe: starts the embedded server on the data directory,
     * or connects to the connection string and checks that the server answers a ping. Logs one
     * INFO line saying which.
     *
     * @throws DatabaseUnavailableException if the server cannot be started or reached; the message
     *                                      says why and what to do
     */
    static Database open(DatabaseSettings settings) {
        return switch (settings) {
            case DatabaseSettings.Embedded embedded -> EmbeddedDatabase.start(embedded);
            case DatabaseSettings.External external -> ExternalDatabase.connect(external);
        };
    }

    /** The driver client; owned by this object, do not close it. */
    MongoClient client();

    /** Shorthand for {@code client().getDatabase(name)}. */
    default MongoDatabase database(String name) {
        return client().getDatabase(name);
    }

    Kind kind();

    /**
     * One line for people and logs, without secrets, e.g. "embedded MongoDB-compatible server (H2)
     * at mongodb://127.0.0.1:40123, data in /home/a/.thimble/apps/x/data" or
     * "MongoDB at mongodb+srv://user:****@cluster0.example.net/app".
     */
    String describe();

    /**
     * A connection string other clients (another driver, a shell, a test) can use to reach the
     * same server. For an external database this is the string it was opened with, password
     * included: do not log it, use {@link #describe()}.
     */
    String connectionString();

    /**
     * What the server silently ignored so far, oldest first, at most one per feature and database.
     * Always empty for an external database.
     */
    List<DatabaseWarning> warnings();

    /**
     * The change events of this database: produced from the embedded server's own write path (with
     * pre- and post-images and a persisted, trimmed log of positions), or read from a real
     * deployment's change streams (which needs a replica set or a sharded cluster).
     */
    ChangeEventSource changeEvents();

    /** Closes the client and, for the embedded server, stops it and releases its data file. Idempotent. */
    @Override
    void close();
}
