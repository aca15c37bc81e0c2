package dev.thimble.runtime.data;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** How to open a {@link Database}: an embedded server on a data directory, or a connection string. */
public sealed interface DatabaseSettings {

    /** How long to look for a server before giving up, unless the connection string says otherwise. */
    Duration DEFAULT_SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The embedded server. Thimble reaches it through a Unix domain socket in an owner-only
     * directory; a TCP port (on loopback, without authentication: every local process can read
     * and write every collection through it) is opened only when {@code tcpPort} asks for one,
     * for a second node on the same machine.
     *
     * @param dataDirectory created if missing (owner-only); the data is kept in {@code db.mv} inside it
     * @param tcpPort       {@link #NO_TCP} for no TCP port; else the loopback port to open, 0 for any free one
     */
    record Embedded(Path dataDirectory, int tcpPort) implements DatabaseSettings {
        /** No TCP port: the database is reachable only by this process and this user's processes through the socket. */
        public static final int NO_TCP = -1;

        public Embedded {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            if (tcpPort < NO_TCP || tcpPort > 65535) {
                throw new IllegalArgumentException("tcpPort must be -1 (none), 0 (any free port) or 1-65535, was " + tcpPort);
            }
        }

        /** Whether a TCP port is opened for other nodes. */
        public boolean exposesTcp() {
            return tcpPort != NO_TCP;
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

    /** The embedded server without a TCP port. */
    static Embedded embedded(Path dataDirectory) {
        return new Embedded(dataDirectory, Embedded.NO_TCP);
    }

    /** The embedded server, also listening on loopback {@code tcpPort} (0 for any free port) for other nodes. */
    static Embedded embeddedOnTcp(Path dataDirectory, int tcpPort) {
        if (tcpPort < 0) {
            throw new IllegalArgumentException("tcpPort must be 0 (any free port) or 1-65535, was " + tcpPort);
        }
        return new Embedded(dataDirectory, tcpPort);
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
