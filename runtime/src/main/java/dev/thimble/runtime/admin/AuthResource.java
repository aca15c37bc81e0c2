package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;

import java.util.Optional;

import static dev.thimble.runtime.admin.AdminRoutes.Access.ADMIN;
import static dev.thimble.runtime.admin.AdminRoutes.Access.PUBLIC;

/**
 * Admin login (email/password, admin API key, and the {@code mongodb-cloud} public/private key pair),
 * profile, token refresh and logout. Failed logins are throttled per account and address as the apps'
 * client logins are.
 */
final class AuthResource {
    private AuthResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get("/auth/providers", PUBLIC, call -> call.ok(providers()));
        routes.post("/auth/providers/local-userpass/login", PUBLIC, call -> {
            String username = call.text("username");
            login(call, context, "local-userpass", username,
                    () -> context.identities().checkPassword(username, call.text("password")));
        });
        routes.post("/auth/providers/api-key/login", PUBLIC, call -> {
            String key = call.text("key");
            login(call, context, "api-key", null, () -> context.identities().checkApiKey(key));
        });
        routes.post("/auth/providers/mongodb-cloud/login", PUBLIC, call -> {
            String username = call.text("username");
            login(call, context, "mongodb-cloud", username,
                    () -> context.identities().checkCloudKey(username, call.text("apiKey")));
        });
        routes.get("/auth/profile", ADMIN, call -> call.ok(profile(call.admin(), context)));
        routes.post("/auth/session", PUBLIC, call -> {
            String[] session = context.tokens().verifyRefresh(call.bearer());
            if (context.identities().find(session[0]).isEmpty()) {
                context.tokens().logout(session[1]);
                throw ApiError.invalidSession("invalid session: this admin was deleted");
            }
            ObjectNode body = AdminCall.JSON.createObjectNode();
            body.put("access_token", context.tokens().access(session[0]));
            call.created(body);
        });
        routes.delete("/auth/session", PUBLIC, call -> {
            String[] session = context.tokens().verifyRefresh(call.bearer());
            context.tokens().logout(session[1]);
            call.noContent();
        });
    }

    private interface Check {
        Optional<AdminIdentities.Admin> admin();
    }

    private static void login(AdminCall call, AdminContext context, String provider, String account, Check check) {
        String address = AdminAudit.address(call);
        String throttled = account == null ? null : provider + ":" + account;
        context.throttle().check(throttled, address);
        Optional<AdminIdentities.Admin> admin = check.admin();
        if (admin.isEmpty()) {
            context.throttle().failed(throttled, address);
            throw new ApiError(401, "InvalidPassword", switch (provider) {
                case "local-userpass" -> "invalid username/password";
                case "api-key" -> "invalid API key";
                default -> "failed to authenticate with MongoDB Cloud API key: the public or private key is wrong";
            });
        }
        if (throttled != null) {
            context.throttle().succeeded(throttled, address);
        }
        AdminTokens.Session session = context.tokens().login(admin.get().id());
        context.audit().home(call, "logged in (" + provider + ")");
        ObjectNode body = AdminCall.JSON.createObjectNode();
        body.put("access_token", session.accessToken());
        body.put("refresh_token", session.refreshToken());
        body.put("user_id", admin.get().id());
        body.put("device_id", "000000000000000000000000");
        call.ok(body);
    }

    /**
     * The admin login providers. {@code mongodb-cloud} works (the current CLIs use it) but is not
     * listed: the vendor's document allows only app provider types in this list.
     */
    private static ArrayNode providers() {
        ArrayNode out = AdminCall.JSON.createArrayNode();
        for (String type : new String[]{"local-userpass", "api-key"}) {
            out.addObject().put("_id", AdminIds.derived("admin-provider", type)).put("name", type).put("type", type).put("disabled", false);
        }
        return out;
    }

    private static ObjectNode profile(AdminIdentities.Admin admin, AdminContext context) {
        ObjectNode body = AdminCall.JSON.createObjectNode();
        body.put("user_id", admin.id());
        body.put("domain_id", AdminIds.derived("admin-domain", context.groupId()));
        body.put("type", "normal");
        ObjectNode data = body.putObject("data");
        if (admin.kind().equals("local-userpass")) {
            data.put("email", admin.name());
        }
        data.put("name", admin.name());
        // a key pair is an API key: the document's provider types have no mongodb-cloud
        String providerType = admin.kind().equals("mongodb-cloud") ? "api-key" : admin.kind();
        body.putArray("identities").addObject().put("id", admin.id()).put("provider_type", providerType)
                .put("provider_id", AdminIds.derived("admin-provider", admin.kind()));
        body.putArray("roles").addObject().put("role_name", "GROUP_OWNER").put("group_id", context.groupId());
        return body;
    }
}
