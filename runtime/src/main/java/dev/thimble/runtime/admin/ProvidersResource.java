package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.apps.AppEditor;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * An app's authentication providers: list, create, get, update, enable, disable, delete. A
 * {@code secret_config} field in a request is either the name of one of the app's secrets or a secret
 * value, which is stored as a new secret of the app (named after the provider and field) so that the
 * bundle only ever names it; answers never carry {@code secret_config}.
 */
final class ProvidersResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/auth_providers";

    private ProvidersResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE, APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            for (AuthProviderDef p : call.app().editor().model().authProviders()) {
                out.addObject().put("_id", id(p)).put("name", p.name()).put("type", p.type()).put("disabled", p.disabled());
            }
            call.ok(out);
        });
        routes.post(BASE, APP, call -> {
            String type = call.text("type");
            String name = call.object().path("name").asText(type);
            AppEditor editor = call.app().editor();
            ObjectNode config = AdminCall.JSON.createObjectNode().put("name", name).put("type", type);
            Entities.copy(config, call.object(), "config", "metadata_fields", "redirect_uris", "domain_restrictions", "disabled");
            if (!config.has("disabled")) {
                config.put("disabled", false);
            }
            secretConfig(editor, name, call.object().get("secret_config"), config);
            editor.create(new EditableItem.AuthProvider(name), Json.of(config), null);
            context.audit().changed(call, call.app(), "created auth provider " + name + " (" + type + ")");
            call.created(full(editor.model().authProvider(name).orElseThrow()));
        });
        routes.get(BASE + "/{providerId}", APP, call -> call.ok(full(find(call))));
        routes.put(BASE + "/{providerId}", APP, call -> update(call, context));
        routes.patch(BASE + "/{providerId}", APP, call -> update(call, context));
        routes.put(BASE + "/{providerId}/enable", APP, call -> setDisabled(call, context, false));
        routes.put(BASE + "/{providerId}/disable", APP, call -> setDisabled(call, context, true));
        routes.delete(BASE + "/{providerId}", APP, call -> {
            AuthProviderDef old = find(call);
            call.app().editor().delete(new EditableItem.AuthProvider(old.name()), false);
            context.audit().changed(call, call.app(), "deleted auth provider " + old.name());
            call.noContent();
        });
    }

    /** Merges the request's fields into the provider (its name and type stay). */
    private static void update(AdminCall call, AdminContext context) throws IOException {
        AuthProviderDef old = find(call);
        ObjectNode body = call.object();
        if (body.has("type") && !body.path("type").asText().equals(old.type())) {
            throw ApiError.badRequest("InvalidRequest", "A provider's type cannot change (it is " + old.type() + "); add a new provider instead.");
        }
        AppEditor editor = call.app().editor();
        ObjectNode config = old.config().object().deepCopy();
        Entities.copy(config, body, "config", "metadata_fields", "redirect_uris", "domain_restrictions", "disabled");
        secretConfig(editor, old.name(), body.get("secret_config"), config);
        editor.saveChecked(app -> ModelEdits.withJson(app, new EditableItem.AuthProvider(old.name()), Json.of(config)));
        context.audit().changed(call, call.app(), "updated auth provider " + old.name());
        call.noContent();
    }

    private static void setDisabled(AdminCall call, AdminContext context, boolean disabled) throws IOException {
        AuthProviderDef old = find(call);
        ObjectNode config = old.config().object().deepCopy().put("disabled", disabled);
        call.app().editor().saveChecked(app -> ModelEdits.withJson(app, new EditableItem.AuthProvider(old.name()), Json.of(config)));
        context.audit().changed(call, call.app(), (disabled ? "disabled" : "enabled") + " auth provider " + old.name());
        call.noContent();
    }

    /** Writes {@code secret_config} into {@code config} as secret names, storing given values as new secrets first. */
    private static void secretConfig(AppEditor editor, String provider, JsonNode requested, ObjectNode config) throws IOException {
        if (requested == null || requested.isNull()) {
            return;
        }
        if (!requested.isObject()) {
            throw ApiError.badRequest("InvalidRequest", "\"secret_config\" is an object of field → secret (name or value).");
        }
        ObjectNode names = config.has("secret_config") && config.get("secret_config").isObject()
                ? (ObjectNode) config.get("secret_config") : config.putObject("secret_config");
        for (Iterator<Map.Entry<String, JsonNode>> it = requested.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String given = field.getValue().asText("");
            if (given.isEmpty()) {
                continue;
            }
            if (editor.model().secretNames().contains(given)) {
                names.put(field.getKey(), given);
                continue;
            }
            String secret = (provider + "-" + field.getKey()).replaceAll("[^A-Za-z0-9_-]", "-");
            if (editor.model().secretNames().contains(secret)) {
                editor.setSecret(secret, given);
            } else {
                editor.createSecret(secret, given);
            }
            names.put(field.getKey(), secret);
        }
    }

    private static AuthProviderDef find(AdminCall call) {
        return Entities.byId(call.app().editor().model().authProviders(), call.param("providerId"), ProvidersResource::id, "auth provider");
    }

    static String id(AuthProviderDef p) {
        return AdminIds.of(p.config(), "auth-provider", p.name());
    }

    /** The provider as the API shows it: everything but {@code secret_config}. */
    private static ObjectNode full(AuthProviderDef p) {
        ObjectNode out = AdminCall.JSON.createObjectNode();
        out.put("_id", id(p));
        out.put("name", p.name());
        out.put("type", p.type());
        out.put("disabled", p.disabled());
        Entities.copy(out, p.config().object(), "config", "metadata_fields", "redirect_uris", "domain_restrictions");
        return out;
    }
}
