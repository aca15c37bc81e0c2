package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ServiceRuleDef;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;

import java.util.ArrayList;
import java.util.List;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * An app's services: list, create, get, update (config, rename), delete (with its rules), {@code config} get and patch, and
 * rules: MongoDB collection rules ({@code database}, {@code collection}, roles, filters, schema), the
 * MongoDB default rule, and the rules of HTTP-style services ({@code name}, {@code actions}, {@code when}).
 */
final class ServicesResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/services";
    private static final String[] RULE_FIELDS = {"roles", "filters", "schema", "relationships"};

    private ServicesResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE, APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            for (ServiceDef s : call.app().editor().model().services()) {
                out.add(summary(s));
            }
            call.ok(out);
        });
        routes.post(BASE, APP, call -> {
            String name = call.text("name");
            String type = call.text("type");
            ObjectNode config = AdminCall.JSON.createObjectNode().put("name", name).put("type", type);
            JsonNode given = call.object().get("config");
            config.set("config", given != null && given.isObject() ? given.deepCopy() : AdminCall.JSON.createObjectNode());
            config.put("version", 1);
            call.app().editor().create(new EditableItem.Service(name), Json.of(config), null);
            context.audit().changed(call, call.app(), "created service " + name + " (" + type + ")");
            call.created(summary(call.app().editor().model().service(name).orElseThrow()));
        });
        routes.get(BASE + "/{serviceId}", APP, call -> call.ok(summary(service(call))));
        routes.delete(BASE + "/{serviceId}", APP, call -> {
            ServiceDef s = service(call);
            call.app().editor().delete(new EditableItem.Service(s.name()), false);
            context.audit().changed(call, call.app(), "deleted service " + s.name());
            call.noContent();
        });
        routes.patch(BASE + "/{serviceId}", APP, call -> update(call, context));
        routes.get(BASE + "/{serviceId}/config", APP, call -> {
            JsonNode config = service(call).config().get("config");
            call.ok(config != null && config.isObject() ? config : AdminCall.JSON.createObjectNode());
        });
        routes.patch(BASE + "/{serviceId}/config", APP, call -> {
            ServiceDef s = service(call);
            ObjectNode whole = s.config().object().deepCopy();
            ObjectNode inner = whole.get("config") instanceof ObjectNode o ? o : whole.putObject("config");
            call.object().fields().forEachRemaining(f -> inner.set(f.getKey(), f.getValue().deepCopy()));
            call.app().editor().saveChecked(app -> ModelEdits.withJson(app, new EditableItem.Service(s.name()), Json.of(whole)));
            context.audit().changed(call, call.app(), "changed the config of service " + s.name());
            call.noContent();
        });
        rules(routes, context);
        defaultRule(routes, context);
    }

    /**
     * Updates a service: {@code config} fields are merged into its config (as {@code PATCH …/config}),
     * a new {@code name} renames it (references in triggers, rules and functions' service calls follow,
     * as a rename in the workbench); its {@code type} cannot change. Checked before anything is written.
     */
    private static void update(AdminCall call, AdminContext context) throws java.io.IOException {
        ServiceDef s = service(call);
        ObjectNode body = call.object();
        JsonNode type = body.get("type");
        if (type != null && !type.asText().equals(s.type())) {
            throw ApiError.badRequest("InvalidRequest", "A service's type cannot change (" + s.name() + " is " + s.type()
                    + "); create a new service of type " + type.asText() + " instead. Nothing was changed.");
        }
        JsonNode config = body.get("config");
        if (config != null && !config.isObject()) {
            throw ApiError.badRequest("InvalidRequest", "\"config\" is an object of the service's settings; nothing was changed.");
        }
        String name = body.path("name").asText(s.name());
        boolean rename = !name.equals(s.name());
        if (rename && call.app().editor().model().service(name).isPresent()) {
            throw new ApiError(409, "ServiceExistsAlready", "There is a service named " + name + " already; nothing was changed.");
        }
        var editor = call.app().editor();
        if (config != null) {
            ObjectNode whole = s.config().object().deepCopy();
            ObjectNode inner = whole.get("config") instanceof ObjectNode o ? o : whole.putObject("config");
            config.fields().forEachRemaining(f -> inner.set(f.getKey(), f.getValue().deepCopy()));
            editor.saveChecked(app -> ModelEdits.withJson(app, new EditableItem.Service(s.name()), Json.of(whole)));
        }
        if (rename) {
            editor.rename(new EditableItem.Service(s.name()), name);
        }
        context.audit().changed(call, call.app(), "updated service " + name + (rename ? " (was " + s.name() + ")" : ""));
        call.ok(summary(editor.model().service(name).orElseThrow()));
    }

    private static void rules(AdminRoutes routes, AdminContext context) {
        String rules = BASE + "/{serviceId}/rules";
        routes.get(rules, APP, call -> {
            ServiceDef s = service(call);
            ArrayNode out = AdminCall.JSON.createArrayNode();
            if (s.isMongo()) {
                s.collectionRules().forEach(r -> out.addObject().put("_id", ruleId(s, r)).put("database", r.database())
                        .put("collection", r.collection()));
            } else {
                s.serviceRules().forEach(r -> out.addObject().put("_id", ruleId(s, r)).put("name", r.name()));
            }
            call.ok(out);
        });
        routes.post(rules, APP, call -> {
            ServiceDef s = service(call);
            ObjectNode body = call.object();
            if (s.isMongo()) {
                String namespace = call.text("database") + "." + call.text("collection");
                ObjectNode config = AdminCall.JSON.createObjectNode().put("database", call.text("database"))
                        .put("collection", call.text("collection"));
                Entities.copy(config, body, RULE_FIELDS);
                call.app().editor().create(new EditableItem.CollectionRule(s.name(), namespace), Json.of(config), null);
                context.audit().changed(call, call.app(), "created rule " + namespace + " of service " + s.name());
                ServiceDef now = call.app().editor().model().service(s.name()).orElseThrow();
                CollectionRuleDef made = now.collectionRules().stream().filter(r -> r.namespace().equals(namespace)).findFirst().orElseThrow();
                call.created(mongoRule(now, made));
            } else {
                String name = call.text("name");
                ObjectNode config = AdminCall.JSON.createObjectNode().put("name", name);
                Entities.copy(config, body, "actions", "when");
                call.app().editor().create(new EditableItem.ServiceRule(s.name(), name), Json.of(config), null);
                context.audit().changed(call, call.app(), "created rule " + name + " of service " + s.name());
                call.created(AdminCall.JSON.createObjectNode().put("_id", AdminIds.derived("service-rule", s.name() + "/" + name)).put("name", name));
            }
        });
        routes.get(rules + "/{ruleId}", APP, call -> {
            ServiceDef s = service(call);
            Object rule = rule(call, s);
            call.ok(rule instanceof CollectionRuleDef r ? mongoRule(s, r) : serviceRule(s, (ServiceRuleDef) rule));
        });
        routes.put(rules + "/{ruleId}", APP, call -> {
            ServiceDef s = service(call);
            Object rule = rule(call, s);
            ObjectNode body = call.object();
            if (rule instanceof CollectionRuleDef r) {
                ObjectNode config = AdminCall.JSON.createObjectNode().put("database", r.database()).put("collection", r.collection());
                if (r.config().has("id")) {
                    config.put("id", r.config().text("id"));
                }
                Entities.copy(config, body, RULE_FIELDS);
                call.app().editor().saveChecked(app -> ModelEdits.withJson(app, new EditableItem.CollectionRule(s.name(), r.namespace()), Json.of(config)));
                context.audit().changed(call, call.app(), "replaced rule " + r.namespace() + " of service " + s.name());
            } else {
                ServiceRuleDef r = (ServiceRuleDef) rule;
                ObjectNode config = r.config().object().deepCopy();
                Entities.copy(config, body, "actions", "when");
                call.app().editor().saveChecked(app -> ModelEdits.withJson(app, new EditableItem.ServiceRule(s.name(), r.name()), Json.of(config)));
                context.audit().changed(call, call.app(), "replaced rule " + r.name() + " of service " + s.name());
            }
            call.noContent();
        });
        routes.delete(rules + "/{ruleId}", APP, call -> {
            ServiceDef s = service(call);
            Object rule = rule(call, s);
            EditableItem item = rule instanceof CollectionRuleDef r ? new EditableItem.CollectionRule(s.name(), r.namespace())
                    : new EditableItem.ServiceRule(s.name(), ((ServiceRuleDef) rule).name());
            call.app().editor().delete(item, false);
            context.audit().changed(call, call.app(), "deleted rule " + item.title() + " of service " + s.name());
            call.noContent();
        });
    }

    private static void defaultRule(AdminRoutes routes, AdminContext context) {
        String path = BASE + "/{serviceId}/default_rule";
        routes.get(path, APP, call -> {
            ServiceDef s = mongo(call);
            if (s.defaultRule() == null) {
                throw ApiError.notFound("DefaultRuleNotFound", "The service " + s.name() + " has no default rule; POST one.");
            }
            call.ok(defaultRuleOf(s));
        });
        routes.post(path, APP, call -> {
            ServiceDef s = mongo(call);
            ObjectNode config = Entities.copy(AdminCall.JSON.createObjectNode(), call.object(), RULE_FIELDS);
            call.app().editor().create(new EditableItem.DefaultRule(s.name()), Json.of(config), null);
            context.audit().changed(call, call.app(), "created the default rule of service " + s.name());
            call.created(defaultRuleOf(call.app().editor().model().service(s.name()).orElseThrow()));
        });
        routes.put(path, APP, call -> {
            ServiceDef s = mongo(call);
            if (s.defaultRule() == null) {
                throw ApiError.notFound("DefaultRuleNotFound", "The service " + s.name() + " has no default rule; POST one.");
            }
            ObjectNode config = Entities.copy(AdminCall.JSON.createObjectNode(), call.object(), RULE_FIELDS);
            call.app().editor().saveChecked(app -> ModelEdits.withJson(app, new EditableItem.DefaultRule(s.name()), Json.of(config)));
            context.audit().changed(call, call.app(), "replaced the default rule of service " + s.name());
            call.noContent();
        });
        routes.delete(path, APP, call -> {
            ServiceDef s = mongo(call);
            call.app().editor().delete(new EditableItem.DefaultRule(s.name()), false);
            context.audit().changed(call, call.app(), "deleted the default rule of service " + s.name());
            call.noContent();
        });
    }

    static ServiceDef service(AdminCall call) {
        return Entities.byId(call.app().editor().model().services(), call.param("serviceId"), ServicesResource::id, "service");
    }

    private static ServiceDef mongo(AdminCall call) {
        ServiceDef s = service(call);
        if (!s.isMongo()) {
            throw ApiError.badRequest("InvalidRequest", "Only a MongoDB service has a default rule; " + s.name() + " is " + s.type() + ".");
        }
        return s;
    }

    private static Object rule(AdminCall call, ServiceDef s) {
        String id = call.param("ruleId");
        List<Object> all = new ArrayList<>();
        all.addAll(s.collectionRules());
        all.addAll(s.serviceRules());
        return Entities.byId(all, id, r -> r instanceof CollectionRuleDef c ? ruleId(s, c) : ruleId(s, (ServiceRuleDef) r), "rule");
    }

    static String id(ServiceDef s) {
        return AdminIds.of(s.config(), "service", s.name());
    }

    private static String ruleId(ServiceDef s, CollectionRuleDef r) {
        return AdminIds.of(r.config(), "rule", s.name() + "/" + r.namespace());
    }

    private static String ruleId(ServiceDef s, ServiceRuleDef r) {
        return AdminIds.of(r.config(), "service-rule", s.name() + "/" + r.name());
    }

    private static ObjectNode summary(ServiceDef s) {
        return AdminCall.JSON.createObjectNode().put("_id", id(s)).put("name", s.name()).put("type", s.type())
                .put("version", s.config().get("version") == null ? 1 : s.config().get("version").asInt(1));
    }

    private static ObjectNode mongoRule(ServiceDef s, CollectionRuleDef r) {
        ObjectNode out = AdminCall.JSON.createObjectNode().put("_id", ruleId(s, r)).put("database", r.database())
                .put("collection", r.collection());
        Entities.copy(out, r.config().object(), RULE_FIELDS);
        if (!out.has("roles")) {
            out.putArray("roles");
        }
        return out;
    }

    private static ObjectNode serviceRule(ServiceDef s, ServiceRuleDef r) {
        ObjectNode out = AdminCall.JSON.createObjectNode().put("_id", ruleId(s, r)).put("name", r.name());
        Entities.copy(out, r.config().object(), "actions", "when");
        return out;
    }

    private static ObjectNode defaultRuleOf(ServiceDef s) {
        ObjectNode out = AdminCall.JSON.createObjectNode().put("_id", AdminIds.of(s.defaultRule(), "default-rule", s.name()));
        Entities.copy(out, s.defaultRule().object(), RULE_FIELDS);
        return out;
    }
}
