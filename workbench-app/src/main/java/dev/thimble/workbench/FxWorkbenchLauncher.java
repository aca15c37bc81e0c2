package dev.thimble.workbench;

import dev.thimble.runtime.cli.WorkbenchLauncher;

import java.nio.file.Path;

/** What {@code thimble open} finds through {@link java.util.ServiceLoader}: the JavaFX workbench. */
public final class FxWorkbenchLauncher implements WorkbenchLauncher {
    @Override
    public void open(Path appDir) {
        // the GraalJS engine warms up once the window has drawn its first frame (Workbench), not while JavaFX starts
        RenderingPipeline.chooseForThisMachine(); // before the toolkit reads prism.order
        WorkbenchApplication.launch(WorkbenchOptions.defaults(appDir));
    }
}
