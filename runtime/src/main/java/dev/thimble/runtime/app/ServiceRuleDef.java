package dev.thimble.runtime.app;

/** A rule of a non-MongoDB service: name, allowed actions, and the {@code when} expression (always an object here). */
public record ServiceRuleDef(Json config) {
    public String name() { return config.text("name", ""); }
}
