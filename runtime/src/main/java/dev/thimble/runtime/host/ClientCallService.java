package dev.thimble.runtime.host;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.NotFound;
import dev.thimble.runtime.errors.InvalidInput;
import dev.thimble.runtime.errors.Forbidden;
import dev.thimble.runtime.errors.LimitExceeded;
import dev.thimble.runtime.errors.InternalFailure;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.data.MongoActions;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.FunctionError;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.functions.RequestInfo;
import dev.thimble.runtime.functions.TooManyExecutionsException;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.server.ClientCalls;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The client's {@code functions/call}: user functions through the function engine (private ones
 * refused), MongoDB actions through the rule-applying actions. Every call leaves one log record with
 * its user, duration, status, console output and rule decisions.
 */
public final class ClientCallService implements ClientCalls {
    private final Supplier<FunctionEngine> functions;
    private final MongoActions actions;
    private final RuleContexts contexts;
    private final DatabaseCallTrails trails;
    private final LogService logs;
    private final Clock clock;

    ClientCallService(Supplier<FunctionEngine> functions, MongoActions actions, RuleContexts contexts, DatabaseCallTrails trails,
                      LogService logs, Clock clock) {
        this.functions = functions;
        this.actions = actions;
        this.contexts = contexts;
        this.trails = trails;
        this.logs = logs;
        this.clock = clock;
    }

    @Override
    public BsonValue callFunction(AuthService.Authenticated caller, String name, BsonArray arguments, CallInfo info) {
        if (caller.warmUp()) {
            return warmUpCall(arguments, info); // the warm-up's own caller runs the warm-up's call only (decision record 0075)
        }
        return call(functionUser(caller), caller.user().id(), name, arguments, info, false);
    }

    /**
     * The warm-up's call (decision record 0047): the same steps as a client's call (log record built with the
     * result and console lines, trail, run-as request, in-place execution), as a synthetic user that is no app
     * user, running the engine's built-in warm-up function or an app function that cannot reach out (decision 0060);
     * the record is written only to the log store's scratch collection (decision 0071), never to the app's logs.
     */
    @Override
    public BsonValue warmUpCall(BsonArray arguments, CallInfo info) {
        return call(WARM_UP_USER, WARM_UP_USER.id(), "thimble-warm-up", arguments, info, true);
    }

    /** Drops the scratch collection the warm-up's log records went to (decision record 0071). */
    @Override
    public void warmUpEnded() {
        logs.warmUpEnded();
    }

    /** The warm-up's caller: an id no user of any app has (user ids are ObjectIds). */
    private static final Principal WARM_UP_USER = Principal.normal("thimble-warm-up");

    private BsonValue call(Principal user, String userId, String name, BsonArray arguments, CallInfo info, boolean warmUp) {
        // the warm-up's record goes through the store's code into a scratch collection, never the app's logs (0071)
        java.util.function.Consumer<LogRecord> sink = warmUp ? logs::storeWarmUpRecord : logs::append;
        LogRecord.Builder log = start(LogType.FUNCTION, userId, info);
        FunctionEngine engine = functions.get();
        java.util.Optional<FunctionDef> function = warmUp ? java.util.Optional.empty() : engine.function(name);
        boolean disableArgLogs = function.map(f -> f.config().bool("disable_arg_logs", false)).orElse(false);
        log.function(name, function.map(f -> f.config().text("id", "")).orElse(""))
                .arguments(arguments, disableArgLogs);
        FunctionResult result;
        try (DatabaseCallTrails.Trail trail = trails.open(user)) {
            try {
                ExecutionRequest request = request(user, info).withOrigin(dev.thimble.runtime.functions.ExecutionOrigin.of(
                        dev.thimble.runtime.functions.ExecutionOrigin.Kind.SDK_CALL, "SDK callFunction " + name + " by user " + userId));
                result = warmUp ? engine.executeWarmUp(arguments.getValues(), request)
                        : engine.executeFromClient(name, arguments.getValues(), request);
            } catch (TooManyExecutionsException e) {
                Failure error = LimitExceeded.tooManyRequests("TooManyRequests", e.getMessage());
                sink.accept(log.error(error.getMessage(), error.code()).finish(LogStatus.ERROR));
                throw error;
            } catch (RuntimeException e) {
                sink.accept(log.error("internal error running function " + name, "InternalServerError").finish(LogStatus.ERROR));
                throw e;
            }
            log.decision(trail.toDocument());
        }
        log.messages(result.messages());
        if (!result.succeeded()) {
            FunctionError error = result.error();
            Failure failure = toFailure(error);
            sink.accept(log.error(error.describe(), failure.code()).finish(LogStatus.ERROR));
            throw failure;
        }
        sink.accept(log.result(result.value(), disableArgLogs).finish(LogStatus.SUCCESS));
        return result.value();
    }

    @Override
    public BsonValue callService(AuthService.Authenticated caller, String service, String action, BsonDocument argument, CallInfo info) {
        if (caller.warmUp()) { // the warm-up's caller reaches no data (decision record 0075)
            throw dev.thimble.runtime.errors.Unauthenticated.invalidSession("invalid session: log in again");
        }
        LogRecord.Builder log = start(LogType.SERVICE_FUNCTION, caller.user().id(), info)
                .service(service, action)
                .namespace(text(argument, "database") + "." + text(argument, "collection"))
                .arguments(new BsonArray(List.of(argument)), false);
        try {
            MongoActions.ActionResult result = actions.execute(service, action, argument,
                    contexts.forCaller(Caller.user(functionUser(caller))));
            logs.append(log.decision(decisions(result.decisions())).finish(LogStatus.SUCCESS));
            return result.value();
        } catch (Failure e) {
            logs.append(log.error(e.logMessage(), e.code()).finish(LogStatus.ERROR));
            throw e;
        } catch (RuntimeException e) {
            logs.append(log.error("internal error running " + service + " " + action, "InternalServerError").finish(LogStatus.ERROR));
            throw e;
        }
    }

    static Principal functionUser(AuthService.Authenticated caller) {
        return caller.principal();
    }

    private ExecutionRequest request(Principal user, CallInfo info) {
        RequestInfo request = new RequestInfo(info.remoteAddress(), info.headers(), null, info.method(),
                RequestInfo.withoutSecret(info.rawQueryString()), header(info, "Referer"), header(info, "User-Agent"), null, null);
        return ExecutionRequest.asUser(user).withRequest(request);
    }

    private LogRecord.Builder start(LogType type, String userId, CallInfo info) {
        return LogRecord.start(type, clock)
                .request(info.method(), info.url())
                .userId(userId)
                .remoteIpAddress(info.remoteAddress());
    }

    private static Failure toFailure(FunctionError error) {
        String message = error.kind() == FunctionError.Kind.INTERNAL ? error.message() : error.describe();
        return switch (error.kind()) {
            case NOT_FOUND -> new NotFound(error.code(), message);
            case NOT_CALLABLE -> new Forbidden(error.code(), message);
            case INTERNAL -> new InternalFailure(error.code(), message);
            default -> new InvalidInput(error.code(), message);
        };
    }

    private static BsonDocument decisions(List<Decision> decisions) {
        BsonArray array = new BsonArray();
        decisions.forEach(d -> array.add(d.toDocument().toBsonDocument()));
        return new BsonDocument("documents", array);
    }

    private static String text(BsonDocument document, String field) {
        BsonValue value = document.get(field);
        return value != null && value.isString() ? value.asString().getValue() : "";
    }

    private static String header(CallInfo info, String name) {
        return info.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .findFirst().orElse(null);
    }
}
