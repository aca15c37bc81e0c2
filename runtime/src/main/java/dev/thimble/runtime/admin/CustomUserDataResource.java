package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * The app's custom user data configuration (in the app's settings, {@code custom_user_data_config}).
 * The API names the MongoDB service by id ({@code mongo_service_id}); the bundle by name.
 */
final class CustomUserDataResource {
    private static final String PATH = "/groups/{groupId}/apps/{appId}/custom_user_data";
    private static final String[] FIELDS = {"database_name", "collection_name", "user_id_field", "enabled", "on_user_creation_function_name"};

    private CustomUserDataResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(PATH, APP, call -> {
            AppModel app = call.app().editor().model();
            ObjectNode stored = app.customUserData().object();
            ObjectNode out = Entities.copy(AdminCall.JSON.createObjectNode(), stored, FIELDS);
            if (!out.has("enabled")) {
                out.put("enabled", false);
            }
            String service = stored.path("mongo_service_name").asText("");
            app.service(service).map(ServicesResource::id).ifPresent(id -> out.put("mongo_service_id", id));
            call.ok(out);
        });
        routes.patch(PATH, APP, call -> {
            ObjectNode body = call.object();
            var editor = call.app().editor();
            AppModel now = editor.model();
            ObjectNode meta = now.metadata().object().deepCopy();
            ObjectNode config = meta.get("custom_user_data_config") instanceof ObjectNode o ? o : meta.putObject("custom_user_data_config");
            Entities.copy(config, body, FIELDS);
            JsonNode serviceId = body.get("mongo_service_id");
            if (serviceId != null && serviceId.isTextual()) {
                ServiceDef service = Entities.byId(now.services(), serviceId.asText(), ServicesResource::id, "service");
                config.put("mongo_service_name", service.name());
                config.remove("mongo_service_id");
            }
            editor.saveChecked(app -> ModelEdits.withJson(app, new EditableItem.AppSettings(), Json.of(meta)));
            context.audit().changed(call, call.app(), "changed the custom user data configuration");
            call.noContent();
        });
    }
}
