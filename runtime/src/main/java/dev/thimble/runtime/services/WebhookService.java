package dev.thimble.runtime.services;

import dev.thimble.runtime.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.EndpointDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.WebhookDef;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.FunctionError;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.functions.HandlerResponse;
import dev.thimble.runtime.functions.RequestInfo;
import dev.thimble.runtime.functions.TooManyExecutionsException;
import dev.thimble.runtime.functions.UserDirectory;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.rules.CompiledExpression;
import dev.thimble.runtime.rules.ExpressionCompiler;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.rules.RuleException;
import dev.thimble.runtime.server.ClientHooks;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.Document;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
 * Incoming webhooks (STITCH-SPEC §5B) and HTTPS endpoints (§5C): finds the hook, refuses a disabled one
 * or a wrong method, validates the request ({@link HookValidation}, or the service type's
 * {@link WebhookBodyParser}), picks the identity, runs {@code exports(payload, response)} and turns what
 * the function did into the answer. One log record per call (type {@code WEBHOOK} or {@code ENDPOINT}):
 * status, duration, console output, the payload with the secret removed and credentials masked.
 *
 * <p>Identity: a webhook runs as system unless {@code run_as_authed_user} (the request's credentials),
 * {@code run_as_user_id} or {@code run_as_user_id_script_source} (applied by the function engine) say
 * otherwise; an endpoint runs as system unless its {@code authentication} is {@code application} (the
 * request's credentials) or {@code user_id} ({@code run_as_user_id}); the called function's own run-as
 * options apply after that.
 */
public final class WebhookService implements ClientHooks {
    private static final int LOGGED_BODY_CHARS = 16 * 1024;
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "api-key", "apikey", "x-stitch-api-key",
            "password", "x-stitch-password", "jwttokenstring");

    private final Supplier<AppModel> app;
    private final Supplier<FunctionEngine> engine;
    private final Function<String, Optional<String>> secrets;
    private final AuthService auth;
    private final Function<String, Document> customData;
    private final UserDirectory users;
    private final LogService logs;
    private final Clock clock;
    private final Map<String, WebhookBodyParser> parsers = new LinkedHashMap<>();
    private final long maxBodyBytes;

    private enum Identity { SYSTEM, AUTHED_USER, USER_ID }

    /** What one webhook or endpoint runs and how. */
    private record Hook(String what, String functionName, String functionId, String httpMethod, String validation,
                        String secretName, boolean disabled, Identity identity, String runAsUserId, boolean fetchCustomData,
                        boolean respondResult, boolean ejson, boolean disableArgLogs, ServiceDef service, WebhookBodyParser parser,
                        JsonNode canEvaluate, boolean createUserOnAuth) {
    }

    /**
     * @param customData the custom user data document of a user id ({@code fetch_custom_user_data})
     * @param users      the users {@code run_as_user_id} of an endpoint names
     */
    public WebhookService(Supplier<AppModel> app, Supplier<FunctionEngine> engine, Function<String, Optional<String>> secrets,
                          AuthService auth, Function<String, Document> customData, UserDirectory users, LogService logs,
                          Clock clock, List<WebhookBodyParser> parsers, long maxBodyBytes) {
        this.app = app;
        this.engine = engine;
        this.secrets = secrets;
        this.auth = auth;
        this.customData = customData;
        this.users = users;
        this.logs = logs;
        this.clock = clock;
        parsers.forEach(p -> p.types().forEach(t -> this.parsers.put(t, p)));
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public Reply webhook(String service, String webhook, Request request) {
        return serve(LogType.WEBHOOK, request, () -> webhookHook(service, webhook));
    }

    @Override
    public Reply endpoint(String route, Request request) {
        AppModel model = app.get();
        String wanted = normalise(route);
        List<EndpointDef> onRoute = model.endpoints().stream().filter(e -> normalise(e.route()).equals(wanted)).toList();
        if (onRoute.isEmpty()) {
            String[] parts = wanted.substring(1).split("/");
            if (parts.length == 2 && model.service(parts[0]).map(s -> s.webhooks().stream().anyMatch(h -> h.name().equals(parts[1]))).orElse(false)) {
                // a webhook converted to an endpoint keeps the route /<service>/<webhook> (STITCH-SPEC §5C)
                return serve(LogType.ENDPOINT, request, () -> webhookHook(parts[0], parts[1]));
            }
        }
        return serve(LogType.ENDPOINT, request, () -> endpointHook(wanted, onRoute, request.method()));
    }

    private static String normalise(String route) {
        String r = route.startsWith("/") ? route : "/" + route;
        return r.length() > 1 && r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    private Hook webhookHook(String serviceName, String webhookName) {
        ServiceDef service = app.get().service(serviceName).orElseThrow(() -> ApiError.notFound("ServiceNotFound",
                "this app has no service '" + serviceName + "' (services/" + serviceName + "/config.json)"));
        WebhookDef hook = service.webhooks().stream().filter(h -> h.name().equals(webhookName)).findFirst()
                .orElseThrow(() -> ApiError.notFound("IncomingWebhookNotFound", "service '" + serviceName + "' has no incoming webhook '"
                        + webhookName + "' (services/" + serviceName + "/incoming_webhooks/" + webhookName + "/)"));
        Json config = hook.config();
        Json options = config.obj("options");
        WebhookBodyParser parser = parsers.get(service.type());
        boolean authed = config.bool("run_as_authed_user", false);
        String runAsUserId = config.text("run_as_user_id", "");
        Identity identity = authed ? Identity.AUTHED_USER : !runAsUserId.isBlank() ? Identity.USER_ID : Identity.SYSTEM;
        return new Hook("webhook " + serviceName + "/" + webhookName, FunctionEngine.webhookFunctionName(serviceName, webhookName),
                config.text("id", ""), options.text("httpMethod", parser != null ? "POST" : "*"), options.text("validationMethod", "NO_VALIDATION"),
                options.text("secret_name", ""), config.bool("disabled", false), identity, runAsUserId,
                config.bool("fetch_custom_user_data", false), config.bool("respond_result", false),
                !"JSON".equalsIgnoreCase(config.text("return_type", "EJSON")), config.bool("disable_arg_logs", false), service, parser,
                config.get("can_evaluate"), config.bool("create_user_on_auth", false));
    }

    private Hook endpointHook(String route, List<EndpointDef> onRoute, String method) {
        if (onRoute.isEmpty()) {
            throw ApiError.notFound("IncomingWebhookNotFound", "this app has no HTTPS endpoint " + route + " (http_endpoints/config.json)");
        }
        EndpointDef endpoint = onRoute.stream().filter(e -> e.httpMethod().equals("*") || e.httpMethod().equalsIgnoreCase(method))
                .findFirst().orElse(onRoute.getFirst());
        Json config = endpoint.config();
        String authentication = config.text("authentication", "system").toLowerCase(Locale.ROOT);
        Identity identity = switch (authentication) {
            case "system" -> Identity.SYSTEM;
            case "application" -> Identity.AUTHED_USER;
            case "user_id" -> Identity.USER_ID;
            default -> throw new ApiError(500, "InternalServerError", "endpoint " + route + " has authentication '" + authentication
                    + "', which Thimble does not support; use system, application or user_id");
        };
        // one doc snippet spells it verification_method; real exports write validation_method
        return new Hook("endpoint " + route, endpoint.functionName(), "", endpoint.httpMethod(),
                config.text("validation_method", config.text("verification_method", "NO_VALIDATION")),
                config.text("secret_name", ""), config.bool("disabled", false), identity, config.text("run_as_user_id", ""),
                config.bool("fetch_custom_user_data", false), config.bool("respond_result", true),
                !"JSON".equalsIgnoreCase(config.text("return_type", "EJSON")), false, null, null, null,
                config.bool("create_user_on_auth", false));
    }

    private Reply serve(LogType type, Request request, Supplier<Hook> find) {
        LogRecord.Builder log = LogRecord.start(type, clock).request(request.method(), withoutSecret(request.url()))
                .remoteIpAddress(request.remoteAddress());
        BsonDocument account = new BsonDocument();
        try {
            Hook hook = find.get();
            log.function(hook.functionName(), hook.functionId());
            Reply reply = run(hook, request, log, account);
            account.put("statusCode", new BsonInt32(reply.status()));
            logs.append(log.decision(account).finish(LogStatus.SUCCESS));
            return reply;
        } catch (ApiError e) {
            account.put("statusCode", new BsonInt32(e.status()));
            LogRecord record = log.decision(account).error(e.getMessage(), e.code()).finish(LogStatus.ERROR);
            logs.append(record);
            throw e.withLink(LogLinks.of(request, app.get(), record.coId()));
        } catch (RuntimeException e) {
            logs.append(log.decision(account.append("statusCode", new BsonInt32(500)))
                    .error("internal error handling this request", "InternalServerError").finish(LogStatus.ERROR));
            throw e;
        }
    }

    private Reply run(Hook hook, Request request, LogRecord.Builder log, BsonDocument account) {
        if (hook.disabled()) {
            throw ApiError.notFound("IncomingWebhookNotFound", hook.what() + " is disabled");
        }
        if (!hook.httpMethod().equals("*") && !hook.httpMethod().equalsIgnoreCase(request.method())) {
            throw new ApiError(405, "BadRequest", hook.what() + " accepts " + hook.httpMethod().toUpperCase(Locale.ROOT)
                    + " requests only, not " + request.method());
        }
        Optional<String> secret = hook.secretName().isEmpty() ? Optional.empty() : secrets.apply(hook.secretName());
        BsonDocument payload;
        if (hook.parser() != null) {
            payload = hook.parser().parse(ServiceRegistry.configured(hook.service(), secrets), request, secret);
            account.put("validation", new BsonString(hook.service().type() + " signature"));
        } else {
            HookValidation.check(hook.what(), hook.validation(), hook.secretName(), secret, request);
            account.put("validation", new BsonString(hook.validation().toUpperCase(Locale.ROOT)));
            payload = payload(request);
        }
        Caller caller = switch (hook.identity()) {
            case SYSTEM -> Caller.system();
            case AUTHED_USER -> Caller.user(HookIdentity.authenticate(hook.what(), app.get(), auth, customData, hook.fetchCustomData(),
                    hook.createUserOnAuth(), request));
            case USER_ID -> Caller.user(runAsUser(hook));
        };
        account.put("runAs", new BsonString(caller.isSystem() ? "system" : caller.userId()));
        log.userId(caller.isSystem() ? null : caller.userId());
        BsonDocument shown = logged(payload, hook.parser() != null);
        log.arguments(new BsonArray(List.of(shown)), hook.disableArgLogs());
        RequestInfo info = requestInfo(hook, request);
        // %%user is who CALLS: the authenticated user of a run_as_authed_user webhook; nobody for the others,
        // never the identity the webhook runs as (system, or its run_as_user_id)
        checkCanEvaluate(hook, hook.identity() == Identity.AUTHED_USER ? caller : Caller.system(), shown, info);
        FunctionEngine.HandlerResult outcome;
        try {
            outcome = engine.get().executeHandler(hook.functionName(), payload, new ExecutionRequest(caller, info, null,
                    new dev.thimble.runtime.functions.ExecutionOrigin(hook.what().startsWith("endpoint")
                            ? dev.thimble.runtime.functions.ExecutionOrigin.Kind.ENDPOINT : dev.thimble.runtime.functions.ExecutionOrigin.Kind.WEBHOOK,
                            hook.what(), shown)));
        } catch (TooManyExecutionsException e) {
            throw new ApiError(429, "TooManyRequests", e.getMessage());
        }
        FunctionResult result = outcome.result();
        log.messages(result.messages());
        if (!result.succeeded()) {
            throw failure(hook, result.error());
        }
        return reply(hook, result.value(), outcome.response());
    }

    /** Compiled can_evaluate expressions, by the expression of an app version's hook (weakly: they go with the version). */
    private static final Map<JsonNode, CompiledExpression> COMPILED = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * A webhook's {@code can_evaluate}, with {@code %%args} the payload (body as text), {@code %%request} the
     * request and {@code %%user} the caller (an unauthenticated caller is a user with no id); checked for
     * system webhooks too, unlike a function's. Compiled once per app version.
     */
    private static void checkCanEvaluate(Hook hook, Caller caller, BsonDocument payload, RequestInfo info) {
        JsonNode expression = hook.canEvaluate();
        if (expression == null || expression.isNull() || (expression.isObject() && expression.isEmpty())) {
            return;
        }
        boolean allowed;
        try {
            Principal user = caller.isSystem() ? Principal.normal("") : caller.user();
            RuleContext context = RuleContext.forUser(user).args(Document.parse(payload.toJson()))
                    .request(Document.parse(info.toBson().toJson())).build();
            allowed = COMPILED.computeIfAbsent(expression,
                    e -> ExpressionCompiler.forServiceRules().compile(e, hook.what() + " can_evaluate")).test(context);
        } catch (RuleException e) {
            throw new ApiError(500, "InternalServerError", hook.what() + ": its can_evaluate expression fails: " + e.getMessage());
        }
        if (!allowed) {
            throw new ApiError(403, "FunctionNotCallable", hook.what() + " may not be called: its can_evaluate expression is false for this request");
        }
    }

    private Principal runAsUser(Hook hook) {
        if (hook.runAsUserId().isBlank()) {
            throw new ApiError(500, "InternalServerError", hook.what() + " runs as a user id but names none (set run_as_user_id)");
        }
        Principal user = users.find(hook.runAsUserId()).orElseGet(() -> Principal.normal(hook.runAsUserId()));
        if (!hook.fetchCustomData()) {
            return user;
        }
        Document custom = customData.apply(user.id());
        return user.withCustomData(custom);
    }

    private static ApiError failure(Hook hook, FunctionError error) {
        return switch (error.kind()) {
            case NOT_FOUND -> ApiError.notFound("FunctionNotFound", hook.what() + " calls function '" + hook.functionName()
                    + "', which does not exist");
            case NOT_CALLABLE -> new ApiError(403, "FunctionNotCallable", error.message());
            case INTERNAL -> new ApiError(500, "InternalServerError", error.message());
            default -> new ApiError(500, error.code(), error.describe());
        };
    }

    /** The function's answer: {@code setBody} wins; with {@code respond_result} the return value otherwise (EJSON or JSON). */
    private static Reply reply(Hook hook, BsonValue value, HandlerResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>(response.headers());
        byte[] body = new byte[0];
        if (response.bodySet()) {
            body = response.body();
        } else if (hook.respondResult() && value != null && !(value instanceof BsonUndefined)) {
            body = (hook.ejson() ? PlainJson.ejson(value) : PlainJson.json(value)).getBytes(StandardCharsets.UTF_8);
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                headers.put("Content-Type", List.of("application/json"));
            }
        }
        // an endpoint that does not respond with its result answers 204 No Content unless the function set a status
        int status = response.statusCode() != null ? response.statusCode()
                : !hook.respondResult() && !response.bodySet() && hook.what().startsWith("endpoint") ? 204 : 200;
        return new Reply(status, headers, body);
    }

    /** {@code {query: {k: "v"}, headers: {Name: ["v"]}, body: Binary}}, without the {@code secret} query parameter. */
    private static BsonDocument payload(Request request) {
        BsonDocument query = new BsonDocument();
        request.query().forEach((k, v) -> {
            if (!k.equals("secret") && !v.isEmpty()) {
                query.put(k, new BsonString(v.getFirst()));
            }
        });
        BsonDocument headers = new BsonDocument();
        request.headers().forEach((name, values) -> {
            BsonArray array = new BsonArray();
            values.forEach(v -> array.add(new BsonString(v)));
            headers.put(name, array);
        });
        return new BsonDocument("query", query).append("headers", headers).append("body", new BsonBinary(request.body()));
    }

    /** The payload as the log keeps it: credentials masked, the body as text (cut at 16K characters). */
    private static BsonDocument logged(BsonDocument payload, boolean parsed) {
        BsonDocument copy = payload.clone();
        if (parsed) {
            return copy;
        }
        BsonDocument headers = copy.getDocument("headers");
        for (String name : List.copyOf(headers.keySet())) {
            if (CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, new BsonArray(List.of(new BsonString("****"))));
            }
        }
        byte[] body = copy.getBinary("body").getData();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            if (text.length() > LOGGED_BODY_CHARS) {
                text = text.substring(0, LOGGED_BODY_CHARS) + "… (" + body.length + " bytes in all)";
            }
        } catch (CharacterCodingException e) {
            text = "(" + body.length + " bytes of binary data)";
        }
        copy.put("body", new BsonString(text));
        return copy;
    }

    private static RequestInfo requestInfo(Hook hook, Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> {
            if (!CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, values);
            }
        });
        return new RequestInfo(request.remoteAddress(), headers, withoutSecret(request.url()), request.method(),
                request.rawQuery(), request.header("Referer"), request.header("User-Agent"),
                hook.service() == null ? null : hook.service().name(), null);
    }

    private static String withoutSecret(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        String query = RequestInfo.withoutSecret(url.substring(q + 1));
        return query.isEmpty() ? url.substring(0, q) : url.substring(0, q) + "?" + query;
    }
}
