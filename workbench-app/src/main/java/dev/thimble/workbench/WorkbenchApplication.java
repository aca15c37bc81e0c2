package dev.thimble.workbench;

import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The JavaFX application. Started only through {@link #launch(WorkbenchOptions)}: with JavaFX on the
 * class path, the class with {@code main} must not extend Application (STACK.md).
 */
public final class WorkbenchApplication extends Application {
    private static volatile WorkbenchOptions options;

    /** Starts JavaFX and shows the workbench; returns when its window has closed. */
    public static void launch(WorkbenchOptions startOptions) {
        options = startOptions;
        Application.launch(WorkbenchApplication.class);
    }

    @Override
    public void start(Stage stage) {
        Workbench.show(stage, options);
    }
}
