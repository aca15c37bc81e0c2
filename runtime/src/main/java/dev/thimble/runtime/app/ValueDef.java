package dev.thimble.runtime.app;

/** A value ({@code values/<name>.json}); with {@code from_secret} its {@code value} is a secret's name. */
public record ValueDef(Json config) {
    public String name() { return config.text("name", ""); }
    public boolean fromSecret() { return config.bool("from_secret", false); }
}
