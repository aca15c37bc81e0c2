/**
 * The JavaFX workbench: shell, editors, logs, console, data browser, server panel.
 * (Built by the workbench issue; until then {@code thimble open} serves the app headless and says so.)
 */
package dev.thimble.workbench;
