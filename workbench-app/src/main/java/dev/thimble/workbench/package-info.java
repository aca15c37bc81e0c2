/**
 * The JavaFX workbench. This package holds the start-up ({@link dev.thimble.workbench.FxWorkbenchLauncher}
 * for {@code thimble open}) and the composition root ({@link dev.thimble.workbench.Workbench}); the parts
 * live in packages by feature: {@code shell} (window, menus, theme), {@code explorer}, {@code editors}
 * (tabs, and the function, values and JSON editors), {@code problems}, {@code server} (status bar),
 * {@code logs}, {@code console} and {@code data} (the bottom dock), {@code navigation} (Ctrl+P, Ctrl+Shift+F), {@code dependencies} (the app's npm packages, a dock tab).
 * {@code workspace} is the service layer the view-models call (no JavaFX), {@code concurrent} the
 * threading helpers. See docs/decisions/0005-workbench-structure.md and 0014-workbench-panels.md.
 */
package dev.thimble.workbench;
