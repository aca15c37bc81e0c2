package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/** An app's functions: list (summaries without source), create, get, replace (a new name renames it) and delete. */
final class FunctionsResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/functions";
    /** The config fields a request may set; the source goes to the function's own file. */
    private static final String[] SETTINGS = {"private", "can_evaluate", "run_as_system", "run_as_user_id",
            "run_as_user_id_script_source", "disable_arg_logs"};

    private FunctionsResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE, APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            for (FunctionDef f : call.app().editor().model().functions()) {
                out.addObject().put("_id", id(f)).put("name", f.name()).put("private", f.isPrivate());
            }
            call.ok(out);
        });
        routes.post(BASE, APP, call -> {
            String name = call.text("name");
            String source = call.text("source");
            ObjectNode config = Entities.copy(AdminCall.JSON.createObjectNode().put("name", name), call.object(), SETTINGS);
            call.app().editor().create(new EditableItem.Function(name), Entities.json(config), source);
            context.audit().changed(call, call.app(), "created function " + name);
            FunctionDef made = call.app().editor().model().function(name).orElseThrow();
            call.created(AdminCall.JSON.createObjectNode().put("_id", id(made)).put("name", name));
        });
        routes.get(BASE + "/{functionId}", APP, call -> call.ok(full(find(call))));
        routes.put(BASE + "/{functionId}", APP, call -> {
            FunctionDef old = find(call);
            String name = call.object().path("name").asText(old.name());
            String source = call.text("source");
            var editor = call.app().editor();
            if (!name.equals(old.name())) {
                editor.rename(new EditableItem.Function(old.name()), name);
            }
            ObjectNode config = Entities.copy(AdminCall.JSON.createObjectNode().put("name", name), call.object(), SETTINGS);
            if (old.config().has("id")) {
                config.put("id", old.config().text("id"));
            }
            editor.saveChecked(app -> ModelEdits.withFunction(app, new FunctionDef(Entities.json(config), source)));
            context.audit().changed(call, call.app(), "replaced function " + name + (name.equals(old.name()) ? "" : " (was " + old.name() + ")"));
            call.ok(full(editor.model().function(name).orElseThrow()));
        });
        routes.delete(BASE + "/{functionId}", APP, call -> {
            FunctionDef old = find(call);
            call.app().editor().delete(new EditableItem.Function(old.name()), false);
            context.audit().changed(call, call.app(), "deleted function " + old.name());
            call.noContent();
        });
    }

    private static FunctionDef find(AdminCall call) {
        return Entities.byId(call.app().editor().model().functions(), call.param("functionId"), FunctionsResource::id, "function");
    }

    static String id(FunctionDef f) {
        return AdminIds.of(f.config(), "function", f.name());
    }

    private static ObjectNode full(FunctionDef f) {
        ObjectNode out = AdminCall.JSON.createObjectNode();
        out.put("_id", id(f));
        out.put("name", f.name());
        out.put("private", f.isPrivate());
        out.put("source", f.source());
        out.put("run_as_system", f.runAsSystem());
        out.put("disable_arg_logs", f.config().bool("disable_arg_logs", false));
        if (f.config().has("can_evaluate")) {
            out.set("can_evaluate", f.config().get("can_evaluate").deepCopy());
        }
        if (f.config().has("run_as_user_id")) {
            out.put("run_as_user_id", f.config().text("run_as_user_id"));
        }
        return out;
    }

}
