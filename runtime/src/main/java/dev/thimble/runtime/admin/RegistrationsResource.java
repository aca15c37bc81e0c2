package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.auth.UserpassStore;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * Registrations of the app's email/password provider that wait for confirmation, by email: list,
 * send a confirmation (answers its token and token id, which the SDK harnesses confirm with through
 * the client API), confirm at once, re-run the confirmation workflow (the provider's confirmation function, or
 * a new confirmation email), delete.
 */
final class RegistrationsResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/user_registrations";

    private RegistrationsResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE + "/pending_users", APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            for (UserpassStore.Account account : call.app().editor().users().pendingRegistrations(call.query("after"))) {
                ObjectNode pending = out.addObject().put("_id", account.id()).put("domain_id", AdminIds.domainId(call.app().clientAppId()))
                        .put("user_id", "");
                pending.putArray("login_ids").addObject().put("id_type", "email").put("id", account.email());
            }
            call.ok(out);
        });
        routes.post(BASE + "/by_email/{email}/send_confirm", APP, call -> {
            UserpassStore.IssuedToken token = call.app().editor().users().issueConfirmation(call.param("email"));
            context.audit().changed(call, call.app(), "issued a confirmation for " + call.param("email"));
            call.ok(AdminCall.JSON.createObjectNode().put("token", token.token()).put("token_id", token.tokenId()));
        });
        routes.post(BASE + "/by_email/{email}/confirm", APP, call -> {
            call.app().editor().users().confirmRegistration(call.param("email"));
            context.audit().changed(call, call.app(), "confirmed the registration of " + call.param("email"));
            call.noContent();
        });
        routes.post(BASE + "/by_email/{email}/run_confirm", APP, call -> {
            dev.thimble.runtime.apps.AppUsers.Rerun rerun = call.app().editor().users().rerunConfirmation(call.param("email"));
            context.audit().changed(call, call.app(), (rerun == dev.thimble.runtime.apps.AppUsers.Rerun.FUNCTION_RAN
                    ? "re-ran the confirmation function for " : "sent a new confirmation email to ") + call.param("email"));
            call.accepted();
        });
        routes.delete(BASE + "/by_email/{email}", APP, call -> {
            call.app().editor().users().deleteRegistration(call.param("email"));
            context.audit().changed(call, call.app(), "deleted the pending registration of " + call.param("email"));
            call.noContent();
        });
    }
}
