package dev.thimble.runtime.admin;

import dev.thimble.runtime.app.OriginSyntax;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;
import dev.thimble.runtime.errors.ApiError;

import java.util.LinkedHashSet;
import java.util.Set;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * An app's allowed request origins ({@code security.allowed_request_origins} of its root config): the
 * browser origins its client API answers (CORS); none listed means any. {@code POST} replaces the whole
 * list with a JSON array of origins, each {@code scheme://host[:port]}; the client API enforces the new
 * list from the next request (the bundle is saved and hot-reloaded like every admin write).
 */
final class SecurityResource {
    private static final String PATH = "/groups/{groupId}/apps/{appId}/security/allowed_request_origins";
    private static final int MAX_ORIGINS = 100;

    private SecurityResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(PATH, APP, call -> {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            call.app().editor().model().allowedRequestOrigins().forEach(out::add);
            call.ok(out);
        });
        routes.post(PATH, APP, call -> {
            Set<String> origins = origins(call.body());
            call.app().editor().saveChecked(app -> {
                ObjectNode meta = app.metadata().object();
                ObjectNode security = meta.get("security") instanceof ObjectNode s ? s : meta.putObject("security");
                ArrayNode list = security.putArray("allowed_request_origins");
                origins.forEach(list::add);
                return ModelEdits.withJson(app, new EditableItem.AppSettings(), Json.of(meta));
            });
            context.audit().changed(call, call.app(), origins.isEmpty() ? "cleared the allowed request origins (any origin may call)"
                    : "set the allowed request origins to " + String.join(", ", origins));
            call.noContent();
        });
    }

    /** The body's origins, checked: a JSON array of distinct {@code scheme://host[:port]} strings. */
    static Set<String> origins(JsonNode body) {
        if (!body.isArray()) {
            throw ApiError.badRequest("InvalidRequest", "The body is a JSON array of origins, e.g. [\"https://shop.example.com\"];"
                    + " nothing was changed.");
        }
        if (body.size() > MAX_ORIGINS) {
            throw ApiError.badRequest("InvalidRequest", "At most " + MAX_ORIGINS + " allowed origins, not " + body.size()
                    + "; nothing was changed.");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode item : body) {
            if (!item.isTextual() || !OriginSyntax.isOrigin(item.asText())) {
                throw ApiError.badRequest("InvalidRequest", "An allowed origin has the form <scheme>://<host>[:port] (no path,"
                        + " no trailing slash), e.g. http://localhost:8080, not " + abbreviate(item.toString()) + "; nothing was changed.");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }
}
