package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.thimble.runtime.apps.EditableItem;

import java.util.List;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * An app's secrets: the names live in the bundle, the values in the home's secret store. A secret's
 * value is taken, never returned: lists and answers carry names and ids only.
 */
final class SecretsResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/secrets";

    private SecretsResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE, APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            for (String name : names(call)) {
                out.addObject().put("_id", id(name)).put("name", name);
            }
            call.ok(out);
        });
        routes.post(BASE, APP, call -> {
            String name = call.text("name");
            call.app().editor().createSecret(name, call.text("value"));
            context.audit().changed(call, call.app(), "created secret " + name);
            call.created(AdminCall.JSON.createObjectNode().put("_id", id(name)).put("name", name));
        });
        routes.put(BASE + "/{secretId}", APP, call -> {
            String old = find(call);
            String name = call.object().path("name").asText(old);
            var editor = call.app().editor();
            if (!name.equals(old)) {
                editor.rename(new EditableItem.Secret(old), name);
            }
            if (call.object().hasNonNull("value")) {
                editor.setSecret(name, call.text("value"));
            }
            context.audit().changed(call, call.app(), "updated secret " + name + (name.equals(old) ? "" : " (was " + old + ")"));
            call.noContent();
        });
        routes.delete(BASE + "/{secretId}", APP, call -> {
            String old = find(call);
            call.app().editor().delete(new EditableItem.Secret(old), false);
            context.audit().changed(call, call.app(), "deleted secret " + old);
            call.noContent();
        });
    }

    private static List<String> names(AdminCall call) {
        return call.app().editor().model().secretNames().stream().sorted().toList();
    }

    private static String find(AdminCall call) {
        return Entities.byId(names(call), call.param("secretId"), SecretsResource::id, "secret");
    }

    static String id(String name) {
        return AdminIds.derived("secret", name);
    }
}
