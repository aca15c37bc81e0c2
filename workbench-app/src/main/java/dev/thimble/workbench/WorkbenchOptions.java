package dev.thimble.workbench;

import dev.thimble.workbench.workspace.ServerControl;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * How to start the workbench.
 *
 * @param appDirectory the bundle to open, or null for an empty window
 * @param server       where the in-process server listens (8080 by default, any free port when taken)
 * @param runtimeWork  makes the executor for runtime work (tests pass a slow one)
 * @param exitOnClose  end the JavaFX application when the window closes (false in tests)
 */
public record WorkbenchOptions(Path appDirectory, ServerControl.ServerSettings server,
                               Supplier<ExecutorService> runtimeWork, boolean exitOnClose) {

    public static WorkbenchOptions defaults(Path appDirectory) {
        return new WorkbenchOptions(appDirectory, ServerControl.ServerSettings.defaults(), null, true);
    }

    public WorkbenchOptions withServer(ServerControl.ServerSettings settings) {
        return new WorkbenchOptions(appDirectory, settings, runtimeWork, exitOnClose);
    }

    public WorkbenchOptions withRuntimeWork(Supplier<ExecutorService> executor) {
        return new WorkbenchOptions(appDirectory, server, executor, exitOnClose);
    }

    public WorkbenchOptions withExitOnClose(boolean exit) {
        return new WorkbenchOptions(appDirectory, server, runtimeWork, exit);
    }
}
