package dev.thimble.workbench;

import dev.thimble.runtime.apps.ServerControl;

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
 * @param stateFile    where the window's layout, open tabs and recent apps are remembered; null for nowhere
 * @param template     the app bundle "create from template" copies; null when there is none
 */
public record WorkbenchOptions(Path appDirectory, ServerControl.ServerSettings server,
                               Supplier<ExecutorService> runtimeWork, boolean exitOnClose, Path stateFile, Path template) {

    /**
     * The user's defaults: the state remembered in {@code $THIMBLE_HOME/workbench/state.json}, and the
     * to-do template from {@code -Dthimble.examples} or {@code ./examples}, or beside the opened app.
     */
    public static WorkbenchOptions defaults(Path appDirectory) {
        return new WorkbenchOptions(appDirectory, ServerControl.ServerSettings.defaults(), null, true,
                dev.thimble.workbench.workspace.WorkbenchState.file(dev.thimble.runtime.data.DataDirectories.home()),
                findTemplate(appDirectory));
    }

    private static Path findTemplate(Path appDirectory) {
        java.util.List<Path> candidates = new java.util.ArrayList<>();
        String examples = System.getProperty("thimble.examples");
        if (examples != null) {
            candidates.add(Path.of(examples, "todo"));
        }
        candidates.add(Path.of("examples", "todo"));
        if (appDirectory != null && appDirectory.toAbsolutePath().getParent() != null) {
            candidates.add(appDirectory.toAbsolutePath().getParent().resolve("todo"));
        }
        return candidates.stream().filter(p -> java.nio.file.Files.isRegularFile(p.resolve("stitch.json")))
                .map(p -> p.toAbsolutePath().normalize()).findFirst().orElse(null);
    }

    public WorkbenchOptions withServer(ServerControl.ServerSettings settings) {
        return new WorkbenchOptions(appDirectory, settings, runtimeWork, exitOnClose, stateFile, template);
    }

    public WorkbenchOptions withRuntimeWork(Supplier<ExecutorService> executor) {
        return new WorkbenchOptions(appDirectory, server, executor, exitOnClose, stateFile, template);
    }

    public WorkbenchOptions withExitOnClose(boolean exit) {
        return new WorkbenchOptions(appDirectory, server, runtimeWork, exit, stateFile, template);
    }

    /** Where to remember the window between runs; null to remember nothing (tests). */
    public WorkbenchOptions withStateFile(Path file) {
        return new WorkbenchOptions(appDirectory, server, runtimeWork, exitOnClose, file, template);
    }
}
