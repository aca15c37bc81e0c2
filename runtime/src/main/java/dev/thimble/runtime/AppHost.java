package dev.thimble.runtime;

import com.mongodb.client.model.Filters;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.auth.AuthFunctions;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.auth.AuthStores;
import dev.thimble.runtime.time.Ticker;
import dev.thimble.runtime.auth.LoginThrottle;
import dev.thimble.runtime.auth.Tokens;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.host.AppServices;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.server.ClientApiServer;
import dev.thimble.runtime.server.ClientHooks;
import dev.thimble.runtime.server.EarlyListener;
import dev.thimble.runtime.server.MultiAppServer;
import dev.thimble.runtime.sync.SyncRoute;
import dev.thimble.runtime.sync.SyncService;
import dev.thimble.runtime.triggers.TriggerService;
import dev.thimble.runtime.triggers.TriggerSettings;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One loaded app with its database connection, its services and its server: what {@code thimble serve}
 * runs headless and what the workbench holds in process. The model can be replaced while serving
 * ({@link #reload}); requests in flight finish on the model they started with.
 */
public final class AppHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppHost.class);
    /** The secret holding the app's token signing key (generated on first start). */
    static final String SIGNING_KEY_SECRET = "__thimble.token_signing_key";

    private final AtomicReference<AppModel> app;
    private final Database database;
    /** Whether closing this host closes the database (false when it is shared with other apps). */
    private final boolean ownsDatabase;
    private final AuthService auth;
    private final LogService logs;
    private final AppServices services;
    private final ClientApiServer server;
    private final TriggerService triggers;
    private final SyncService sync;

    private AppHost(AtomicReference<AppModel> app, Database database, boolean ownsDatabase, AuthService auth, LogService logs,
                    AppServices services, ClientApiServer server, TriggerService triggers, SyncService sync) {
        this.sync = sync;
        this.app = app;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.auth = auth;
        this.logs = logs;
        this.services = services;
        this.server = server;
        this.triggers = triggers;
    }

    /** Opens the database, then starts the server; if the server cannot start the database is closed again. */
    public static AppHost start(AppModel model, HostSettings settings) {
        return start(model, settings, TriggerSettings.defaults());
    }

    /** As {@link #start(AppModel, HostSettings)}, with the triggers' clock, node id and leases given. */
    public static AppHost start(AppModel model, HostSettings settings, TriggerSettings triggerSettings) {
        return startOn(model, settings, triggerSettings, Database.open(settings.database()));
    }

    /**
     * As {@link #start(AppModel, HostSettings)} on a database the caller already opened from
     * {@code settings.database()} ({@code thimble serve} opens it while the bundle is validated); the
     * host owns it from here: closing the host, or a failed start, closes it.
     */
    public static AppHost startOn(AppModel model, HostSettings settings, Database database) {
        return startOn(model, settings, TriggerSettings.defaults(), database);
    }

    /**
     * As {@link #startOn(AppModel, HostSettings, Database)}, serving on {@code listener}'s port, which has
     * listened since before the app was assembled ({@code thimble serve}); {@code settings}' host and port
     * are not used. The host owns the port from here; on a failed start the caller closes the listener.
     */
    public static AppHost startOn(AppModel model, HostSettings settings, Database database, EarlyListener listener) {
        return startOn(model, settings, TriggerSettings.defaults(), database, listener);
    }

    private static AppHost startOn(AppModel model, HostSettings settings, TriggerSettings triggerSettings, Database database) {
        return startOn(model, settings, triggerSettings, database, null);
    }

    private static AppHost startOn(AppModel model, HostSettings settings, TriggerSettings triggerSettings, Database database,
                                   EarlyListener listener) {
        try {
            return assemble(model, settings, triggerSettings, database, null, listener);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Serves {@code model} on a server that hosts several apps ({@code thimble server}), on their
     * shared database: the app keeps its own state database, secrets, function engine, triggers and
     * logs. {@code settings}' host, port and database are not used. Closing the host unmounts the
     * app; the server and the database stay open for the others.
     */
    public static AppHost mount(AppModel model, MultiAppServer server, Database database, HostSettings settings) {
        return assemble(model, settings, TriggerSettings.defaults(), database, server, null);
    }

    /**
     * Builds the app's services on {@code database}; serves them on {@code shared}, else on {@code listener}'s
     * port, else on a port of their own.
     */
    private static AppHost assemble(AppModel model, HostSettings settings, TriggerSettings triggerSettings, Database database,
                                    MultiAppServer shared, EarlyListener listener) {
        AtomicReference<AppModel> app = new AtomicReference<>(model);
        LogService logs = null;
        AppServices services = null;
        TriggerService triggers = null;
        SyncService sync = null;
        try {
            var state = database.database(stateDatabaseName(model.clientAppId()));
            logs = LogService.builder(state.getCollection("log_records"))
                    .warmUpCollection(state.getCollection("log_records_warm_up")).clock(settings.clock()).ticker(settings.ticker()).start();
            logs.setSecretValues(secretValues(settings.secrets()));
            Tokens tokens = new Tokens(signingKey(settings.secrets()), settings.clock(), model.clientAppId(),
                    settings.accessTokenLifetime(), settings.refreshTokenLifetime());
            AuthStores stores = AuthStores.in(state, settings.ticker());
            services = new AppServices(model, database, stores.users(), settings.secrets(), logs, settings.clock(),
                    dev.thimble.runtime.services.ServiceRegistry.standardTypes(settings.clock()), settings.functionModules(),
                    settings.ticker());
            AppServices running = services;
            AuthService auth = new AuthService(app::get, stores, tokens, settings.clock(), LoginThrottle.standard(settings.clock()),
                    userId -> customUserData(app.get(), database, userId),
                    AuthFunctions.running(running::functions), settings.secrets()::get);
            triggers = new TriggerService(model, database.changeEvents(), state, running::functions, logs,
                    settings.clock(), triggerSettings);
            auth.onAuthEvents(triggers.authEvents());
            ClientHooks hooks = running.webhooks(auth, userId -> customUserData(app.get(), database, userId));
            sync = SyncService.startIfEnabled(app::get, database, state, settings.clock(), running.syncRules(), logs);
            SyncService runningSync = sync;
            java.util.function.UnaryOperator<io.undertow.server.HttpHandler> upgrades =
                    next -> new SyncRoute(next, () -> runningSync, () -> auth);
            ClientApiServer.RequestLogging requestLog = new ClientApiServer.RequestLogging(logs::append, settings.clock());
            ClientApiServer server = shared != null
                    ? ClientApiServer.mount(shared, app::get, () -> auth, running::calls, running::watches, () -> hooks,
                            upgrades, requestLog, settings.publicUrl())
                    : listener != null
                    ? ClientApiServer.takeOver(listener, app::get, () -> auth, running::calls, running::watches, () -> hooks,
                            upgrades, requestLog, settings.publicUrl())
                    : ClientApiServer.start(app::get, () -> auth, running::calls, running::watches, () -> hooks, upgrades,
                            requestLog, settings.host(), settings.port(), settings.publicUrl());
            LOG.info("Serving app {} ({}) at {}", model.name(), model.clientAppId(), server.baseUrl());
            services.warmCallPathAt(() -> server.baseUrl() + ClientApiServer.CLIENT_API + "/app/" + app.get().clientAppId(),
                    server::requestsInFlight, () -> auth);
            return new AppHost(app, database, shared == null, auth, logs, services, server, triggers, sync);
        } catch (RuntimeException e) {
            if (sync != null) {
                sync.close();
            }
            if (triggers != null) {
                triggers.close();
            }
            if (services != null) {
                services.close();
            }
            if (logs != null) {
                logs.close();
            }
            throw e;
        }
    }

    /** Where Thimble keeps an app's own state (users, sessions, keys) in its database. */
    public static String stateDatabaseName(String clientAppId) {
        return "__thimble_" + clientAppId;
    }

    private static byte[] signingKey(SecretStore secrets) {
        String key = secrets.get(SIGNING_KEY_SECRET).orElse(null);
        if (key == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            key = HexFormat.of().formatHex(fresh);
            secrets.set(SIGNING_KEY_SECRET, key);
        }
        return HexFormat.of().parseHex(key);
    }

    /** The user's document in the custom user data collection, read at token issue (STITCH-SPEC §6). */
    private static Document customUserData(AppModel app, Database database, String userId) {
        Json config = app.customUserData();
        if (!config.bool("enabled", false)) {
            return new Document();
        }
        Document found = database.database(config.text("database_name", ""))
                .getCollection(config.text("collection_name", ""))
                .find(Filters.eq(config.text("user_id_field", "user_id"), userId)).first();
        return found == null ? new Document() : found;
    }

    public AppModel app() {
        return app.get();
    }

    public Database database() {
        return database;
    }

    public AuthService auth() {
        return auth;
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

    public LogService logs() {
        return logs;
    }

    public AppServices services() {
        return services;
    }

    /** The app's open Device Sync sessions; empty when the app does not enable sync (no sync/config.json at start). */
    public java.util.Optional<dev.thimble.runtime.sync.SyncSessions> syncSessions() {
        return java.util.Optional.ofNullable(sync).map(SyncService::syncSessions);
    }

    /** The app's triggers on this node. */
    public TriggerService triggers() {
        return triggers;
    }

    /** Serves a new version of the app from the next request on; changed functions are re-parsed, rules recompiled. */
    public void reload(AppModel model) {
        services.reload(model);
        app.set(model);
        triggers.reload(model);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                if (sync != null) {
                    sync.close();
                }
                triggers.close();
                services.close();
                logs.close();
            } finally {
                if (ownsDatabase) {
                    database.close();
                }
            }
        }
    }

    /** Secret values, so log records can mask them (the signing key included). */
    private static java.util.Set<String> secretValues(SecretStore secrets) {
        return new java.util.HashSet<>(secrets.all().values());
    }

    /**
     * How to run an app.
     *
     * @param publicUrl the origin clients reach this server at, when it differs from what they
     *                  connect to (a proxy); null to answer each client with the origin it used
     * @param secrets   the app's secret store (holds the token signing key)
     * @param clock     the time for tokens and sessions (tests move it)
     * @param ticker    elapsed time for the caches of users and sessions, the log writer and the functions'
     *                  time limits (tests move it)
     */
    public record HostSettings(String host, int port, String publicUrl, DatabaseSettings database, SecretStore secrets,
                               Duration accessTokenLifetime, Duration refreshTokenLifetime, Clock clock, java.nio.file.Path functionModules,
                               Ticker ticker) {

        /** The defaults: 30-minute access tokens, 60-day refresh tokens, the system clock and ticker, no npm packages. */
        public static HostSettings of(String host, int port, DatabaseSettings database, SecretStore secrets) {
            return new HostSettings(host, port, null, database, secrets, Duration.ofMinutes(30), Duration.ofDays(60), Clock.systemUTC(), null,
                    Ticker.SYSTEM);
        }

        public HostSettings withPublicUrl(String url) {
            return new HostSettings(host, port, url, database, secrets, accessTokenLifetime, refreshTokenLifetime, clock, functionModules, ticker);
        }

        public HostSettings withTokenLifetimes(Duration access, Duration refresh) {
            return new HostSettings(host, port, publicUrl, database, secrets, access, refresh, clock, functionModules, ticker);
        }

        public HostSettings withClock(Clock newClock) {
            return new HostSettings(host, port, publicUrl, database, secrets, accessTokenLifetime, refreshTokenLifetime, newClock, functionModules, ticker);
        }

        /**
         * The folder whose {@code node_modules} functions {@code require} from (read only), e.g. the bundle's
         * {@code functions/} folder or the install {@link dev.thimble.runtime.npm.FunctionModules} prepared; null for none.
         */
        public HostSettings withFunctionModules(java.nio.file.Path root) {
            return new HostSettings(host, port, publicUrl, database, secrets, accessTokenLifetime, refreshTokenLifetime, clock, root, ticker);
        }

        /** The elapsed time of the app's caches and its log writer's intervals (tests move it instead of sleeping). */
        public HostSettings withTicker(Ticker newTicker) {
            return new HostSettings(host, port, publicUrl, database, secrets, accessTokenLifetime, refreshTokenLifetime, clock, functionModules,
                    java.util.Objects.requireNonNull(newTicker, "ticker"));
        }
    }
}
