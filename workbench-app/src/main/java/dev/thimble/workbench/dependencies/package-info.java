/**
 * The Dependencies panel of the dock: the open app's function npm packages (wanted, locked, installed,
 * served or not) and installing them from the registry with progress.
 */
package dev.thimble.workbench.dependencies;
