package dev.thimble.workbench;

import dev.thimble.runtime.cli.WorkbenchLauncher;

import java.nio.file.Path;

/** What {@code thimble open} finds through {@link java.util.ServiceLoader}: the JavaFX workbench. */
public final class FxWorkbenchLauncher implements WorkbenchLauncher {
    @Override
    public void open(Path appDir) {
        // the GraalJS engine and the server's classes warm up while JavaFX starts and the window shows
        dev.thimble.runtime.StartupWarming.start();
        WorkbenchApplication.launch(WorkbenchOptions.defaults(appDir));
    }
}
