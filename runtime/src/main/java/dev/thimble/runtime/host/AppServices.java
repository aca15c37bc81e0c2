package dev.thimble.runtime.host;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.auth.UserStore;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.MongoActions;
import dev.thimble.runtime.functions.AppInfo;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.values.SecretStore;

import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.server.ClientApiServer;
import dev.thimble.runtime.server.ClientHooks;
import dev.thimble.runtime.services.ServiceRegistry;
import dev.thimble.runtime.services.WebhookBodyParser;
import dev.thimble.runtime.services.DataApiService;
import dev.thimble.runtime.services.WebhookService;
import org.bson.BsonDocument;
import org.bson.Document;
import dev.thimble.runtime.services.ServiceType;

import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.DataSourceRules;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.sync.SyncRules;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The services of one running app that depend on its version: compiled rules and values, the
 * function engine, the MongoDB actions, the client's call service. {@link #reload} swaps in a new
 * version without stopping anything: the function engine re-parses only what changed.
 */
public final class AppServices implements AutoCloseable {
    private final AtomicReference<CompiledApp> compiled;
    private final FunctionEngine functions;
    private final ClientCallService calls;
    /** The host's round of the start-time warm-up (decision records 0047, 0060), once set. */
    private volatile CallPathWarmUp callPathWarmUp;
    private final MongoActions actions;
    private final RuleContexts contexts;
    private final WatchService watches;
    private final SecretStore secrets;
    private final UserStore users;
    private final LogService logs;
    private final Clock clock;
    private final DatabaseCallTrails trails;

    public AppServices(AppModel app, Database database, UserStore users, SecretStore secrets, LogService logs, Clock clock) {
        this(app, database, users, secrets, logs, clock, ServiceRegistry.standardTypes(clock));
    }

    /** @param serviceTypes the non-MongoDB service types functions can call ({@link ServiceRegistry#standardTypes(Clock)}) */
    public AppServices(AppModel app, Database database, UserStore users, SecretStore secrets, LogService logs, Clock clock,
                       List<ServiceType> serviceTypes) {
        this(app, database, users, secrets, logs, clock, serviceTypes, null);
    }

    /** @param functionModules the folder whose {@code node_modules} functions require from (read only); null for none */
    public AppServices(AppModel app, Database database, UserStore users, SecretStore secrets, LogService logs, Clock clock,
                       List<ServiceType> serviceTypes, java.nio.file.Path functionModules) {
        this(app, database, users, secrets, logs, clock, serviceTypes, functionModules, dev.thimble.runtime.time.Ticker.SYSTEM);
    }

    /** @param ticker elapsed time for the functions' time limits (tests move it) */
    public AppServices(AppModel app, Database database, UserStore users, SecretStore secrets, LogService logs, Clock clock,
                       List<ServiceType> serviceTypes, java.nio.file.Path functionModules, dev.thimble.runtime.time.Ticker ticker) {
        this.secrets = secrets;
        this.users = users;
        this.logs = logs;
        this.clock = clock;
        this.compiled = new AtomicReference<>(new CompiledApp(app, secrets::get));
        MongoActions actions = new MongoActions(database, service -> compiled.get().rules(service));
        AtomicReference<FunctionEngine> engine = new AtomicReference<>();
        DatabaseCallTrails trails = new DatabaseCallTrails();
        this.trails = trails;
        RuleContexts contexts = new RuleContexts(compiled::get, caller -> FunctionWiring.ruleFunctions(engine::get, caller));
        this.functions = FunctionEngine.builder(app)
                .graalEngine(FunctionEngine.sharedGraalEngine())
                .mongo(new MongoBridge(actions, contexts, trails, database.kind() == Database.Kind.EMBEDDED))
                .secrets(secrets::get)
                .users(FunctionWiring.users(users))
                .canEvaluate(FunctionWiring.canEvaluate(compiled::get))
                .services(new ServiceRegistry(() -> compiled.get().app(), serviceTypes, secrets::get, contexts::forServiceCall, logs, clock))
                .appInfo(AppInfo.of(app))
                .clock(clock)
                .ticker(ticker)
                .functionsDirectory(functionModules)
                .warmUp(FunctionEngine.warmUpByDefault())
                .build();
        engine.set(functions);
        this.actions = actions;
        this.contexts = contexts;
        this.calls = new ClientCallService(() -> functions, actions, contexts, trails, logs, clock);
        this.watches = new WatchService(database.changeEvents(), compiled::get, contexts, logs, clock);
    }

    public FunctionEngine functions() {
        return functions;
    }

    /**
     * The database calls (with their rule decisions) made so far by the client's function call that
     * runs as {@code user}, the very object its execution was given ({@code ExecutionHandle.caller().user()}):
     * {@code {database_calls: [...]}} as its log record will have it; empty when none yet, or when
     * the execution is not a client's function call.
     */
    public Optional<BsonDocument> databaseCallsSoFar(Principal user) {
        return Optional.ofNullable(trails.soFar(user));
    }

    /**
     * From now on the function engine's start-time and reload warm-ups run a client's whole call path (decision
     * record 0047): loopback requests to {@code clientApiUrl} and the function-call route's own code.
     *
     * @param clientApiUrl this app's client API as a client on this machine reaches it (asked per round)
     * @param requests     the requests its server handles now: the warm-up waits while any is (decision record 0060)
     * @param auth         the app's authentication: the warm-up's call goes through the token check with a token of its
     *                     own (decision record 0075)
     */
    public void warmCallPathAt(java.util.function.Supplier<String> clientApiUrl,
                               java.util.function.Supplier<dev.thimble.runtime.server.RequestsInFlight> requests,
                               java.util.function.Supplier<dev.thimble.runtime.auth.AuthService> auth) {
        CallPathWarmUp round = new CallPathWarmUp(() -> calls, clientApiUrl, requests, auth);
        callPathWarmUp = round;
        functions.warmCallPathWith(round);
    }

    /** The host's warm-up round, once {@link #warmCallPathAt} set it (tests observe its rounds and pauses). */
    CallPathWarmUp callPathWarmUp() {
        return callPathWarmUp;
    }

    public ClientCallService calls() {
        return calls;
    }

    /** The clients' streaming watches. */
    public WatchService watches() {
        return watches;
    }

    /**
     * The incoming webhooks and HTTPS endpoints of this app (always its current version).
     *
     * @param auth       authenticates {@code run_as_authed_user} requests
     * @param customData the custom user data document of a user id ({@code fetch_custom_user_data})
     */
    public ClientHooks webhooks(AuthService auth, Function<String, Document> customData) {
        WebhookService hooks = new WebhookService(() -> compiled.get().app(), () -> functions, secrets::get, auth, customData,
                FunctionWiring.users(users), logs, clock, WebhookBodyParser.standard(), ClientApiServer.MAX_BODY_BYTES);
        DataApiService dataApi = new DataApiService(() -> compiled.get().app(), auth, secrets::get, customData, FunctionWiring.users(users),
                (service, action, arguments, caller) -> actions.execute(service, action, arguments, contexts.forCaller(caller)),
                logs, clock);
        return new HooksWithDataApi(hooks, dataApi);
    }

    /**
     * The app's rules for Device Sync: a session user's rule context is built exactly as for a client
     * call, and a namespace's rules come from the app version current at the moment of asking.
     */
    public SyncRules syncRules() {
        return new SyncRules() {
            @Override
            public RuleContext contextFor(AuthService.Authenticated user) {
                return contexts.forCaller(Caller.user(ClientCallService.functionUser(user)));
            }

            @Override
            public CollectionRules rulesFor(String service, String database, String collection) {
                DataSourceRules rules = compiled.get().rules(service);
                return rules == null ? CollectionRules.none(database + "." + collection) : rules.forNamespace(database, collection);
            }
        };
    }

    /** Serves a new version of the app: recompiles rules and values, re-parses changed functions. */
    public void reload(AppModel app) {
        compiled.set(new CompiledApp(app, secrets::get));
        functions.reload(app);
    }

    @Override
    public void close() {
        functions.close();
    }
}
