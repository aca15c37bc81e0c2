package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.app.ValueDef;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * An app's values: list, create, get, replace (a new name renames it, rewriting what refers to it)
 * and delete. A value {@code from_secret} shows the secret's name, never its value.
 */
final class ValuesResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/values";

    private ValuesResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE, APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            for (ValueDef v : call.app().editor().model().values()) {
                out.addObject().put("_id", id(v)).put("name", v.name()).put("private", v.config().bool("private", false));
            }
            call.ok(out);
        });
        routes.post(BASE, APP, call -> {
            String name = call.text("name");
            ObjectNode config = config(name, call.object());
            call.app().editor().create(new EditableItem.Value(name), Entities.json(config), null);
            context.audit().changed(call, call.app(), "created value " + name);
            call.created(full(call.app().editor().model().value(name).orElseThrow()));
        });
        routes.get(BASE + "/{valueId}", APP, call -> call.ok(full(find(call))));
        routes.put(BASE + "/{valueId}", APP, call -> {
            ValueDef old = find(call);
            String name = call.object().path("name").asText(old.name());
            var editor = call.app().editor();
            if (!name.equals(old.name())) {
                editor.rename(new EditableItem.Value(old.name()), name);
            }
            ObjectNode config = config(name, call.object());
            editor.saveChecked(app -> ModelEdits.withJson(app, new EditableItem.Value(name), Entities.json(config)));
            context.audit().changed(call, call.app(), "replaced value " + name);
            call.ok(full(editor.model().value(name).orElseThrow()));
        });
        routes.delete(BASE + "/{valueId}", APP, call -> {
            ValueDef old = find(call);
            call.app().editor().delete(new EditableItem.Value(old.name()), false);
            context.audit().changed(call, call.app(), "deleted value " + old.name());
            call.noContent();
        });
    }

    private static ObjectNode config(String name, ObjectNode body) {
        if (!body.has("value")) {
            throw ApiError.badRequest("InvalidRequest", "\"value\" is required: any JSON value, or a secret's name with \"from_secret\": true.");
        }
        ObjectNode config = AdminCall.JSON.createObjectNode().put("name", name);
        Entities.copy(config, body, "value", "from_secret", "private");
        if (body.path("from_secret").asBoolean(false) && !body.get("value").isTextual()) {
            throw ApiError.badRequest("InvalidRequest", "A value from_secret names the secret: \"value\" must be its name.");
        }
        return config;
    }

    private static ValueDef find(AdminCall call) {
        return Entities.byId(call.app().editor().model().values(), call.param("valueId"), ValuesResource::id, "value");
    }

    static String id(ValueDef v) {
        return AdminIds.of(v.config(), "value", v.name());
    }

    private static ObjectNode full(ValueDef v) {
        ObjectNode out = AdminCall.JSON.createObjectNode();
        out.put("_id", id(v));
        out.put("name", v.name());
        out.put("private", v.config().bool("private", false));
        out.put("from_secret", v.fromSecret());
        JsonNode value = v.config().get("value");
        out.set("value", value == null ? AdminCall.JSON.nullNode() : value.deepCopy());
        return out;
    }
}
