package dev.thimble.runtime.app;

/**
 * An incoming webhook of a service: config and source. An inline {@code options.secret} never stays
 * here: the reader moves its value to the secret store and leaves {@code options.secret_name}.
 */
public record WebhookDef(Json config, String source) {
    public String name() { return config.text("name", ""); }
}
