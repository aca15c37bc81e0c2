package dev.thimble.runtime.admin;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.apps.AppEditor;
import dev.thimble.runtime.apps.AppHome;

/** The app an admin route works on: its internal id (the {@code {appId}} of paths), where it is served and its editor. */
record AppTarget(String id, AppHome.Served served, AppEditor editor, AppHost host) {
    String clientAppId() {
        return served.clientAppId();
    }

    /** Finds the app of {@code home} whose internal id (or, for convenience, client app id) is {@code appId}; 404 otherwise. */
    static AppTarget resolve(AppHome home, String appId) {
        for (AppHome.Served served : home.served()) {
            String id = AdminIds.appId(served.clientAppId());
            if (id.equals(appId) || served.clientAppId().equals(appId)) {
                AppEditor editor = home.editor(served.clientAppId()).orElseThrow(() -> gone(appId));
                AppHost host = home.host(served.clientAppId()).orElseThrow(() -> gone(appId));
                return new AppTarget(id, served, editor, host);
            }
        }
        throw gone(appId);
    }

    private static ApiError gone(String appId) {
        return ApiError.notFound("AppNotFound", "There is no app with id " + appId
                + " on this server (ids come from GET /groups/{groupId}/apps, field _id).");
    }
}
