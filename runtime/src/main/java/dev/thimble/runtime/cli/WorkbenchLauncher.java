package dev.thimble.runtime.cli;

import java.nio.file.Path;

/**
 * Opens the desktop workbench. The workbench module provides it through {@link java.util.ServiceLoader}
 * (the runtime cannot depend on JavaFX); when none is on the class path, {@code thimble open}
 * says so and serves the app headless.
 */
public interface WorkbenchLauncher {
    /** Opens the workbench on an app bundle, or on its welcome view when {@code appDir} is null; returns when it closes. */
    void open(Path appDir);
}
