package dev.thimble.runtime.admin;

import dev.thimble.runtime.app.Json;

/**
 * The ids the admin API shows: an item's own {@code id} when its config has one (an imported
 * vendor export does), otherwise one derived from its kind and name, so an id stays the same across
 * restarts without anything written to the bundle (and changes when the item is renamed).
 */
final class AdminIds {
    private AdminIds() {
    }

    /** An app's internal id ({@code _id}), from its client app id. */
    static String appId(String clientAppId) {
        return derived("app", clientAppId);
    }

    static String domainId(String clientAppId) {
        return derived("domain", clientAppId);
    }

    static String of(Json config, String kind, String name) {
        String own = config == null ? null : config.text("id");
        return own != null && !own.isBlank() ? own : derived(kind, name);
    }

    static String derived(String kind, String name) {
        return AdminIdentities.sha256(kind + ":" + name).substring(0, 24);
    }
}
