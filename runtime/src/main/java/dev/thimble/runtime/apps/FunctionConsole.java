package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.auth.AuthStores;
import dev.thimble.runtime.auth.User;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionError;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.functions.LogLine;
import dev.thimble.runtime.functions.TooManyExecutionsException;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import com.mongodb.client.model.Filters;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs the app's functions by hand, as a chosen caller (system, an anonymous user, or a user of the
 * app's user store), on the running server: the workbench's console, and what the admin API's
 * "execute function" would call. Private functions may be called (as in the hosted console). Each call
 * leaves a log record, like a client's. Blocking; no JavaFX.
 */
public final class FunctionConsole {
    /** The id the console's anonymous caller has: no such user is stored. */
    public static final String ANONYMOUS_ID = "console-anonymous";

    private final Supplier<Optional<AppHost>> host;

    FunctionConsole(Supplier<Optional<AppHost>> host) {
        this.host = host;
    }

    /** Whom a call runs as. */
    public sealed interface CallAs {
        String label();

        record System() implements CallAs {
            public String label() { return "System"; }
        }

        record Anonymous() implements CallAs {
            public String label() { return "Anonymous user"; }
        }

        /** A user of the app's user store, by id; {@code label} says who it is in a list. */
        record ExistingUser(String id, String label) implements CallAs {
        }
    }

    /**
     * One finished call.
     *
     * @param result   the returned value as indented relaxed Extended JSON, or null when the call failed
     * @param console  the function's {@code console.*} lines, {@code level: text}
     * @param error    what went wrong with the user's stack, or null
     * @param duration the function's run time
     */
    public record Outcome(String function, CallAs as, String arguments, String result, List<String> console, String error,
                         Duration duration) {
        public Outcome {
            console = List.copyOf(console);
        }

        public boolean succeeded() {
            return error == null;
        }
    }

    /** The app's users, newest last, each with a label naming its provider and e-mail when known. */
    public List<CallAs.ExistingUser> users() {
        AppHost running = requireRunning();
        List<CallAs.ExistingUser> out = new ArrayList<>();
        for (User user : stores(running).users().list()) {
            out.add(new CallAs.ExistingUser(user.id(), describe(user)));
        }
        return out;
    }

    private static String describe(User user) {
        Object email = user.data().get("email");
        String provider = user.identities().isEmpty() ? user.type() : user.identities().getFirst().providerType();
        return (email != null ? email + " (" + provider + ")" : provider) + " " + user.id();
    }

    /**
     * Calls {@code function} with {@code argumentsJson} (an Extended JSON array, empty for none) as
     * {@code as}. A function failure is an {@link Outcome} with an error, not an exception.
     *
     * @throws IllegalArgumentException when the server is stopped, the function does not exist, the
     *                                  arguments are not an array or the user is not in the store;
     *                                  nothing ran then
     */
    public Outcome call(String function, String argumentsJson, CallAs as) {
        AppHost running = requireRunning();
        AppModel app = running.app();
        FunctionDef def = app.function(function).orElseThrow(() -> new IllegalArgumentException(
                "There is no function '" + function + "' in " + app.name() + "; choose one of: "
                        + String.join(", ", app.functions().stream().map(FunctionDef::name).toList()) + "."));
        BsonArray arguments = ExtendedJson.parseArray(argumentsJson, "The arguments");
        boolean hideArguments = def.config().bool("disable_arg_logs", false);
        return run(running, function, def.config().text("id", ""), hideArguments, argumentsJson, arguments, as,
                request -> running.services().functions().execute(function, arguments.getValues(), request));
    }

    /**
     * Runs ad-hoc code as {@code as} (as the Stitch console did): either a function source
     * ({@code exports = function(arg) {...}}, called with {@code argumentsJson}) or plain statements,
     * run as the body of an async function (so {@code return} and {@code await} work). It sees the
     * whole {@code context} of the running app; nothing of it is saved. The log record names it
     * {@code console:snippet}.
     *
     * @throws IllegalArgumentException when the server is stopped, the code is empty, the arguments are
     *                                  not an array or the user is not in the store; nothing ran then
     */
    public Outcome runSnippet(String code, String argumentsJson, CallAs as) {
        AppHost running = requireRunning();
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("Write some code to run, e.g. return context.user;");
        }
        String source = asFunctionSource(code);
        BsonArray arguments = ExtendedJson.parseArray(argumentsJson, "The arguments");
        String name = dev.thimble.runtime.functions.FunctionEngine.snippetName();
        return run(running, name, "", false, argumentsJson, arguments, as,
                request -> running.services().functions().executeSnippet(source, arguments.getValues(), request));
    }

    /** Statements become the body of an async function; a source that assigns {@code exports} stays as written. */
    static String asFunctionSource(String code) {
        return code.contains("exports") ? code : "exports = async function(...args) {\n" + code + "\n};\n";
    }

    private Outcome run(AppHost running, String function, String functionId, boolean hideArguments, String argumentsJson,
                        BsonArray arguments, CallAs as, java.util.function.Function<ExecutionRequest, FunctionResult> execute) {
        AppModel app = running.app();
        ExecutionRequest request = switch (as) {
            case CallAs.System s -> ExecutionRequest.asSystem();
            case CallAs.Anonymous a -> ExecutionRequest.asUser(anonymous());
            case CallAs.ExistingUser u -> ExecutionRequest.asUser(user(running, app, u.id()));
        };
        LogRecord.Builder log = LogRecord.start(LogType.FUNCTION, Clock.systemUTC())
                .request("CONSOLE", "workbench console")
                .userId(as instanceof CallAs.System ? null : request.caller().userId())
                .function(function, functionId)
                .arguments(arguments, hideArguments);
        FunctionResult result;
        try {
            result = execute.apply(request);
        } catch (TooManyExecutionsException e) {
            running.logs().append(log.error(e.getMessage(), "TooManyRequests").finish(LogStatus.ERROR));
            return new Outcome(function, as, argumentsJson, null, List.of(), e.getMessage(), Duration.ZERO);
        }
        log.messages(result.messages());
        List<String> lines = result.logs().stream().map(FunctionConsole::line).toList();
        if (!result.succeeded()) {
            FunctionError error = result.error();
            running.logs().append(log.error(error.describe(), error.code()).finish(LogStatus.ERROR));
            return new Outcome(function, as, argumentsJson, null, lines, error.describe(), result.duration());
        }
        running.logs().append(log.result(result.value(), hideArguments).finish(LogStatus.SUCCESS));
        return new Outcome(function, as, argumentsJson, ExtendedJson.format(result.value()), lines, null, result.duration());
    }

    private static String line(LogLine line) {
        return line.level() + ": " + line.message();
    }

    private static Principal anonymous() {
        return Principal.normal(ANONYMOUS_ID).withIdentities(List.of(new Principal.Identity(ANONYMOUS_ID, "anon-user")));
    }

    private static Principal user(AppHost running, AppModel app, String id) {
        User user = stores(running).users().find(id).orElseThrow(() -> new IllegalArgumentException(
                "There is no user " + id + " in the app's user store any more; choose another user."));
        return user.principal(customData(running, app, id));
    }

    /** The user's custom user data document, as a login would read it. */
    private static Document customData(AppHost running, AppModel app, String userId) {
        Json config = app.customUserData();
        if (!config.bool("enabled", false)) {
            return new Document();
        }
        Document found = running.database().database(config.text("database_name", ""))
                .getCollection(config.text("collection_name", ""))
                .find(Filters.eq(config.text("user_id_field", "user_id"), userId)).first();
        return found == null ? new Document() : found;
    }

    private static AuthStores stores(AppHost running) {
        return AuthStores.in(running.database().database(AppHost.stateDatabaseName(running.app().clientAppId())));
    }

    private AppHost requireRunning() {
        return host.get().orElseThrow(() -> new IllegalArgumentException(
                "The server is stopped; start it (Server > Start) to call functions."));
    }
}
