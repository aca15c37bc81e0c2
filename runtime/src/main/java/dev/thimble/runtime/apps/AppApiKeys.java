package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.auth.ApiKeyStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server API keys of a running app (they log in through its {@code api-key} provider as
 * "server" users), as its owner manages them: list, create (the secret is in the result, once),
 * enable, disable, delete. What {@code thimble keys} does on a stopped app, on a served one. Blocking; no UI.
 */
public final class AppApiKeys {
    private final Supplier<Optional<AppHost>> host;

    AppApiKeys(Supplier<Optional<AppHost>> host) {
        this.host = host;
    }

    public List<ApiKeyStore.ApiKey> list() {
        return store().listOf(null);
    }

    public Optional<ApiKeyStore.ApiKey> find(String id) {
        return store().find(id, null);
    }

    /**
     * Creates a server key.
     *
     * @throws IllegalArgumentException for a blank or taken name (nothing stored)
     */
    public ApiKeyStore.CreatedKey create(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("An API key's name has 1 to 100 characters; no key was created.");
        }
        try {
            return store().create(name.strip(), null, Instant.now());
        } catch (IllegalStateException taken) {
            throw new IllegalArgumentException(taken.getMessage() + " Choose another name; no key was created.");
        }
    }

    /** Disables or enables a key: a disabled key cannot log in. */
    public void setDisabled(String id, boolean disabled) {
        if (!store().setDisabled(id, null, disabled)) {
            throw new IllegalArgumentException("There is no API key " + id + " in the app.");
        }
    }

    public void delete(String id) {
        if (!store().delete(id, null)) {
            throw new IllegalArgumentException("There is no API key " + id + " in the app.");
        }
    }

    private ApiKeyStore store() {
        AppHost running = host.get().orElseThrow(() -> new IllegalArgumentException(
                "The app is not being served; start the server to manage its API keys."));
        return new ApiKeyStore(running.database().database(AppHost.stateDatabaseName(running.app().clientAppId())));
    }
}
