package dev.thimble.runtime.app;

/**
 * How {@link AppBundles#write} writes a bundle.
 *
 * @param template leave out deployment-specific values, so the bundle can seed another deployment:
 *                 the client app id's suffix ({@code todo-abcde} → {@code todo}), each service's
 *                 {@code config.clusterName} (and {@code config.uri} of {@code mongodb} services),
 *                 environment values, and the hosting {@code app_default_domain}
 */
public record WriteOptions(boolean template) {
    /** A full export: everything the model holds (never secret values, which it does not hold). */
    public static final WriteOptions EXPORT = new WriteOptions(false);
    /** A template: see {@link #template()}. */
    public static final WriteOptions TEMPLATE = new WriteOptions(true);
}
