package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * An app's triggers: list, create, get, replace, delete, and resume a suspended one, after its stored
 * position (the failed event runs again) or, with {@code disable_token}, from now. The function is
 * named by {@code function_id} or {@code function_name} (either; the answer carries both).
 */
final class TriggersResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/triggers";
    private static final String[] FIELDS = {"type", "config", "disabled", "event_processors", "error_handler"};

    private TriggersResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE, APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            AppModel app = call.app().editor().model();
            app.triggers().forEach(t -> out.add(full(app, t)));
            call.ok(out);
        });
        routes.post(BASE, APP, call -> {
            String name = call.text("name");
            ObjectNode config = config(call, name);
            call.app().editor().create(new EditableItem.Trigger(name), Json.of(config), null);
            context.audit().changed(call, call.app(), "created trigger " + name);
            AppModel app = call.app().editor().model();
            call.created(full(app, find(app, name)));
        });
        routes.get(BASE + "/{triggerId}", APP, call -> call.ok(full(call.app().editor().model(), byId(call))));
        routes.put(BASE + "/{triggerId}", APP, call -> {
            TriggerDef old = byId(call);
            String name = call.object().path("name").asText(old.name());
            var editor = call.app().editor();
            if (!name.equals(old.name())) {
                editor.rename(new EditableItem.Trigger(old.name()), name);
            }
            ObjectNode config = config(call, name);
            if (old.config().has("id")) {
                config.put("id", old.config().text("id"));
            }
            editor.saveChecked(app -> ModelEdits.withJson(app, new EditableItem.Trigger(name), Json.of(config)));
            context.audit().changed(call, call.app(), "replaced trigger " + name);
            call.noContent();
        });
        routes.delete(BASE + "/{triggerId}", APP, call -> {
            TriggerDef old = byId(call);
            call.app().editor().delete(new EditableItem.Trigger(old.name()), false);
            context.audit().changed(call, call.app(), "deleted trigger " + old.name());
            call.ok(AdminCall.JSON.createObjectNode()); // the document has this one answer 200, not 204
        });
        routes.put(BASE + "/{triggerId}/resume", APP, call -> {
            TriggerDef t = byId(call);
            boolean fromNow = call.object().path("disable_token").asBoolean(false);
            if (fromNow) {
                call.app().host().triggers().resumeFromNow(t.name());
            } else {
                call.app().host().triggers().resume(t.name());
            }
            context.audit().changed(call, call.app(), "resumed trigger " + t.name() + (fromNow ? " from now" : " after its stored position"));
            call.noContent();
        });
    }

    /** The trigger's config from the request: the function by id or name, written as the bundle names it. */
    private static ObjectNode config(AdminCall call, String name) {
        ObjectNode body = call.object();
        ObjectNode config = Entities.copy(AdminCall.JSON.createObjectNode().put("name", name), body, FIELDS);
        if (config.get("config") instanceof ObjectNode inner) {
            // the API names the service by id and an auth trigger's action operation_type; the bundle by name and action_type
            String serviceId = inner.path("service_id").asText("");
            if (!serviceId.isEmpty()) {
                inner.put("service_name", Entities.byId(call.app().editor().model().services(), serviceId, ServicesResource::id, "service").name());
                inner.remove("service_id");
            }
            if (inner.has("operation_type") && !inner.has("action_type")) {
                inner.set("action_type", inner.remove("operation_type"));
            }
        }
        String function = body.path("function_name").asText("");
        String functionId = body.path("function_id").asText("");
        if (function.isEmpty() && !functionId.isEmpty()) {
            function = Entities.byId(call.app().editor().model().functions(), functionId, FunctionsResource::id, "function").name();
        }
        if (!function.isEmpty()) {
            config.put("function_name", function);
        } else if (!body.has("event_processors")) {
            throw ApiError.badRequest("InvalidRequest", "A trigger names its function: function_id, function_name or event_processors.");
        }
        return config;
    }

    private static TriggerDef byId(AdminCall call) {
        return Entities.byId(call.app().editor().model().triggers(), call.param("triggerId"), TriggersResource::id, "trigger");
    }

    private static TriggerDef find(AppModel app, String name) {
        return app.triggers().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    static String id(TriggerDef t) {
        return AdminIds.of(t.config(), "trigger", t.name());
    }

    private static ObjectNode full(AppModel app, TriggerDef t) {
        ObjectNode out = AdminCall.JSON.createObjectNode().put("_id", id(t)).put("name", t.name()).put("type", t.type());
        out.put("disabled", t.disabled());
        Entities.copy(out, t.config().object(), "config", "error_handler");
        if (out.get("config") instanceof ObjectNode inner) {
            app.service(inner.path("service_name").asText("")).map(ServicesResource::id).ifPresent(id -> inner.put("service_id", id));
            if (inner.has("action_type") && !inner.has("operation_type")) {
                inner.put("operation_type", inner.get("action_type").asText());
            }
        }
        JsonNode processors = t.config().get("event_processors");
        out.set("event_processors", processors != null ? processors.deepCopy() : AdminCall.JSON.createObjectNode());
        String function = t.functionName();
        if (!function.isEmpty()) {
            out.put("function_name", function);
            app.function(function).map(FunctionsResource::id).ifPresent(id -> out.put("function_id", id));
        }
        return out;
    }

}
