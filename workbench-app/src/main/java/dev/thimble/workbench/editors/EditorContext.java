package dev.thimble.workbench.editors;

import dev.thimble.runtime.apps.SaveResult;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.workbench.workspace.SyntaxChecks;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every editor view-model of one open app needs.
 *
 * @param session      the service layer (called only through {@code tasks}, off the UI thread)
 * @param currentModel the app as the UI last saw it (read on the UI thread, never blocks)
 * @param saved        told on the UI thread after each successful save, so the window can refresh
 *                     the explorer and the problems
 */
public record EditorContext(AppSession session, Supplier<AppModel> currentModel, UiTasks tasks, SyntaxChecks syntax,
                            ScheduledExecutorService timer, Consumer<SaveResult> saved) {
}
