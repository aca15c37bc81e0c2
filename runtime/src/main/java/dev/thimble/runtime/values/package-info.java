/**
 * Values and secrets. Values are part of the bundle; secret values are not: they live in a
 * {@link dev.thimble.runtime.values.SecretStore} per app under {@link dev.thimble.runtime.values.ThimbleHome},
 * readable only by the owner, and never appear in exports, logs or responses.
 */
package dev.thimble.runtime.values;
