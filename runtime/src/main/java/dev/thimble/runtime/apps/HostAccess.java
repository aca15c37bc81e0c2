package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;

import java.util.Optional;

/**
 * The running side of an app open for editing: the host serving it now (if any) and how to make it
 * serve a new version. The workbench's {@link ServerControl} is one; a multi-app server's entry for
 * the app is another; {@link #none()} edits a bundle nothing serves.
 */
public interface HostAccess {
    /** The host serving the app at the time of the call; empty when nothing serves it. */
    Optional<AppHost> running();

    /** Serves {@code model} from the next request on; a no-op when nothing serves the app. */
    void reload(AppModel model);

    /** For a bundle no server serves. */
    static HostAccess none() {
        return new HostAccess() {
            @Override
            public Optional<AppHost> running() {
                return Optional.empty();
            }

            @Override
            public void reload(AppModel model) {
            }
        };
    }

    /** A host that serves the app for as long as it is open (tests, a one-app server). */
    static HostAccess of(AppHost host) {
        return new HostAccess() {
            @Override
            public Optional<AppHost> running() {
                return Optional.of(host);
            }

            @Override
            public void reload(AppModel model) {
                host.reload(model);
            }
        };
    }
}
