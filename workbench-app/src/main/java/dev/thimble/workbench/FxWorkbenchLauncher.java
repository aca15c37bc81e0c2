package dev.thimble.workbench;

import dev.thimble.runtime.cli.WorkbenchLauncher;

import java.nio.file.Path;

/** What {@code thimble open} finds through {@link java.util.ServiceLoader}: the JavaFX workbench. */
public final class FxWorkbenchLauncher implements WorkbenchLauncher {
    @Override
    public void open(Path appDir) {
        WorkbenchApplication.launch(WorkbenchOptions.defaults(appDir));
    }
}
