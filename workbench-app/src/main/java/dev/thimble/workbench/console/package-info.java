/**
 * The console: call any function of the open app with Extended JSON arguments as a chosen caller
 * (system, an anonymous user, a user of the app's user store), see its result, console output and
 * error, and re-run a call from the history with edits. The calls go through
 * {@link dev.thimble.runtime.apps.FunctionConsole}, which the admin API can reuse.
 */
package dev.thimble.workbench.console;
