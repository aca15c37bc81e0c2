package dev.thimble.workbench;

import dev.thimble.runtime.cli.StartupTrace;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.concurrent.WorkbenchThreads;
import dev.thimble.workbench.shell.Dialogs;
import dev.thimble.workbench.shell.MainWindowView;
import dev.thimble.workbench.workspace.WorkbenchState;
import dev.thimble.workbench.shell.MainWindowViewModel;
import dev.thimble.workbench.shell.ThemeStyles;
import dev.thimble.workbench.workspace.SyntaxChecks;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.util.concurrent.CompletableFuture;

/**
 * The composition root: makes the threads, the service objects, the view-models and the views of one
 * window, shows it, and takes it all down again when the window closes (after asking about unsaved
 * editors; the server stops off the JavaFX thread, then the window goes).
 */
public final class Workbench {
    private final Stage stage;
    private final WorkbenchOptions options;
    private final WorkbenchThreads threads;
    private final SyntaxChecks syntax = new SyntaxChecks();
    private final MainWindowViewModel model;
    private final MainWindowView view;
    private final Dialogs dialogs;
    private CompletableFuture<Void> shutdown;
    private final WorkbenchState remembered;

    private Workbench(Stage stage, WorkbenchOptions options) {
        this.stage = stage;
        this.options = options;
        this.remembered = WorkbenchState.load(options.stateFile());
        // the theme's stylesheet before the first control exists: JavaFX then never parses its own default (Modena)
        ThemeStyles.useUserAgentStylesheet("DARK".equals(remembered.theme()) ? dev.thimble.workbench.shell.Theme.DARK
                : dev.thimble.workbench.shell.Theme.LIGHT);
        this.threads = options.runtimeWork() == null ? new WorkbenchThreads() : new WorkbenchThreads(options.runtimeWork().get());
        UiTasks tasks = new UiTasks(threads.runtimeWork(), Platform::runLater);
        UiTasks callTasks = new UiTasks(threads.calls(), Platform::runLater);
        this.model = new MainWindowViewModel(tasks, callTasks, syntax, threads.timer(), options.server());
        StartupTrace.mark(StartupTrace.MODEL_BUILT);
        this.dialogs = new Dialogs(stage);
        this.view = new MainWindowView(model, dialogs, new Actions(), options.template() != null);
        StartupTrace.mark(StartupTrace.VIEW_BUILT);
    }

    /** Builds the window on {@code stage} (on the JavaFX thread), shows it, and starts opening the app. */
    public static Workbench show(Stage stage, WorkbenchOptions options) {
        StartupTrace.mark(StartupTrace.FX_STARTED);
        Workbench workbench = new Workbench(stage, options);
        workbench.showWindow();
        return workbench;
    }

    private void showWindow() {
        WorkbenchState.Window bounds = remembered.window();
        boolean sized = bounds != null && bounds.width() != null && bounds.height() != null && bounds.width() >= 400 && bounds.height() >= 300;
        Scene scene = new Scene(view.root(), sized ? bounds.width() : 1280, sized ? bounds.height() : 800);
        if (sized && bounds.x() != null && bounds.y() != null) {
            stage.setX(bounds.x());
            stage.setY(bounds.y());
        }
        if (bounds != null && bounds.maximized() || !sized && options.stateFile() != null) {
            stage.setMaximized(true); // the last run's maximised window, or the first run: use the screen
        }
        if ("DARK".equals(remembered.theme())) {
            model.theme().use(dev.thimble.workbench.shell.Theme.DARK);
        }
        view.useDividers(remembered.sidesDivider(), remembered.mainDivider());
        if (remembered.dock() != null) {
            try {
                view.showDock(MainWindowView.Dock.valueOf(remembered.dock()));
            } catch (IllegalArgumentException ignored) {
                // a dock tab of another version: keep the default
            }
        }
        model.useState(remembered);
        model.onSecretOpened(name -> dialogs.askSecretValue(name).ifPresent(value -> model.setSecret(name, value)));
        ThemeStyles.install(scene, model.theme());
        stage.setScene(scene);
        // a breakpoint hit: the window comes to the front at the paused line (the view opens it and the Debug tab)
        model.debug().pausedProperty().addListener((obs, was, now) -> {
            if (now) {
                stage.toFront();
            }
        });
        stage.titleProperty().bind(model.titleProperty());
        var icon = Workbench.class.getResourceAsStream("/dev/thimble/workbench/thimble-64.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon));
        }
        stage.setOnCloseRequest(event -> {
            event.consume(); // closing waits for the unsaved-changes question and a clean server stop
            quit();
        });
        stage.show();
        StartupTrace.mark(StartupTrace.WINDOW_SHOWN);
        model.server().stateProperty().addListener((obs, was, now) -> {
            if (now == dev.thimble.workbench.server.ServerViewModel.State.RUNNING) {
                StartupTrace.mark(StartupTrace.SERVER_RUNNING);
            }
        });
        if (options.exitOnClose()) {
            // Ctrl-C in the terminal: close the embedded database cleanly (a no-op after a normal quit)
            Runtime.getRuntime().addShutdownHook(new Thread(model::stopServerNow, "thimble-workbench-shutdown"));
            // the user's window (not a test's): the heap a burst of calls left behind goes back once idle (decision 0068)
            IdleHeapTrim.start(scene, threads.timer());
        }
        // The first frame comes first: the app's runtime (GraalJS's engine, the database, the HTTP server, the parsing
        // context of the editors' syntax checks) starts once the frame showing the app has been drawn, never before it
        // (on two cores it would take the CPU from JavaFX's start and first layout). Issue 17, decision 0046.
        model.startRuntimeOn(start -> afterNextPulse(scene, () -> afterNextPulse(scene, () -> startRuntime(start))));
        if (options.appDirectory() == null) {
            afterNextPulse(scene, () -> afterNextPulse(scene, syntax::warmUp));
        }
        if (options.appDirectory() != null) {
            model.open(options.appDirectory(), dialogs::askAboutUnsaved)
                    .thenRun(() -> Platform.runLater(() -> afterNextPulse(scene, () -> StartupTrace.mark(StartupTrace.INTERACTIVE))));
        } else {
            model.tell("No app open: open one, create one from the template, or import an export.");
            afterNextPulse(scene, () -> StartupTrace.mark(StartupTrace.INTERACTIVE));
        }
    }

    /** The opened app's runtime: the engine warming beside the server's start, then the editors' parsing context. */
    private void startRuntime(Runnable serverStart) {
        if (StartupTrace.exitsAt(StartupTrace.INTERACTIVE)) {
            return; // the window's AOT training ends at its first frame: its cache holds the window's classes, not the runtime's
        }
        dev.thimble.runtime.StartupWarming.start();
        serverStart.run();
        syntax.warmUp();
    }

    /** Runs {@code action} on the JavaFX thread once the next pulse has laid the scene out (what the user then sees). */
    private static void afterNextPulse(Scene scene, Runnable action) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            action.run();
        };
        scene.addPostLayoutPulseListener(once[0]);
        Platform.requestNextPulse();
    }

    /**
     * Closes the window: asks about unsaved editors (the user may cancel), stops the server off the
     * JavaFX thread, then hides the window. Completes (on the JavaFX thread) with true once closed.
     */
    public CompletableFuture<Boolean> quit() {
        if (shutdown != null) {
            return shutdown.thenApply(done -> true);
        }
        WorkbenchState toRemember = layout(model.state());
        return model.closeApp(dialogs::askAboutUnsaved).thenApply(closed -> {
            if (closed && shutdown == null) {
                shutdown = CompletableFuture.runAsync(() -> {
                    remember(toRemember);
                    syntax.close();
                    threads.close(10);
                }).thenRun(() -> Platform.runLater(() -> {
                    stage.hide();
                    if (options.exitOnClose()) {
                        Platform.exit();
                    }
                }));
            }
            return closed;
        });
    }

    /** The state with the window's layout as it is now (on the JavaFX thread). */
    private WorkbenchState layout(WorkbenchState state) {
        double[] dividers = view.dividers();
        return state.withLayout(new WorkbenchState.Window(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized()),
                model.theme().themeProperty().get().name(), dividers[0], dividers[1], view.selectedDock().name());
    }

    private void remember(WorkbenchState state) {
        if (options.stateFile() == null) {
            return;
        }
        try {
            state.save(options.stateFile());
        } catch (java.io.IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Workbench.class).warn("Could not remember the window in {}: {}", options.stateFile(), e.toString());
        }
    }

    /** Completes once {@link #quit()} has stopped everything (the window hides right after). */
    public CompletableFuture<Void> stopped() {
        return shutdown == null ? CompletableFuture.failedFuture(new IllegalStateException("not quitting")) : shutdown;
    }

    public MainWindowViewModel model() {
        return model;
    }

    public MainWindowView view() {
        return view;
    }

    public Stage stage() {
        return stage;
    }

    /** The window's own actions: dialogs, then the view-model. */
    private final class Actions implements MainWindowView.WindowActions {
        @Override
        public void openApp() {
            dialogs.chooseAppFolder().ifPresent(dir -> model.open(dir, dialogs::askAboutUnsaved));
        }

        @Override
        public void exportToFolder() {
            dialogs.chooseExportFolder().ifPresent(model::export);
        }

        @Override
        public void exportAsZip() {
            String name = model.modelProperty().get() == null ? "app" : model.modelProperty().get().name();
            dialogs.chooseExportZip(name).ifPresent(model::export);
        }

        @Override
        public void quit() {
            Workbench.this.quit();
        }

        @Override
        public void createFromTemplate() {
            if (options.template() == null) {
                model.tell("There is no template here: start Thimble from its folder (./thimble) to create apps from examples/todo.");
                return;
            }
            dialogs.chooseNewAppFolder().ifPresent(dir -> model.closeApp(dialogs::askAboutUnsaved).thenAccept(closed -> {
                if (closed) {
                    model.createFromTemplate(options.template(), dir);
                }
            }));
        }

        @Override
        public void exportAsTemplate() {
            dialogs.chooseExportFolder().ifPresent(dir -> model.export(dir, true));
        }

        @Override
        public void importZip() {
            dialogs.chooseImportZip().ifPresent(source -> dialogs.chooseNewAppFolder()
                    .ifPresent(target -> model.closeApp(dialogs::askAboutUnsaved).thenAccept(closed -> {
                        if (closed) {
                            model.importApp(source, target);
                        }
                    })));
        }

        @Override
        public void newApp() {
            dialogs.askNewApp(options.template() != null).ifPresent(answer -> model.closeApp(dialogs::askAboutUnsaved).thenAccept(closed -> {
                if (closed) {
                    if (answer.fromTemplate()) {
                        model.createFromTemplate(options.template(), answer.folder());
                    } else {
                        model.createBlank(answer.folder());
                    }
                }
            }));
        }

        @Override
        public void openRecent(java.nio.file.Path directory) {
            model.open(directory, dialogs::askAboutUnsaved);
        }

        @Override
        public void showHelp(dev.thimble.workbench.shell.HelpTopic topic) {
            dialogs.showHelp(topic);
        }

        @Override
        public void importApp() {
            dialogs.chooseImportSource().ifPresent(source -> dialogs.chooseNewAppFolder()
                    .ifPresent(target -> model.closeApp(dialogs::askAboutUnsaved).thenAccept(closed -> {
                        if (closed) {
                            model.importApp(source, target);
                        }
                    })));
        }
    }
}
