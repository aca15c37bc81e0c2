package dev.thimble.runtime.data;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** How to open a {@link Database}: an embedded server on a data directory, or a connection string. */
public sealed interface DatabaseSettings {

    /** How long to look for a server before giving up, unless the connection string says otherwise. */
    Duration DEFAULT_SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The embedded server.
     *
     * @param dataDirectory created if missing; the data is kept in {@code db.mv} inside it
     * @param port          the loopback port to listen on; 0 for any free port
     */
    record Embedded(Path dataDirectory, int port) implements DatabaseSettings {
        public Embedded {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
            }
        }
    }

    /**
     * A real MongoDB deployment.
     *
     * @param connectionString        a {@code mongodb://} or {@code mongodb+srv://} URI
     * @param serverSelectionTimeout  how long to wait for a reachable server, at open and per operation
     */
    record External(String connectionString, Duration serverSelectionTimeout) implements DatabaseSettings {
        public External {
            Objects.requireNonNull(connectionString, "connectionString");
            Objects.requireNonNull(serverSelectionTimeout, "serverSelectionTimeout");
            if (serverSelectionTimeout.isNegative() || serverSelectionTimeout.isZero()) {
                throw new IllegalArgumentException("serverSelectionTimeout must be positive, was " + serverSelectionTimeout);
            }
        }

        @Override
        public String toString() {
            return "External[" + ConnectionStrings.redact(connectionString) + ", " + serverSelectionTimeout + "]";
        }
    }

    /** The embedded server on any free loopback port. */
    static Embedded embedded(Path dataDirectory) {
        return new Embedded(dataDirectory, 0);
    }

    static Embedded embedded(Path dataDirectory, int port) {
        return new Embedded(dataDirectory, port);
    }

    /**
     * A real MongoDB; waits for a server as long as the URI's {@code serverSelectionTimeoutMS}, or
     * {@link #DEFAULT_SERVER_SELECTION_TIMEOUT} if it has none.
     */
    static External external(String connectionString) {
        return new External(connectionString,
                ConnectionStrings.serverSelectionTimeout(connectionString).orElse(DEFAULT_SERVER_SELECTION_TIMEOUT));
    }

    static External external(String connectionString, Duration serverSelectionTimeout) {
        return new External(connectionString, serverSelectionTimeout);
    }
}
