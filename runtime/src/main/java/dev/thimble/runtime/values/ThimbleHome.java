package dev.thimble.runtime.values;

import java.nio.file.Path;

/**
 * Where Thimble keeps per-user state outside app bundles: {@code $THIMBLE_HOME}, the system
 * property {@code thimble.home}, else {@code ~/.thimble}. Each app has a folder there, named by its
 * client app id, holding its secret store and (by default) its embedded database.
 */
public final class ThimbleHome {
    private ThimbleHome() {
    }

    public static Path root() {
        String property = System.getProperty("thimble.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("THIMBLE_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".thimble");
    }

    public static Path appDirectory(String clientAppId) {
        if (clientAppId == null || clientAppId.isBlank() || clientAppId.contains("/") || clientAppId.contains("\\")
                || clientAppId.startsWith(".")) {
            throw new IllegalArgumentException("Not a usable client app id: \"" + clientAppId + "\"");
        }
        return root().resolve("apps").resolve(clientAppId);
    }
}
