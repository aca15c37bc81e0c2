package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.auth.ApiKeyStore;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * The app's API keys (server keys of its {@code api-key} provider): list, create (the key itself is
 * in this one answer, never again), get, enable, disable, delete.
 */
final class ApiKeysResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/api_keys";

    private ApiKeysResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE, APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            call.app().editor().apiKeys().list().forEach(k -> out.add(summary(k)));
            call.ok(out);
        });
        routes.post(BASE, APP, call -> {
            ApiKeyStore.CreatedKey made = call.app().editor().apiKeys().create(call.text("name"));
            context.audit().changed(call, call.app(), "created API key " + made.key().name() + " (" + made.key().id() + ")");
            call.created(summary(made.key()).put("key", made.secret()));
        });
        routes.get(BASE + "/{apiKeyId}", APP, call -> call.ok(summary(find(call))));
        routes.delete(BASE + "/{apiKeyId}", APP, call -> {
            ApiKeyStore.ApiKey key = find(call);
            call.app().editor().apiKeys().delete(key.id());
            context.audit().changed(call, call.app(), "deleted API key " + key.name() + " (" + key.id() + ")");
            call.noContent();
        });
        routes.put(BASE + "/{apiKeyId}/enable", APP, call -> setDisabled(call, context, false));
        routes.put(BASE + "/{apiKeyId}/disable", APP, call -> setDisabled(call, context, true));
    }

    private static void setDisabled(AdminCall call, AdminContext context, boolean disabled) {
        ApiKeyStore.ApiKey key = find(call);
        call.app().editor().apiKeys().setDisabled(key.id(), disabled);
        context.audit().changed(call, call.app(), (disabled ? "disabled" : "enabled") + " API key " + key.name() + " (" + key.id() + ")");
        call.noContent();
    }

    private static ApiKeyStore.ApiKey find(AdminCall call) {
        String id = call.param("apiKeyId");
        return call.app().editor().apiKeys().find(id).orElseThrow(() -> ApiError.notFound("APIKeyNotFound",
                "There is no API key " + id + " in this app."));
    }

    private static ObjectNode summary(ApiKeyStore.ApiKey key) {
        return AdminCall.JSON.createObjectNode().put("_id", key.id()).put("name", key.name()).put("disabled", key.disabled());
    }
}
