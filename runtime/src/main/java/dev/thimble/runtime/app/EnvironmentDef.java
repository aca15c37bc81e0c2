package dev.thimble.runtime.app;

/** One environment ({@code environments/<tag>.json}: {@code {"values": {...}}}). */
public record EnvironmentDef(String tag, Json config) {
    public Json values() { return config.obj("values"); }
}
