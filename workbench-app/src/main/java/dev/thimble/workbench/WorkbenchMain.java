package dev.thimble.workbench;

import java.nio.file.Path;

/** Starts the workbench without the CLI: {@code WorkbenchMain [APP_DIR]}, by default {@code examples/todo}. */
public final class WorkbenchMain {
    private WorkbenchMain() {
    }

    public static void main(String[] args) {
        new FxWorkbenchLauncher().open(Path.of(args.length > 0 ? args[0] : "examples/todo"));
    }
}
