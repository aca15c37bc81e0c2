package dev.thimble.runtime.services;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.server.ClientHooks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code link} of an error body: where the log record of the failed request can be read. The service
 * linked to its UI's logs page filtered by the request's {@code co_id}; Thimble links to the admin API's
 * logs route with the same filter ({@code /api/admin/v3.0/groups/<group>/apps/<app>/logs?co_id=<id>}) on the
 * origin the client called, so a person (or a script with an admin token) can find that one record.
 */
public final class LogLinks {
    private LogLinks() {
    }

    /**
     * The link for the log record {@code coId} of {@code request} to {@code app}: the app's {@code group_id}
     * (else {@code default}) and its client app id name the app.
     */
    public static String of(ClientHooks.Request request, AppModel app, String coId) {
        String group = app.metadata().text("group_id", "");
        return origin(request) + "/api/admin/v3.0/groups/" + encode(group.isEmpty() ? "default" : group) + "/apps/"
                + encode(app.clientAppId()) + "/logs?co_id=" + encode(coId);
    }

    /** {@code http://<Host>} ({@code https} behind a proxy that says so); the loopback address when there is no Host header. */
    private static String origin(ClientHooks.Request request) {
        String host = request.header("Host");
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            host = "localhost";
        }
        String proto = request.header("X-Forwarded-Proto");
        return ("https".equalsIgnoreCase(proto) ? "https" : "http") + "://" + host;
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
