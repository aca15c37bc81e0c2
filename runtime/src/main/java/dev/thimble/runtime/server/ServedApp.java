package dev.thimble.runtime.server;

import dev.thimble.runtime.ApiError;

import dev.thimble.runtime.app.AppModel;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;

import java.util.function.Supplier;

/** The app a server answers for; the model may be swapped by a reload while the server runs. */
final class ServedApp {
    private final Supplier<AppModel> model;

    ServedApp(Supplier<AppModel> model) {
        this.model = model;
    }

    AppModel model() {
        return model.get();
    }

    /** Fails with AppNotFound unless the route's {@code appId} is this app's client app id. */
    void requireClientAppId(HttpServerExchange exchange) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String requested = match == null ? null : match.getParameters().get("appId");
        String served = model().clientAppId();
        if (!served.equals(requested)) {
            throw ApiError.notFound("AppNotFound", "There is no app with client app id \"" + requested
                    + "\" on this server; it serves \"" + served + "\". Check the app id in your client's configuration.");
        }
    }
}
