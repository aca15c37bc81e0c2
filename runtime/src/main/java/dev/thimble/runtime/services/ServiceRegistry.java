package dev.thimble.runtime.services;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.RequestInfo;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.functions.ServiceClient;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.services.thirdparty.ThirdPartyServices;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code context.services.get(name)} for every non-MongoDB service, and {@code context.http}: finds the
 * {@link ServiceType} of the service's {@code type}, checks the service's rules for the action (deny by
 * default; the system caller bypasses rules, as it does MongoDB rules), calls it, and leaves one log
 * record per call (type {@code SERVICE_FUNCTION}: service, action, duration, status, error, the rule
 * decision and the arguments with credentials masked). Thread-safe.
 *
 * <p>{@code context.http} has no service and so no rules: Realm's built-in client had none either
 * (decision record 0012); its calls are logged like any other.
 */
public final class ServiceRegistry implements ServiceClient {
    /** Builds the rule context of a call: the caller, {@code %%args} and {@code %%request}. */
    @FunctionalInterface
    public interface RuleContextFactory {
        RuleContext forCall(Caller caller, Document args, Document request);
    }

    private static final Set<String> MASKED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "x-api-key", "api-key");
    private static final ConfiguredService CONTEXT_HTTP_SERVICE =
            new ConfiguredService(CONTEXT_HTTP, "http", Json.empty(), key -> Optional.empty());

    private final Supplier<AppModel> app;
    private final Map<String, ServiceType> types = new HashMap<>();
    private final Function<String, Optional<String>> secrets;
    private final RuleContextFactory rules;
    private final LogService logs;
    private final Clock clock;
    private volatile Compiled compiled;

    /** The rules of one app version, compiled on first use of that version. */
    private record Compiled(AppModel app, Map<String, ServiceRules> rules) {
    }

    /**
     * @param types   the service types this runtime serves (see {@link #standardTypes(Clock)})
     * @param secrets a secret's value by name (the local secret store)
     */
    public ServiceRegistry(Supplier<AppModel> app, List<ServiceType> types, Function<String, Optional<String>> secrets,
                           RuleContextFactory rules, LogService logs, Clock clock) {
        this.app = app;
        for (ServiceType type : types) {
            type.types().forEach(t -> this.types.put(t, type));
        }
        this.secrets = secrets;
        this.rules = rules;
        this.logs = logs;
        this.clock = clock;
    }

    /**
     * Every service type this build of Thimble implements: add a new type here, one line each.
     *
     * @param clock the time AWS requests are signed with
     */
    public static List<ServiceType> standardTypes(Clock clock) {
        List<ServiceType> types = new java.util.ArrayList<>();
        types.add(HttpService.standard());
        types.addAll(ThirdPartyServices.all(java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(10)).build(), clock));
        return List.copyOf(types);
    }

    @Override
    public BsonValue call(String service, String action, BsonDocument arguments, String region, Caller caller, RequestInfo request) {
        LogRecord.Builder log = LogRecord.start(LogType.SERVICE_FUNCTION, clock).service(service, action)
                .userId(caller.isSystem() ? null : caller.userId());
        if (request != null && request.httpMethod() != null) {
            log.request(request.httpMethod(), request.webhookUrl()).remoteIpAddress(request.remoteIPAddress());
        }
        log.arguments(new BsonArray(List.of(masked(arguments))), false);
        try {
            ConfiguredService configured;
            ServiceType type;
            BsonDocument decision;
            ServiceRequest serviceRequest = new ServiceRequest(action, arguments, region);
            if (service.equals(CONTEXT_HTTP)) {
                configured = CONTEXT_HTTP_SERVICE;
                type = typeOf(configured);
                type.ruleArguments(serviceRequest); // validates the url before anything is sent
                decision = new BsonDocument("outcome", new BsonString("unrestricted"))
                        .append("reason", new BsonString("context.http has no service rules"));
            } else {
                ServiceDef def = app.get().service(service).orElseThrow(() -> new ServiceCallException(
                        "service '" + service + "' is not defined in this app (no services/" + service + "/config.json)"));
                if (def.isMongo()) {
                    throw new ServiceCallException("service '" + service + "' is a MongoDB service: use context.services.get('"
                            + service + "').db(<database>).collection(<collection>)");
                }
                configured = configured(def, secrets);
                type = typeOf(configured);
                decision = check(def, type, serviceRequest, caller, request);
            }
            log.decision(decision);
            if (decision.getString("outcome").getValue().equals("denied")) {
                throw new ServiceCallException("rule denied: " + decision.getString("reason").getValue());
            }
            BsonValue result = type.call(configured, serviceRequest);
            if (result instanceof BsonDocument reply && reply.isNumber("statusCode")) {
                decision.append("statusCode", reply.get("statusCode"));
                log.decision(decision);
            }
            logs.append(log.finish(LogStatus.SUCCESS));
            return result;
        } catch (ServiceCallException e) {
            logs.append(log.error(e.getMessage(), "ServiceError").finish(LogStatus.ERROR));
            throw e;
        } catch (RuntimeException e) {
            logs.append(log.error("internal error in service '" + service + "'", "InternalServerError").finish(LogStatus.ERROR));
            throw e;
        }
    }

    private ServiceType typeOf(ConfiguredService service) {
        ServiceType type = types.get(service.type());
        if (type == null) {
            throw new ServiceCallException("service '" + service.name() + "' has type '" + service.type()
                    + "', which this Thimble runtime cannot call (it serves: " + String.join(", ", new TreeSet<>(types.keySet())) + ")");
        }
        return type;
    }

    private BsonDocument check(ServiceDef def, ServiceType type, ServiceRequest request, Caller caller, RequestInfo info) {
        if (caller.isSystem()) {
            return new BsonDocument("outcome", new BsonString("bypassed"))
                    .append("reason", new BsonString("the function runs as system: service rules do not apply"));
        }
        BsonDocument ruleArgs = type.ruleArguments(request);
        Document requestDoc = info == null ? new Document() : Document.parse(info.toBson().toJson());
        requestDoc.put("service", def.name());
        requestDoc.put("action", request.action());
        RuleContext context = rules.forCall(caller, Document.parse(ruleArgs.toJson()), requestDoc);
        ServiceRules.Verdict verdict = rulesOf(def).check(request.action(), context);
        return verdict.document();
    }

    private ServiceRules rulesOf(ServiceDef def) {
        AppModel current = app.get();
        Compiled snapshot = compiled;
        if (snapshot == null || snapshot.app() != current) {
            Map<String, ServiceRules> map = new LinkedHashMap<>();
            for (ServiceDef service : current.services()) {
                if (!service.isMongo()) {
                    map.put(service.name(), ServiceRules.compile(service));
                }
            }
            snapshot = new Compiled(current, map);
            compiled = snapshot;
        }
        ServiceRules found = snapshot.rules().get(def.name());
        return found != null ? found : ServiceRules.compile(def);
    }

    /** The service with its {@code secret_config} resolvable: key → secret name → the secret store's value. */
    static ConfiguredService configured(ServiceDef def, Function<String, Optional<String>> secrets) {
        Json config = def.config().obj("config");
        Json secretConfig = def.config().obj("secret_config");
        return new ConfiguredService(def.name(), def.type(), config, key -> {
            JsonNode name = secretConfig.get(key);
            return name == null || !name.isTextual() || name.asText().isEmpty() ? Optional.empty() : secrets.apply(name.asText());
        });
    }

    /** The arguments as logged: credentials in headers, passwords and cookie values masked. */
    private static BsonDocument masked(BsonDocument arguments) {
        BsonDocument copy = arguments.clone();
        if (copy.get("headers") instanceof BsonDocument headers) {
            for (String name : List.copyOf(headers.keySet())) {
                if (MASKED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, new BsonArray(List.of(new BsonString("****"))));
                }
            }
        }
        if (copy.containsKey("password")) {
            copy.put("password", new BsonString("****"));
        }
        if (copy.get("cookies") instanceof BsonDocument cookies) {
            for (String name : List.copyOf(cookies.keySet())) {
                cookies.put(name, new BsonString("****"));
            }
        }
        return copy;
    }
}
