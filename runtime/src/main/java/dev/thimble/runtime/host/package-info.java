/**
 * Wiring between the rooms for one running app: per-version compiled state (rules, values),
 * the function engine's seams (MongoDB through the rules, users, {@code can_evaluate},
 * {@code %function}), and the client's {@code functions/call}. {@link dev.thimble.runtime.AppHost}
 * assembles it.
 */
package dev.thimble.runtime.host;
