package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.WebhookDef;
import dev.thimble.runtime.apps.AppEditor;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;
import dev.thimble.runtime.app.AppModel;

import java.io.IOException;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * The incoming webhooks of an HTTP-style service: list, create, get, replace, delete. The webhook's
 * JavaScript is {@code function_source}; a secret given in {@code options.secret} is stored as a
 * secret of the app (the bundle names it in {@code options.secret_name}) and never echoed.
 */
final class WebhooksResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/services/{serviceId}/incoming_webhooks";
    private static final String[] FIELDS = {"respond_result", "run_as_authed_user", "run_as_user_id", "run_as_user_id_script_source",
            "can_evaluate", "fetch_custom_user_data", "create_user_on_auth", "disable_arg_logs"};

    private WebhooksResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE, APP, call -> {
            ServiceDef s = service(call);
            ArrayNode out = AdminCall.JSON.createArrayNode();
            s.webhooks().forEach(w -> out.add(full(s, w)));
            call.ok(out);
        });
        routes.post(BASE, APP, call -> {
            ServiceDef s = service(call);
            String name = call.text("name");
            ObjectNode config = config(call, s, name, null);
            call.app().editor().create(new EditableItem.Webhook(s.name(), name), Json.of(config), call.text("function_source"));
            context.audit().changed(call, call.app(), "created webhook " + name + " of service " + s.name());
            ServiceDef now = call.app().editor().model().service(s.name()).orElseThrow();
            call.created(full(now, find(now, name)));
        });
        routes.get(BASE + "/{incomingWebhookId}", APP, call -> {
            ServiceDef s = service(call);
            call.ok(full(s, byId(call, s)));
        });
        routes.put(BASE + "/{incomingWebhookId}", APP, call -> {
            ServiceDef s = service(call);
            WebhookDef old = byId(call, s);
            String source = call.object().path("function_source").asText(old.source());
            ObjectNode config = config(call, s, old.name(), old);
            EditableItem.Webhook item = new EditableItem.Webhook(s.name(), old.name());
            call.app().editor().saveChecked(app -> {
                ServiceDef current = app.service(s.name()).orElseThrow();
                java.util.List<WebhookDef> hooks = current.webhooks().stream()
                        .map(w -> w.name().equals(old.name()) ? new WebhookDef(Json.of(config), source) : w).toList();
                AppModel changed = ModelEdits.withJson(app, item, Json.of(config));
                return withWebhooks(changed, s.name(), hooks);
            });
            context.audit().changed(call, call.app(), "replaced webhook " + old.name() + " of service " + s.name());
            ServiceDef now = call.app().editor().model().service(s.name()).orElseThrow();
            call.ok(full(now, find(now, old.name())));
        });
        routes.delete(BASE + "/{incomingWebhookId}", APP, call -> {
            ServiceDef s = service(call);
            WebhookDef old = byId(call, s);
            call.app().editor().delete(new EditableItem.Webhook(s.name(), old.name()), false);
            context.audit().changed(call, call.app(), "deleted webhook " + old.name() + " of service " + s.name());
            call.noContent();
        });
    }

    private static dev.thimble.runtime.app.AppModel withWebhooks(dev.thimble.runtime.app.AppModel app, String service,
                                                                 java.util.List<WebhookDef> hooks) {
        java.util.List<ServiceDef> services = app.services().stream().map(s -> s.name().equals(service)
                ? new ServiceDef(s.config(), s.collectionRules(), s.defaultRule(), s.serviceRules(), hooks) : s).toList();
        return new dev.thimble.runtime.app.AppModel(app.metadata(), app.authProviders(), app.functions(), services, app.triggers(),
                app.values(), app.secretNames(), app.environments(), app.endpoints(), app.otherFiles());
    }

    private static ObjectNode config(AdminCall call, ServiceDef s, String name, WebhookDef old) throws IOException {
        ObjectNode body = call.object();
        ObjectNode config = old == null ? AdminCall.JSON.createObjectNode() : old.config().object().deepCopy();
        config.put("name", name);
        Entities.copy(config, body, FIELDS);
        if (!config.has("respond_result")) {
            config.put("respond_result", false);
        }
        JsonNode options = body.get("options");
        if (options != null && options.isObject()) {
            ObjectNode stored = options.deepCopy();
            String secret = stored.path("secret").asText("");
            stored.remove("secret");
            if (!secret.isEmpty()) {
                AppEditor editor = call.app().editor();
                String secretName = (s.name() + "-" + name + "-secret").replaceAll("[^A-Za-z0-9_-]", "-");
                if (editor.model().secretNames().contains(secretName)) {
                    editor.setSecret(secretName, secret);
                } else {
                    editor.createSecret(secretName, secret);
                }
                stored.put("secret_name", secretName);
            }
            config.set("options", stored);
        }
        return config;
    }

    private static ServiceDef service(AdminCall call) {
        ServiceDef s = Entities.byId(call.app().editor().model().services(), call.param("serviceId"), ServicesResource::id, "service");
        if (s.isMongo()) {
            throw ApiError.badRequest("InvalidRequest", "A MongoDB service has no incoming webhooks; " + s.name() + " is " + s.type() + ".");
        }
        return s;
    }

    private static WebhookDef byId(AdminCall call, ServiceDef s) {
        return Entities.byId(s.webhooks(), call.param("incomingWebhookId"), w -> id(s, w), "webhook");
    }

    private static WebhookDef find(ServiceDef s, String name) {
        return s.webhooks().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    static String id(ServiceDef s, WebhookDef w) {
        return AdminIds.of(w.config(), "webhook", s.name() + "/" + w.name());
    }

    private static ObjectNode full(ServiceDef s, WebhookDef w) {
        ObjectNode out = AdminCall.JSON.createObjectNode().put("_id", id(s, w)).put("name", w.name());
        out.put("function_source", w.source());
        Entities.copy(out, w.config().object(), FIELDS);
        if (!out.has("respond_result")) {
            out.put("respond_result", false);
        }
        if (w.config().get("options") instanceof ObjectNode options) {
            ObjectNode shown = options.deepCopy();
            shown.remove("secret"); // only ever its name
            out.set("options", shown);
        }
        return out;
    }
}
