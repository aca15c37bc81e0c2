package dev.thimble.runtime;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.server.MultiAppServer;
import dev.thimble.runtime.values.SecretStore;

/**
 * One process serving several apps ({@code thimble server}): one port, one database connection
 * (each app keeps its own state database in it), and an {@link AppHost} per app mounted on both.
 * Apps are mounted and closed while it runs; the others keep serving. Thread-safe.
 */
public final class ServerOfApps implements AutoCloseable {
    private final MultiAppServer server;
    private final Database database;

    private ServerOfApps(MultiAppServer server, Database database) {
        this.server = server;
        this.database = database;
    }

    /** Listens on {@code host:port} (0 for a free port), then opens the database, with no app yet. */
    public static ServerOfApps start(String host, int port, DatabaseSettings databaseSettings) {
        ServerOfApps server = startHeld(host, port, databaseSettings);
        server.started();
        return server;
    }

    /**
     * As {@link #start}, but until {@link #started()} a request for an app id not read yet gets 503 with
     * Retry-After rather than 404 ({@code thimble server} listens before its database is open and its
     * apps are read).
     */
    public static ServerOfApps startHeld(String host, int port, DatabaseSettings databaseSettings) {
        MultiAppServer server = MultiAppServer.start(host, port);
        server.serverStarting(true);
        try {
            return new ServerOfApps(server, Database.open(databaseSettings));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The first apps are read and mounted (or rejected): an unknown app id gets 404 from now on. */
    public void started() {
        server.serverStarting(false);
    }

    /** Until {@code app} is mounted or {@link #notStarting}, its location route answers and its other routes get 503. */
    public void starting(AppModel app, String publicUrl) {
        server.starting(app, publicUrl);
    }

    /** Ends {@link #starting}. */
    public void notStarting(String clientAppId) {
        server.notStarting(clientAppId);
    }

    /**
     * Starts serving {@code app} with its own secrets, function engine, triggers and logs; close the
     * returned host to stop serving it.
     *
     * @param functionModules the npm packages its functions require (see {@code npm.FunctionModules}), or null
     *
     * @throws IllegalStateException when an app with the same client app id is served already
     */
    public AppHost mount(AppModel app, SecretStore secrets, String publicUrl, java.nio.file.Path functionModules) {
        AppHost.HostSettings settings = AppHost.HostSettings.of(null, 0, null, secrets).withPublicUrl(publicUrl)
                .withFunctionModules(functionModules);
        return AppHost.mount(app, server, database, settings);
    }

    /** Serves the admin API beside the client API (see {@link MultiAppServer#mountAdmin}). */
    public void mountAdmin(io.undertow.server.HttpHandler routes) {
        server.mountAdmin(routes);
    }

    public Database database() {
        return database;
    }

    public int port() {
        return server.port();
    }

    /** The base URL clients configure, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** Stops listening and closes the database; close the mounted hosts first. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            database.close();
        }
    }
}
