package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.apps.AppSyncSessions;
import dev.thimble.runtime.sync.SyncSessions;

import java.time.Instant;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * {@code GET /groups/{groupId}/apps/{appId}/sync/sessions}: the app's open Device Sync sessions, read
 * only. The vendor's admin API had no such route (its sync routes configure sync); this one is
 * Thimble's, and names the per-session fields as the vendor's sync log records did ({@code sync_query},
 * {@code sync_session_metrics}). The same service layer as the workbench's Sync panel.
 */
final class SyncSessionsResource {
    static final String PATH = "/groups/{groupId}/apps/{appId}/sync/sessions";

    private SyncSessionsResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(PATH, APP, call -> {
            AppSyncSessions.Status status = call.app().editor().syncSessions().status();
            ObjectNode out = AdminCall.JSON.createObjectNode();
            out.put("sync_enabled", status.state() == AppSyncSessions.State.RUNNING);
            out.put("state", status.state().name().toLowerCase(java.util.Locale.ROOT));
            if (!status.explanation().isEmpty()) {
                out.put("message", status.explanation());
            }
            var list = out.putArray("sessions");
            status.sessions().forEach(s -> list.add(wire(s)));
            call.ok(out);
        });
    }

    static ObjectNode wire(SyncSessions.Session s) {
        ObjectNode out = AdminCall.JSON.createObjectNode();
        out.put("_id", s.id());
        out.put("user_id", s.userId());
        out.put("user_name", s.userName());
        out.put("remote_ip_address", s.remoteAddress());
        out.put("protocol_version", s.protocolVersion());
        out.put("client_file_ident", s.clientFileIdent());
        out.put("connected_at", time(s.connectedAt()));
        out.put("query_version", s.queryVersion());
        ObjectNode query = out.putObject("sync_query");
        s.subscriptions().forEach(query::put);
        ObjectNode metrics = out.putObject("sync_session_metrics");
        metrics.put("uploads", s.uploads());
        metrics.put("downloads", s.downloads());
        metrics.put("downloaded_changesets", s.downloadedChangesets());
        out.put("last_upload_at", time(s.lastUploadAt()));
        out.put("last_download_at", time(s.lastDownloadAt()));
        out.put("last_activity_at", time(s.lastActivity()));
        if (s.lastError() == null) {
            out.putNull("last_error");
        } else {
            ObjectNode error = out.putObject("last_error");
            error.put("code", s.lastError().code());
            error.put("message", s.lastError().message());
            error.put("at", time(s.lastError().at()));
        }
        return out;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
