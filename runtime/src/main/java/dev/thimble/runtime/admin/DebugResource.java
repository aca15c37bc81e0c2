package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.apps.FunctionConsole;
import dev.thimble.runtime.auth.User;
import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.rules.ExpressionCompiler;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.rules.RuleException;
import org.bson.Document;

import java.io.IOException;
import java.util.Locale;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * Runs code of the app as a given user ({@code user_id}) or as system ({@code run_as_system=true})
 * through the service layer's function console, and answers its result, console lines and run time:
 * {@code execute_function} a function of the app, {@code execute_function_source} a source snippet
 * ({@code exports = function(…) {…}} or plain statements) that is run once and never saved. Both go
 * through the app's one function runtime, so a snippet has the same sandbox and limits (time,
 * statements, memory, concurrent runs) as every function. Each run leaves a FUNCTION log record. A
 * failing function is a 200 with {@code error}, as the vendor's server answered.
 */
final class DebugResource {
    /** A snippet is typed or pasted by a person; a larger body is a mistake. */
    static final int SOURCE_LIMIT = 256 * 1024;

    private DebugResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.post("/groups/{groupId}/apps/{appId}/debug/execute_function", APP, call -> {
            FunctionConsole.CallAs as = caller(call);
            String name = call.text("name");
            String arguments = arguments(call);
            call.ok(answer(call.app().editor().console().call(name, arguments, as)));
        });
        routes.post("/groups/{groupId}/apps/{appId}/debug/execute_function_source", APP, call -> {
            FunctionConsole.CallAs as = caller(call);
            String source = call.text("source");
            if (source.length() > SOURCE_LIMIT) {
                throw ApiError.badRequest("InvalidRequest", "\"source\" is longer than " + SOURCE_LIMIT / 1024
                        + " KiB; make it a function of the app and use execute_function.");
            }
            String arguments = arguments(call);
            JsonNode evalSource = call.object().get("eval_source");
            if (!mayRun(call, evalSource, as)) {
                ObjectNode refused = AdminCall.JSON.createObjectNode();
                refused.putObject("error").put("message", "eval_source is false for this caller; the source did not run")
                        .put("name", "FunctionNotCallable");
                refused.putArray("logs");
                refused.putObject("stats").put("execution_time", "0.000ms");
                call.ok(refused);
                return;
            }
            call.ok(answer(call.app().editor().console().runSnippet(source, arguments, as)));
        });
    }

    /**
     * Whom the code runs as: exactly one of {@code ?user_id=} and {@code ?run_as_system=true}. The
     * generated npm client always sends both (its document marks both required), so an empty
     * {@code user_id} and {@code run_as_system=false} count as not given.
     */
    private static FunctionConsole.CallAs caller(AdminCall call) {
        String given = call.query("user_id");
        String userId = given == null || given.isBlank() ? null : given;
        boolean asSystem = call.flag("run_as_system");
        if ((userId == null) == !asSystem) {
            throw ApiError.badRequest("InvalidRequest", "Give either ?user_id=<a user's id> or ?run_as_system=true (exactly one).");
        }
        return asSystem ? new FunctionConsole.CallAs.System() : new FunctionConsole.CallAs.ExistingUser(userId, userId);
    }

    /** The body's {@code arguments} as a JSON array text ({@code []} when absent). */
    private static String arguments(AdminCall call) {
        JsonNode arguments = call.object().path("arguments");
        if (!arguments.isMissingNode() && !arguments.isArray()) {
            throw ApiError.badRequest("InvalidRequest", "\"arguments\" is an array of the function's arguments.");
        }
        return arguments.isArray() ? arguments.toString() : "[]";
    }

    /**
     * {@code eval_source}: a rule expression (JSON, or a string of JSON) over {@code %%user} that must
     * hold before the source runs, as a function's {@code can_evaluate}; blank or absent always holds.
     */
    private static boolean mayRun(AdminCall call, JsonNode evalSource, FunctionConsole.CallAs as) {
        JsonNode expression = evalSource;
        if (expression == null || expression.isNull() || expression.isTextual() && expression.asText().isBlank()) {
            return true;
        }
        if (expression.isTextual()) {
            try {
                expression = AdminCall.JSON.readTree(expression.asText());
            } catch (IOException e) {
                throw ApiError.badRequest("InvalidRequest", "\"eval_source\" is a JSON rule expression, e.g. {\"%%user.data.email\": "
                        + "\"ann@example.com\"}; this one is not JSON.");
            }
        }
        if (!expression.isObject() && !expression.isBoolean()) {
            throw ApiError.badRequest("InvalidRequest", "\"eval_source\" is a JSON rule expression (an object or a boolean).");
        }
        RuleContext context = switch (as) {
            case FunctionConsole.CallAs.ExistingUser u -> {
                User user = call.app().editor().users().find(u.id()).orElseThrow(() -> ApiError.badRequest("InvalidRequest",
                        "There is no user " + u.id() + " in this app (ids come from GET …/users)."));
                yield RuleContext.forUser(user.principal(new Document())).build();
            }
            default -> RuleContext.system();
        };
        try {
            return ExpressionCompiler.forServiceRules().compile(expression, "eval_source").test(context);
        } catch (RuleException e) {
            throw ApiError.badRequest("InvalidRequest", "\"eval_source\" cannot be evaluated: " + e.getMessage());
        }
    }

    private static ObjectNode answer(FunctionConsole.Outcome outcome) throws IOException {
        ObjectNode out = AdminCall.JSON.createObjectNode();
        if (outcome.succeeded()) {
            out.set("result", AdminCall.JSON.readTree(outcome.result()));
        } else {
            out.putObject("error").put("message", outcome.error()).put("name", "FunctionError");
        }
        out.set("logs", AdminCall.JSON.valueToTree(outcome.console()));
        out.putObject("stats").put("execution_time",
                String.format(Locale.ROOT, "%.3fms", outcome.duration().toNanos() / 1_000_000.0));
        return out;
    }
}
