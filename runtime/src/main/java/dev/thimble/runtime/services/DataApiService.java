package dev.thimble.runtime.services;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.data.MongoActions;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.functions.UserDirectory;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.server.ClientHooks;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonNull;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.json.JsonParseException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Data API ({@code POST /app/<id>/endpoint/data/<v1|beta>/action/<action>}): the ten actions of App
 * Services' generated endpoints, each mapped onto the same MongoDB actions the SDKs call, so the same
 * rules decide and the same log records are written. Requests are JSON or EJSON ({@code Content-Type});
 * answers are canonical EJSON or flattened JSON ({@code Accept}, else the config's {@code return_type}).
 *
 * <p>Authentication, in the service's order: {@code Authorization: Bearer <access token>} (which must be
 * valid when present), else {@code email} + {@code password}, {@code apiKey} (or the beta's {@code api-key}),
 * or {@code jwtTokenString} headers, each a login through the app's provider. The config's
 * {@code run_as_system} / {@code run_as_user_id} then choose whose identity the action runs as, and its
 * {@code validation_method} ({@code SECRET_AS_QUERY_PARAM}, {@code VERIFY_PAYLOAD} with
 * {@code Endpoint-Signature}) is checked first.
 */
public final class DataApiService {
    /** The actions, with the body fields each requires besides dataSource, database and collection. */
    private static final Map<String, List<String>> ACTIONS = new LinkedHashMap<>();
    static {
        ACTIONS.put("findOne", List.of());
        ACTIONS.put("find", List.of());
        ACTIONS.put("insertOne", List.of("document"));
        ACTIONS.put("insertMany", List.of("documents"));
        ACTIONS.put("updateOne", List.of("filter", "update"));
        ACTIONS.put("updateMany", List.of("filter", "update"));
        ACTIONS.put("replaceOne", List.of("filter", "replacement"));
        ACTIONS.put("deleteOne", List.of("filter"));
        ACTIONS.put("deleteMany", List.of("filter"));
        ACTIONS.put("aggregate", List.of("pipeline"));
    }
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 50_000;
    private static final Set<String> VERSIONS = Set.of("v1", "beta");

    /** Runs one MongoDB action as a caller, under the rules (the host's {@code MongoActions} with its rule contexts). */
    @FunctionalInterface
    public interface Actions {
        MongoActions.ActionResult run(String service, String action, BsonDocument arguments, Caller caller);
    }

    private final Supplier<AppModel> app;
    private final AuthService auth;
    private final Function<String, Optional<String>> secrets;
    private final Function<String, Document> customData;
    private final UserDirectory users;
    private final Actions actions;
    private final LogService logs;
    private final Clock clock;

    public DataApiService(Supplier<AppModel> app, AuthService auth, Function<String, Optional<String>> secrets,
                          Function<String, Document> customData, UserDirectory users, Actions actions, LogService logs, Clock clock) {
        this.app = app;
        this.auth = auth;
        this.secrets = secrets;
        this.customData = customData;
        this.users = users;
        this.actions = actions;
        this.logs = logs;
        this.clock = clock;
    }

    /** One Data API request; failures are {@link ApiError}s with the Data API's codes. */
    public ClientHooks.Reply handle(String version, String action, ClientHooks.Request request) {
        LogRecord.Builder log = LogRecord.start(LogType.ENDPOINT, clock).request(request.method(), request.url())
                .remoteIpAddress(request.remoteAddress()).function("data api " + version + " " + action, "");
        try {
            ClientHooks.Reply reply = run(version, action, request, log);
            logs.append(log.finish(LogStatus.SUCCESS));
            return reply;
        } catch (ApiError e) {
            LogRecord record = log.error(e.getMessage(), e.code()).finish(LogStatus.ERROR);
            logs.append(record);
            throw e.withLink(LogLinks.of(request, app.get(), record.coId()));
        }
    }

    private ClientHooks.Reply run(String version, String action, ClientHooks.Request request, LogRecord.Builder log) {
        DataApiConfig config = DataApiConfig.of(app.get());
        if (config.disabled()) {
            throw ApiError.notFound("DataApiNotEnabled", "the Data API of this app is disabled (data_api_config.json: \"disabled\": true)");
        }
        if (!VERSIONS.contains(version) || !config.versions().contains(version)) {
            throw ApiError.notFound("NotFound", "Data API version \"" + version + "\" is not enabled for this app; enabled: "
                    + (config.versions().isEmpty() ? "none (set \"versions\" in data_api_config.json)" : String.join(", ", config.versions())));
        }
        List<String> required = ACTIONS.get(action);
        if (required == null) {
            throw ApiError.notFound("NotFound", "the Data API has no action \"" + action + "\"; its actions are " + String.join(", ", ACTIONS.keySet()));
        }
        if (!request.method().equalsIgnoreCase("POST")) {
            throw new ApiError(405, "InvalidParameter", "Data API actions take POST requests, not " + request.method());
        }
        Optional<String> secret = config.secretName().isEmpty() ? Optional.empty() : secrets.apply(config.secretName());
        HookValidation.check("the Data API", config.validationMethod(), config.secretName(), secret, request);
        Principal requester = authenticate(config, request);
        Caller caller = caller(config, requester);
        log.userId(caller.isSystem() ? null : caller.userId());
        BsonDocument body = body(request);
        checkCanEvaluate(config, requester, body, request);
        for (String field : List.of("dataSource", "database", "collection")) {
            text(body, field);
        }
        for (String field : required) {
            if (!body.containsKey(field)) {
                throw ApiError.badRequest("InvalidParameter", action + ": the body has no \"" + field + "\"");
            }
        }
        String service = text(body, "dataSource");
        log.service(service, action).namespace(text(body, "database") + "." + text(body, "collection"));
        BsonDocument result = execute(action, service, body, caller, log);
        boolean ejson = wantsEjson(request, config);
        byte[] bytes = (ejson ? PlainJson.ejson(result) : PlainJson.json(result)).getBytes(StandardCharsets.UTF_8);
        return new ClientHooks.Reply(200,
                Map.of("Content-Type", List.of(ejson ? "application/ejson" : "application/json")), bytes);
    }

    /** Maps a Data API body onto the MongoDB actions and their answers onto the Data API's shapes. */
    private BsonDocument execute(String action, String service, BsonDocument body, Caller caller, LogRecord.Builder log) {
        BsonDocument args = new BsonDocument("database", body.get("database")).append("collection", body.get("collection"));
        BsonValue filter = body.containsKey("filter") ? body.get("filter") : new BsonDocument();
        switch (action) {
            case "findOne" -> {
                args.append("query", filter);
                copy(body, "projection", args, "project");
                return new BsonDocument("document", run(service, "findOne", args, caller, log));
            }
            case "find" -> {
                args.append("query", filter);
                copy(body, "projection", args, "project");
                copy(body, "sort", args, "sort");
                copy(body, "skip", args, "skip");
                int limit = body.containsKey("limit") ? number(body, "limit") : DEFAULT_LIMIT;
                if (limit < 1 || limit > MAX_LIMIT) {
                    throw ApiError.badRequest("InvalidParameter", "find: limit must be 1 to " + MAX_LIMIT + ", not " + limit);
                }
                args.append("limit", new BsonInt32(limit));
                return new BsonDocument("documents", run(service, "find", args, caller, log));
            }
            case "insertOne" -> {
                args.append("document", body.get("document"));
                return new BsonDocument("insertedId", run(service, "insertOne", args, caller, log).asDocument().get("insertedId"));
            }
            case "insertMany" -> {
                args.append("documents", body.get("documents"));
                return new BsonDocument("insertedIds", run(service, "insertMany", args, caller, log).asDocument().get("insertedIds"));
            }
            case "updateOne", "updateMany" -> {
                args.append("query", filter).append("update", body.get("update"));
                copy(body, "upsert", args, "upsert");
                return counts(run(service, action, args, caller, log).asDocument(), "matchedCount", "modifiedCount", "upsertedId");
            }
            case "replaceOne" -> {
                return replaceOne(service, args, filter, body, caller, log);
            }
            case "deleteOne", "deleteMany" -> {
                args.append("query", filter);
                return counts(run(service, action, args, caller, log).asDocument(), "deletedCount");
            }
            case "aggregate" -> {
                args.append("pipeline", body.get("pipeline"));
                return new BsonDocument("documents", run(service, "aggregate", args, caller, log));
            }
            default -> throw new IllegalStateException("unmapped action " + action);
        }
    }

    /**
     * The MongoDB actions have no replaceOne: a count under the rules tells match from upsert, then
     * findOneAndReplace replaces (or inserts) one document, checked by the same rules as a client's.
     */
    private BsonDocument replaceOne(String service, BsonDocument namespace, BsonValue filter, BsonDocument body, Caller caller,
                                    LogRecord.Builder log) {
        boolean upsert = body.get("upsert") instanceof org.bson.BsonBoolean b && b.getValue();
        BsonDocument count = namespace.clone().append("query", filter).append("limit", new BsonInt32(1));
        long matched = run(service, "count", count, caller, log).asNumber().longValue();
        if (matched == 0 && !upsert) {
            return new BsonDocument("matchedCount", new BsonInt32(0)).append("modifiedCount", new BsonInt32(0));
        }
        BsonDocument replace = namespace.clone().append("filter", filter).append("update", body.get("replacement"))
                .append("upsert", org.bson.BsonBoolean.valueOf(upsert)).append("returnNewDocument", org.bson.BsonBoolean.TRUE);
        BsonValue after = run(service, "findOneAndReplace", replace, caller, log);
        if (matched > 0) {
            return new BsonDocument("matchedCount", new BsonInt32(1)).append("modifiedCount", new BsonInt32(1));
        }
        BsonDocument out = new BsonDocument("matchedCount", new BsonInt32(0)).append("modifiedCount", new BsonInt32(0));
        if (after instanceof BsonDocument inserted && inserted.containsKey("_id")) {
            out.append("upsertedId", inserted.get("_id"));
        }
        return out;
    }

    private BsonValue run(String service, String action, BsonDocument args, Caller caller, LogRecord.Builder log) {
        MongoActions.ActionResult result = actions.run(service, action, args, caller);
        BsonArray decisions = new BsonArray();
        result.decisions().forEach((Decision d) -> decisions.add(d.toDocument().toBsonDocument()));
        log.decision(new BsonDocument("documents", decisions));
        return result.value();
    }

    /** Counts as 32-bit numbers where they fit (the Data API answers {@code {"matchedCount": 1}}), the rest as given. */
    private static BsonDocument counts(BsonDocument result, String... fields) {
        BsonDocument out = new BsonDocument();
        for (String field : fields) {
            BsonValue value = result.get(field);
            if (value == null) {
                continue;
            }
            out.append(field, value instanceof BsonInt64 n && n.getValue() <= Integer.MAX_VALUE ? new BsonInt32((int) n.getValue()) : value);
        }
        return out;
    }

    /**
     * The config's {@code can_evaluate}: a rule expression over {@code %%user} (who authenticated),
     * {@code %%request} and {@code %%args} (the request body); false refuses the request with 403.
     */
    private static void checkCanEvaluate(DataApiConfig config, Principal user, BsonDocument body, ClientHooks.Request request) {
        com.fasterxml.jackson.databind.JsonNode expression = config.canEvaluate();
        if (expression == null || expression.isNull() || expression.isObject() && expression.isEmpty()) {
            return;
        }
        boolean allowed;
        try {
            dev.thimble.runtime.rules.RuleContext context = dev.thimble.runtime.rules.RuleContext.forUser(user)
                    .args(Document.parse(body.toJson()))
                    .request(new Document("httpMethod", request.method()).append("remoteIPAddress", request.remoteAddress())
                            .append("requestHeaders", new Document(request.headers().entrySet().stream()
                                    .filter(e -> !e.getKey().equalsIgnoreCase("password") && !e.getKey().equalsIgnoreCase("Authorization"))
                                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (Object) e.getValue(), (a, b) -> a)))))
                    .build();
            allowed = dev.thimble.runtime.rules.ExpressionCompiler.forServiceRules().compile(expression, "data_api_config.json can_evaluate")
                    .test(context);
        } catch (dev.thimble.runtime.rules.RuleException e) {
            throw new ApiError(500, "InternalServerError", "the Data API's can_evaluate expression fails: " + e.getMessage());
        }
        if (!allowed) {
            throw new ApiError(403, "FunctionNotCallable", "the Data API may not be called: its can_evaluate expression is false for this request");
        }
    }

    private Caller caller(DataApiConfig config, Principal authenticated) {
        if (config.runAsSystem()) {
            return Caller.system();
        }
        if (!config.runAsUserId().isBlank()) {
            return Caller.user(users.find(config.runAsUserId()).orElseGet(() -> Principal.normal(config.runAsUserId())));
        }
        return Caller.user(authenticated);
    }

    /** The requesting user, from the credential headers in the service's order. */
    private Principal authenticate(DataApiConfig config, ClientHooks.Request request) {
        AuthService.Authenticated user;
        String authorization = request.header("Authorization");
        String apiKey = first(request, "apiKey", "api-key");
        String email = request.header("email");
        String jwt = request.header("jwtTokenString");
        try {
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                user = auth.authenticate(authorization.substring(7).trim());
            } else if (email != null) {
                String password = request.header("password");
                if (password == null) {
                    throw new ApiError(401, "MissingParameter", "the email header needs a password header beside it");
                }
                user = login("local-userpass", new Document("username", email).append("password", password), request, true);
            } else if (apiKey != null) {
                user = login("api-key", new Document("key", apiKey), request, true);
            } else if (jwt != null) {
                user = login("custom-token", new Document("token", jwt), request, config.createUserOnAuth());
            } else {
                throw new ApiError(401, "MissingParameter", "must specify some form of authentication (either email+password,"
                        + " api-key, or jwt) in the request header or body");
            }
        } catch (ApiError e) {
            if (e.code().equals("MissingParameter") || e.status() >= 500) {
                throw e;
            }
            if (e.code().equals("UserNotFound")) {
                // the service's own words, then what to change
                throw new ApiError(401, "InvalidSession", "invalid session: error finding user for endpoint (" + e.getMessage()
                        + "; set create_user_on_auth to true in data_api_config.json to create users on their first request)");
            }
            throw new ApiError(401, "InvalidSession", "invalid session: " + e.getMessage());
        }
        Document custom = config.fetchCustomUserData() ? customData.apply(user.user().id()) : new Document();
        return user.user().principal(custom == null ? new Document() : custom);
    }

    /** A login through the app's provider of {@code type}; {@code createUser} false refuses an identity without a user (see HookIdentity). */
    private AuthService.Authenticated login(String type, Document body, ClientHooks.Request request, boolean createUser) {
        String provider = app.get().authProviders().stream().filter(p -> p.type().equals(type) && !p.disabled())
                .map(AuthProviderDef::name).findFirst()
                .orElseThrow(() -> new ApiError(401, "InvalidSession", "the app has no enabled " + type + " provider for these credentials"));
        AuthService.LoginResult result = auth.login(provider, body, request.remoteAddress(), null, createUser);
        return auth.authenticate(result.accessToken());
    }

    private static BsonDocument body(ClientHooks.Request request) {
        String contentType = request.header("Content-Type");
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json") && !type.startsWith("application/ejson")) {
            throw ApiError.badRequest("InvalidParameter", "send the body as Content-Type: application/json or application/ejson"
                    + (contentType == null ? "" : ", not " + contentType));
        }
        try {
            // JSON is EJSON without type wrappers; relaxed and canonical EJSON both parse here
            return BsonDocument.parse(new String(request.body(), StandardCharsets.UTF_8));
        } catch (JsonParseException | BsonInvalidOperationException | IllegalArgumentException e) {
            throw ApiError.badRequest("InvalidParameter", "the body is not a JSON object: " + e.getMessage());
        }
    }

    private static boolean wantsEjson(ClientHooks.Request request, DataApiConfig config) {
        String accept = request.header("Accept");
        String type = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
        if (type.contains("application/ejson")) {
            return true;
        }
        if (type.contains("application/json")) {
            return false;
        }
        return config.ejsonByDefault();
    }

    private static String text(BsonDocument body, String field) {
        BsonValue value = body.get(field);
        if (value == null || !value.isString() || value.asString().getValue().isEmpty()) {
            throw ApiError.badRequest("InvalidParameter", "the body needs \"" + field + "\" (a non-empty string)");
        }
        return value.asString().getValue();
    }

    private static int number(BsonDocument body, String field) {
        BsonValue value = body.get(field);
        if (value == null || !value.isNumber()) {
            throw ApiError.badRequest("InvalidParameter", "\"" + field + "\" must be a number");
        }
        return value.asNumber().intValue();
    }

    private static void copy(BsonDocument from, String field, BsonDocument to, String as) {
        BsonValue value = from.get(field);
        if (value != null && !(value instanceof BsonNull)) {
            to.append(as, value);
        }
    }

    private static String first(ClientHooks.Request request, String... names) {
        for (String name : names) {
            String value = request.header(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
