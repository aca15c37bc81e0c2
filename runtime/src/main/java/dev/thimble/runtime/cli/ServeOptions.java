package dev.thimble.runtime.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of running an app: where to listen and which database to use. */
final class ServeOptions {
    @Option(names = "--port", defaultValue = "8080", description = "Port of the client API (0 picks a free one; default ${DEFAULT-VALUE}).")
    int port = 8080;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host = "127.0.0.1";

    @Option(names = "--data", paramLabel = "DIR", description = "Folder of the embedded database (default: ~/.thimble/apps/<client app id>/data).")
    Path dataDir;

    @Option(names = "--mongo-uri", paramLabel = "URI", description = "Use this MongoDB (a replica set or Atlas) instead of the embedded database.")
    String mongoUri;

    @Option(names = "--expose-database", paramLabel = "PORT",
            description = "Also open the embedded database on loopback TCP port PORT (0 picks a free one) so a second"
                    + " node can use it (--mongo-uri). It has no authentication: every process on this machine can then"
                    + " read and write all of the app's data, users and sessions. Default: no port; Thimble reaches its"
                    + " database through an owner-only socket.")
    Integer exposeDatabasePort;

    @Option(names = "--public-url", paramLabel = "URL", description = "The origin clients reach this server at, when behind a proxy.")
    String publicUrl;

    @Option(names = "--verbose-errors", description = "Add the rule clause that refused a request to the client's error message"
            + " (compared values are never shown). For development; a served app answers with the short message by default.")
    boolean verboseErrors;
}
