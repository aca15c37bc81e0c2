/**
 * The Sync dock tab: the running app's open Device Sync sessions (users, client files, subscriptions,
 * traffic) with a session's subscriptions and recent sync log records, read through
 * {@link dev.thimble.runtime.apps.AppSyncSessions}.
 */
package dev.thimble.workbench.sync;
