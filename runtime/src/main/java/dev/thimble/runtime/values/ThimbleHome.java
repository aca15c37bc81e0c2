package dev.thimble.runtime.values;

import dev.thimble.runtime.data.DataDirectories;

import java.nio.file.Path;

/**
 * The folder of one app under Thimble's home ({@link DataDirectories#home()}): it holds the app's
 * secret store and, by default, its embedded database ({@link DataDirectories#forApp}).
 */
public final class ThimbleHome {
    private ThimbleHome() {
    }

    public static Path appDirectory(String clientAppId) {
        return DataDirectories.forApp(clientAppId).getParent();
    }
}
