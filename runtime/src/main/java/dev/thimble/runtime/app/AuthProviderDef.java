package dev.thimble.runtime.app;

/** An auth provider ({@code auth_providers/<name>.json}); {@code secret_config} names secrets. */
public record AuthProviderDef(Json config) {
    public String name() { return config.text("name", type()); }
    public String type() { return config.text("type", ""); }
    public boolean disabled() { return config.bool("disabled", false); }
}
