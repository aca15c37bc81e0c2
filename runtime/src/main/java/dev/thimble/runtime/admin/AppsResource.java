package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.apps.AppEditor;
import dev.thimble.runtime.apps.AppHome;
import dev.thimble.runtime.apps.EditableItem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.thimble.runtime.admin.AdminRoutes.Access.ADMIN;
import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * The apps of the home: list, create (a folder of the home, served at once), get, delete (folder,
 * secrets and state database). A new app gets what the vendor's did: a disabled {@code api-key}
 * provider.
 */
final class AppsResource {
    private static final Pattern APP_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_-]{0,63}$");
    private static final Set<String> ENVIRONMENTS = Set.of("", "development", "testing", "qa", "production");

    private AppsResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get("/groups/{groupId}/apps", ADMIN, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            for (AppHome.Served served : context.home().served()) {
                AppTarget app = AppTarget.resolve(context.home(), served.clientAppId());
                out.add(instance(app, context));
            }
            call.ok(out);
        });
        routes.post("/groups/{groupId}/apps", ADMIN, call -> create(call, context));
        routes.get("/groups/{groupId}/apps/{appId}", APP, call -> call.ok(instance(call.app(), context)));
        routes.delete("/groups/{groupId}/apps/{appId}", APP, call -> {
            context.home().delete(call.app().clientAppId());
            context.audit().home(call, "deleted app " + call.app().served().name() + " (" + call.app().clientAppId() + ")");
            call.noContent();
        });
    }

    private static void create(AdminCall call, AdminContext context) throws IOException {
        String name = call.text("name");
        if (!APP_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("InvalidRequest", "An app's name begins with a letter and has only ASCII letters, digits,"
                    + " '_' and '-' (at most 64), not \"" + name + "\"; no app was created.");
        }
        ObjectNode body = call.object();
        String environment = body.path("environment").asText("");
        if (!ENVIRONMENTS.contains(environment)) {
            throw ApiError.badRequest("InvalidRequest", "\"environment\" is one of development, testing, qa, production (or empty), not \""
                    + environment + "\"; no app was created.");
        }
        for (AppHome.Served served : context.home().served()) {
            if (served.name().equalsIgnoreCase(name) || served.folder().equalsIgnoreCase(name)) {
                throw new ApiError(409, "AppExistsAlready", "An app named " + name + " exists already on this server; choose another name.");
            }
        }
        if (Files.exists(context.home().home().resolve(name))) {
            throw new ApiError(409, "AppExistsAlready", "The server home has a folder " + name + " already (an app that is not served?);"
                    + " choose another name or remove that folder.");
        }
        AppHome.Served served = context.home().create(name);
        AppEditor editor = context.home().editor(served.clientAppId()).orElseThrow();
        try {
            editor.save(app -> settings(app, name, body, environment));
            editor.create(new EditableItem.AuthProvider("api-key"),
                    Json.of(AdminCall.JSON.createObjectNode().put("name", "api-key").put("type", "api-key").put("disabled", true)), null);
        } catch (IOException | RuntimeException e) {
            context.home().delete(served.clientAppId()); // half an app is worse than none
            throw e;
        }
        AppTarget app = AppTarget.resolve(context.home(), served.clientAppId());
        context.audit().changed(call, app, "created the app " + name);
        context.audit().home(call, "created app " + name + " (" + served.clientAppId() + ")");
        call.created(instance(app, context));
    }

    private static AppModel settings(AppModel app, String name, ObjectNode body, String environment) {
        ObjectNode meta = app.metadata().object().deepCopy();
        meta.put("name", name);
        for (String field : new String[]{"location", "deployment_model", "provider_region"}) {
            JsonNode value = body.get(field);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                meta.set(field, TextNode.valueOf(value.asText()));
            }
        }
        if (!environment.isEmpty()) {
            meta.put("environment", environment);
        }
        return dev.thimble.runtime.apps.ModelEdits.withJson(app, new EditableItem.AppSettings(), Json.of(meta));
    }

    /** The AppInstance shape of an app. */
    static ObjectNode instance(AppTarget app, AdminContext context) {
        AppModel model = app.editor().model();
        ObjectNode out = AdminCall.JSON.createObjectNode();
        out.put("_id", app.id());
        out.put("client_app_id", app.clientAppId());
        out.put("name", model.name());
        out.put("location", model.location());
        out.put("deployment_model", model.deploymentModel());
        if (!model.providerRegion().isEmpty()) {
            out.put("provider_region", model.providerRegion());
        }
        out.put("environment", model.environmentTag());
        out.put("domain_id", AdminIds.domainId(app.clientAppId()));
        out.put("group_id", context.groupId());
        out.put("product", "standard");
        long modified = lastModified(app.editor().workspace().directory());
        out.put("last_modified", modified);
        out.put("last_used", modified);
        return out;
    }

    private static long lastModified(Path folder) {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() / 1000;
                } catch (IOException e) {
                    return 0;
                }
            }).max().orElse(0);
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
