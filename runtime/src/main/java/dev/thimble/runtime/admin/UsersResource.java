package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.auth.User;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * An app's users: list, create an email/password user (confirmed at once), get, delete, enable,
 * disable (which logs it out) and log out. All through the service layer's {@code AppUsers}.
 */
final class UsersResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/users";

    private UsersResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE, APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            call.app().editor().users().list().forEach(u -> out.add(user(u)));
            call.ok(out);
        });
        routes.post(BASE, APP, call -> {
            User made = call.app().editor().users().createEmailPasswordUser(call.text("email"), call.text("password"));
            context.audit().changed(call, call.app(), "created user " + made.id() + " (" + made.data().get("email") + ")");
            call.created(user(made));
        });
        routes.get(BASE + "/{userId}", APP, call -> call.ok(user(find(call))));
        routes.delete(BASE + "/{userId}", APP, call -> {
            User u = find(call);
            call.app().editor().users().delete(u.id());
            context.audit().changed(call, call.app(), "deleted user " + u.id());
            call.noContent();
        });
        routes.put(BASE + "/{userId}/enable", APP, call -> {
            User u = find(call);
            call.app().editor().users().enable(u.id());
            context.audit().changed(call, call.app(), "enabled user " + u.id());
            call.noContent();
        });
        routes.put(BASE + "/{userId}/disable", APP, call -> {
            User u = find(call);
            call.app().editor().users().disable(u.id());
            context.audit().changed(call, call.app(), "disabled user " + u.id());
            call.noContent();
        });
        routes.get(BASE + "/{userId}/devices", APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            call.app().editor().users().devices(find(call).id()).forEach((device, lastLogin) ->
                    out.addObject().put("_id", device).put("device_id", device).put("last_login", lastLogin.getEpochSecond()));
            call.ok(out);
        });
        routes.put(BASE + "/{userId}/logout", APP, call -> {
            User u = find(call);
            call.app().editor().users().logOut(u.id());
            context.audit().changed(call, call.app(), "logged out user " + u.id());
            call.noContent();
        });
    }

    private static User find(AdminCall call) {
        String id = call.param("userId");
        return call.app().editor().users().find(id).orElseThrow(() -> ApiError.notFound("UserNotFound",
                "There is no user " + id + " in this app."));
    }

    static ObjectNode user(User u) {
        ObjectNode out = AdminCall.JSON.createObjectNode();
        out.put("_id", u.id());
        ArrayNode identities = out.putArray("identities");
        for (User.Identity identity : u.identities()) {
            identities.addObject().put("id", identity.id()).put("provider_type", identity.providerType())
                    .put("provider_id", identity.providerId());
        }
        out.put("type", u.isServer() ? "server" : "normal");
        out.put("creation_date", u.created() == null ? 0 : u.created().getEpochSecond());
        out.put("last_authentication_date", u.lastAuthenticated() == null ? 0 : u.lastAuthenticated().getEpochSecond());
        out.put("disabled", u.disabled());
        ObjectNode data = out.putObject("data");
        for (var entry : u.data().entrySet()) {
            if (entry.getValue() instanceof String s) {
                data.put(entry.getKey(), s);
            }
        }
        return out;
    }

}
