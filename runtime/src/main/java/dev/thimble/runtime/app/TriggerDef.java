package dev.thimble.runtime.app;

/**
 * A trigger ({@code triggers/<name>.json}) in its normalised form: top-level {@code function_name},
 * {@code config.service_name}, auth {@code config.action_type}.
 */
public record TriggerDef(Json config) {
    public String name() { return config.text("name", ""); }
    /** DATABASE, SCHEDULED or AUTHENTICATION. */
    public String type() { return config.text("type", ""); }
    public String functionName() { return config.text("function_name", ""); }
    public boolean disabled() { return config.bool("disabled", false); }
}
