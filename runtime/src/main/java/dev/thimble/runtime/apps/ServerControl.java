package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DataDirectories;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;

/**
 * Starts, stops and reloads the {@link AppHost} that serves the open app: the embedded database in
 * the app's data directory, on the preferred port, or on a free port (with a notice saying so) when
 * that one is taken. Thread-safe; start and stop block for up to a few seconds (call them off the
 * JavaFX thread).
 */
public final class ServerControl implements HostAccess, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerControl.class);

    private final ServerSettings settings;
    /** A connection string to use instead of the embedded database; null for the embedded one. */
    private String mongoUri;
    private AppHost host;
    private ServerStatus status = ServerStatus.stopped();

    /** The open bundle's folder, whose functions' npm packages the server prepares; null for none. */
    private java.nio.file.Path bundleDirectory;

    public ServerControl(ServerSettings settings) {
        this.settings = settings;
    }

    /** Functions of the app served from now on require npm packages from this bundle's functions folder (or its lock file's install). */
    public synchronized ServerControl withBundleDirectory(java.nio.file.Path directory) {
        this.bundleDirectory = directory;
        return this;
    }

    /** Starts serving {@code app} unless already serving; failures become a stopped status with the reason. */
    public synchronized ServerStatus start(AppModel app) {
        if (host != null) {
            return status;
        }
        try {
            host = startOn(app, settings.preferredPort());
            status = running("");
        } catch (RuntimeException e) {
            if (settings.preferredPort() != 0 && causedBy(e, BindException.class)) {
                status = startOnFreePort(app);
            } else {
                status = failure(e);
            }
        }
        return status;
    }

    private ServerStatus startOnFreePort(AppModel app) {
        try {
            host = startOn(app, 0);
            return running("Port " + settings.preferredPort() + " is in use (another server?), so the app is served on port "
                    + host.server().port() + " instead.");
        } catch (RuntimeException e) {
            return failure(e);
        }
    }

    private AppHost startOn(AppModel app, int port) {
        DatabaseSettings database = mongoUri == null
                ? DatabaseSettings.embedded(DataDirectories.forApp(app.clientAppId()))
                : DatabaseSettings.external(mongoUri);
        AppHost started = AppHost.start(app, AppHost.HostSettings.of(settings.host(), port, database, SecretStore.forApp(app.clientAppId()))
                .withFunctionModules(functionModules(app)));
        // the workbench is a development server: refusals carry the rule clause (never compared values)
        started.server().verboseErrors(true);
        return started;
    }

    /** The app's npm packages (unpacked or installed on first start, then cached); a failure is logged and the server starts without them. */
    private java.nio.file.Path functionModules(AppModel app) {
        if (bundleDirectory == null || !java.nio.file.Files.isDirectory(bundleDirectory)) {
            return null;
        }
        try {
            var prepared = dev.thimble.runtime.npm.FunctionModules.prepare(bundleDirectory,
                    dev.thimble.runtime.npm.FunctionModules.cacheFor(DataDirectories.home(), app.clientAppId()),
                    dev.thimble.runtime.npm.NpmInstaller.standard(), line -> LOG.info("npm: {}", line));
            prepared.warnings().forEach(w -> LOG.warn("{}", w));
            return prepared.root();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("The functions' npm packages could not be prepared; require() of them will fail", e);
            return null;
        }
    }

    private ServerStatus running(String notice) {
        return new ServerStatus(true, host.baseUrl(), host.clientApiUrl(), host.database().describe(), notice, "");
    }

    private static ServerStatus failure(RuntimeException e) {
        LOG.warn("The server did not start", e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return ServerStatus.failed("The server did not start: " + message);
    }

    /** Stops serving and closes the database; a no-op when stopped. */
    public synchronized ServerStatus stop() {
        if (host != null) {
            try {
                host.close();
            } finally {
                host = null;
                status = ServerStatus.stopped();
            }
        }
        return status;
    }

    /**
     * Serves {@code app} on another database: a connection string, or the embedded one for null or
     * blank. When the new one cannot be reached the server goes back to the database it used, and
     * the status's error says why the switch failed (the connection string's password never appears).
     */
    public synchronized ServerStatus switchDatabase(AppModel app, String connectionString) {
        String previous = mongoUri;
        String next = connectionString == null || connectionString.isBlank() ? null : connectionString.strip();
        if (next != null && !next.startsWith("mongodb://") && !next.startsWith("mongodb+srv://")) {
            return withError(status, "Not a MongoDB connection string: it must start with mongodb:// or mongodb+srv:// "
                    + "(leave it empty for the embedded database). Nothing changed.");
        }
        stop();
        mongoUri = next;
        ServerStatus started = start(app);
        if (started.running() || next == null) {
            return started;
        }
        String why = started.error();
        mongoUri = previous;
        ServerStatus back = start(app);
        status = withError(back, "Could not switch to " + redact(next) + ": "
                + why.replaceFirst("^The server did not start: ", "") + " The app is served on the previous database again.");
        return status;
    }

    /** The connection string with its password masked. */
    static String redact(String uri) {
        return uri.replaceFirst("(://[^:/@]+:)[^@/]*@", "$1****@");
    }

    private static ServerStatus withError(ServerStatus s, String error) {
        return new ServerStatus(s.running(), s.baseUrl(), s.clientApiUrl(), s.database(), s.notice(), error);
    }

    /** The connection string in use, or null for the embedded database. */
    public synchronized String mongoUri() {
        return mongoUri;
    }

    public synchronized ServerStatus restart(AppModel app) {
        stop();
        return start(app);
    }

    /** Serves {@code app} from the next request on, when running; requests in flight finish on the old version. */
    @Override
    public synchronized void reload(AppModel app) {
        if (host != null) {
            host.reload(app);
        }
    }

    /** The running host, for tools that read its live data (the rule designer's simulator); empty when stopped. */
    public synchronized java.util.Optional<AppHost> host() {
        return java.util.Optional.ofNullable(host);
    }

    public synchronized ServerStatus status() {
        return status;
    }

    /** The running host, for the service classes that work on the live server (logs, console, data); empty when stopped. */
    @Override
    public synchronized java.util.Optional<AppHost> running() {
        return java.util.Optional.ofNullable(host);
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where to serve.
     *
     * @param preferredPort tried first; 0 for any free port
     */
    public record ServerSettings(String host, int preferredPort) {
        /** The workbench's default: loopback only, port 8080. */
        public static ServerSettings defaults() {
            return new ServerSettings("127.0.0.1", 8080);
        }
    }
}
