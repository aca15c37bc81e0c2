/**
 * The admin API ({@code /api/admin/v3.0}): a second front door onto the app-editing service layer
 * ({@code dev.thimble.runtime.apps}) of a server home, in the request and response shapes the vendor's
 * admin clients (CLIs, SDK test harnesses, the generated npm client, scripts) use. Nothing here edits
 * an app itself: every write goes through {@code AppEditor} or {@code AppHome}, so it is validated,
 * written to the bundle's files and hot-reloaded exactly as the workbench's edits are, and then
 * recorded as an {@code ADMIN} log record of the app.
 *
 * <p>Admin identities (email/password admins, admin API keys, public/private key pairs for the
 * {@code mongodb-cloud} login) live in the home's state folder, never in an app bundle; admin tokens
 * are signed with the home's own key, so they are never accepted by an app's client API, and an
 * app's client tokens are never accepted here.
 */
package dev.thimble.runtime.admin;
