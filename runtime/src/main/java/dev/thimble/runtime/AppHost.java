package dev.thimble.runtime;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.server.ClientApiServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One loaded app with its database connection and its server: what {@code thimble serve} runs
 * headless and what the workbench holds in process. The model can be replaced while serving
 * ({@link #reload}); requests in flight finish on the model they started with.
 */
public final class AppHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppHost.class);

    private final AtomicReference<AppModel> app;
    private final Database database;
    private final ClientApiServer server;

    private AppHost(AtomicReference<AppModel> app, Database database, ClientApiServer server) {
        this.app = app;
        this.database = database;
        this.server = server;
    }

    /** Opens the database, then starts the server; if the server cannot start the database is closed again. */
    public static AppHost start(AppModel model, HostSettings settings) {
        AtomicReference<AppModel> app = new AtomicReference<>(model);
        Database database = Database.open(settings.database());
        try {
            ClientApiServer server = ClientApiServer.start(app::get, settings.host(), settings.port(), settings.publicUrl());
            LOG.info("Serving app {} ({}) at {}", model.name(), model.clientAppId(), server.baseUrl());
            return new AppHost(app, database, server);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public AppModel app() {
        return app.get();
    }

    public Database database() {
        return database;
    }

    public ClientApiServer server() {
        return server;
    }

    /** The base URL clients configure, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** The client API root of this app, e.g. {@code http://127.0.0.1:8080/api/client/v2.0/app/todo-abcde}. */
    public String clientApiUrl() {
        return server.baseUrl() + ClientApiServer.CLIENT_API + "/app/" + app.get().clientAppId();
    }

    /** Serves a new version of the app from the next request on. */
    public void reload(AppModel model) {
        app.set(model);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            database.close();
        }
    }

    /**
     * @param publicUrl the origin clients reach this server at, when it differs from what they
     *                  connect to (a proxy); null to answer each client with the origin it used
     */
    public record HostSettings(String host, int port, String publicUrl, DatabaseSettings database) {
    }
}
