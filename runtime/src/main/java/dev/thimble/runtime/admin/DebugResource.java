package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.apps.FunctionConsole;

import java.util.Locale;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * Runs a function of the app as a given user ({@code user_id}) or as system ({@code run_as_system=true})
 * through the service layer's function console, and answers its result, console lines and run time.
 * The call leaves a log record like a client's.
 */
final class DebugResource {
    private DebugResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.post("/groups/{groupId}/apps/{appId}/debug/execute_function", APP, call -> {
            String userId = call.query("user_id");
            boolean asSystem = call.flag("run_as_system");
            if ((userId == null) == !asSystem) {
                throw ApiError.badRequest("InvalidRequest", "Give either ?user_id=<a user's id> or ?run_as_system=true (exactly one).");
            }
            String name = call.text("name");
            JsonNode arguments = call.object().path("arguments");
            if (!arguments.isMissingNode() && !arguments.isArray()) {
                throw ApiError.badRequest("InvalidRequest", "\"arguments\" is an array of the function's arguments.");
            }
            FunctionConsole.CallAs as = asSystem ? new FunctionConsole.CallAs.System()
                    : new FunctionConsole.CallAs.ExistingUser(userId, userId);
            FunctionConsole.Outcome outcome = call.app().editor().console()
                    .call(name, arguments.isArray() ? arguments.toString() : "[]", as);
            ObjectNode out = AdminCall.JSON.createObjectNode();
            if (outcome.succeeded()) {
                out.set("result", AdminCall.JSON.readTree(outcome.result()));
            } else {
                out.putObject("error").put("message", outcome.error()).put("name", "FunctionError");
            }
            out.set("logs", AdminCall.JSON.valueToTree(outcome.console()));
            out.putObject("stats").put("execution_time",
                    String.format(Locale.ROOT, "%.3fms", outcome.duration().toNanos() / 1_000_000.0));
            call.ok(out);
        });
    }
}
