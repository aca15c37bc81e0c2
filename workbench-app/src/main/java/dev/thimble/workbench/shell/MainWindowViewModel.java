package dev.thimble.workbench.shell;

import dev.thimble.runtime.apps.Validation;
import dev.thimble.runtime.apps.SaveResult;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Problem;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.editors.EditorContext;
import dev.thimble.workbench.editors.EditorFactory;
import dev.thimble.workbench.editors.EditorTabsViewModel;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.console.ConsoleViewModel;
import dev.thimble.workbench.data.DataViewModel;
import dev.thimble.workbench.explorer.ExplorerViewModel;
import dev.thimble.workbench.logs.LogsViewModel;
import dev.thimble.workbench.navigation.GoToItemViewModel;
import dev.thimble.workbench.navigation.SearchViewModel;
import dev.thimble.workbench.problems.ProblemsViewModel;
import dev.thimble.workbench.server.ServerViewModel;
import dev.thimble.runtime.apps.AppCreation;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ServerControl;
import dev.thimble.workbench.workspace.SyntaxChecks;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The window's state: which app is open, and the parts that show it (explorer, editor tabs, problems,
 * server, theme). It wires the parts together (opening from the explorer or the problems list,
 * refreshing both after a save) and owns the app's lifecycle: open, close, export; it holds no editing
 * or server state of its own.
 */
public final class MainWindowViewModel {
    private final UiTasks tasks;
    private final SyntaxChecks syntax;
    private final ScheduledExecutorService timer;
    private final ServerControl.ServerSettings serverSettings;

    private final ExplorerViewModel explorer = new ExplorerViewModel(this::openItem);
    private final EditorTabsViewModel tabs = new EditorTabsViewModel();
    private final ProblemsViewModel problems = new ProblemsViewModel(this::openProblem);
    private final ServerViewModel server;
    private final ThemeViewModel theme = new ThemeViewModel();
    private final LogsViewModel logs;
    private final ConsoleViewModel console;
    private final DataViewModel data;
    private final GoToItemViewModel goTo = new GoToItemViewModel(item -> openItem(item));
    private final SearchViewModel search;
    private final UiTasks callTasks;
    private final dev.thimble.workbench.debugging.DebugViewModel debug;
    private final dev.thimble.workbench.explorer.StructureViewModel structure;
    private final dev.thimble.workbench.triggers.ScheduleViewModel schedule;
    private final dev.thimble.workbench.dependencies.DependenciesViewModel dependencies;
    private final dev.thimble.workbench.sync.SyncViewModel sync;

    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Thimble");
    private final ReadOnlyObjectWrapper<AppModel> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyObjectWrapper<Path> appDirectory = new ReadOnlyObjectWrapper<>(this, "appDirectory");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final javafx.collections.ObservableList<Path> recentApps = javafx.collections.FXCollections.observableArrayList();
    private dev.thimble.workbench.workspace.WorkbenchState state = dev.thimble.workbench.workspace.WorkbenchState.defaults();
    /** Volatile: read by the JVM shutdown hook as well. */
    private volatile AppSession session;
    private Validation validation;
    /** Runs the opened app's runtime start (its server, its validation): at once unless the window defers it. */
    private java.util.concurrent.Executor runtimeStart = Runnable::run;

    public MainWindowViewModel(UiTasks tasks, SyntaxChecks syntax, ScheduledExecutorService timer,
                               ServerControl.ServerSettings serverSettings) {
        this(tasks, tasks, syntax, timer, serverSettings);
    }

    /**
     * @param callTasks where console calls and data-browser queries run: not the runtime-work thread,
     *                  so a slow function never holds up a save or a restart
     */
    public MainWindowViewModel(UiTasks tasks, UiTasks callTasks, SyntaxChecks syntax, ScheduledExecutorService timer,
                               ServerControl.ServerSettings serverSettings) {
        this.tasks = tasks;
        this.syntax = syntax;
        this.timer = timer;
        this.serverSettings = serverSettings;
        this.server = new ServerViewModel(tasks);
        this.logs = new LogsViewModel(tasks, java.time.Clock.systemUTC());
        this.console = new ConsoleViewModel(callTasks);
        this.data = new DataViewModel(callTasks);
        this.callTasks = callTasks;
        this.structure = new dev.thimble.workbench.explorer.StructureViewModel(tasks,
                () -> Optional.ofNullable(session).map(AppSession::editor), this::restructured);
        this.schedule = new dev.thimble.workbench.triggers.ScheduleViewModel(callTasks,
                () -> Optional.ofNullable(session).map(AppSession::editor), java.time.Clock.systemUTC());
        // packages install into the cache serve uses; a running server restarts to load them (they are read at start)
        this.dependencies = new dev.thimble.workbench.dependencies.DependenciesViewModel(callTasks,
                () -> Optional.ofNullable(appDirectory.get()).filter(dir -> model.get() != null)
                        .map(dir -> dev.thimble.workbench.dependencies.DependenciesViewModel.targetFor(
                                dev.thimble.runtime.data.DataDirectories.home(), dir, model.get().clientAppId())),
                dev.thimble.runtime.npm.NpmInstaller::standard,
                () -> {
                    if (server.stateProperty().get() == ServerViewModel.State.RUNNING) {
                        server.restart();
                    }
                });
        // an in-memory snapshot, read on the panel's own thread (not the console's); polled only once the Sync panel exists
        this.sync = dev.thimble.workbench.sync.SyncViewModel.withOwnThread(tasks,
                () -> Optional.ofNullable(session).map(s -> s.editor().syncSessions()));
        timer.scheduleAtFixedRate(() -> tasks.onUi(sync::tick), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        structure.onRefused(notice::set);
        // no host check here: it waits while the server starts; a stopped server's browser refuses, and the list stays empty
        structure.useData(() -> Optional.ofNullable(session).map(AppSession::data));
        this.search = new SearchViewModel(callTasks, timer, this::openHit);
        this.debug = new dev.thimble.workbench.debugging.DebugViewModel(tasks, java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "thimble-debugger-queries");
            t.setDaemon(true);
            return t;
        }));
        debug.onPause(this::openPausedLine);
        server.stateProperty().addListener((obs, old, now) -> serverChanged(now));
        timer.scheduleAtFixedRate(() -> tasks.onUi(logs::tick), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        // the data browser keeps up with writes from clients, functions and triggers by itself
        timer.scheduleAtFixedRate(() -> tasks.onUi(data::refreshQuietly), 5, 5, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Follows the live parts (logs, users, databases) onto a server that started, off one that stops. */
    private void serverChanged(ServerViewModel.State now) {
        AppSession open = session;
        if (now == ServerViewModel.State.RUNNING && open != null) {
            logs.connect(open);
            console.refreshUsers();
            data.refresh();
            debug.serverRunning();
        } else if (now == ServerViewModel.State.STOPPING || now == ServerViewModel.State.STOPPED) {
            logs.disconnect();
        }
    }

    /**
     * Opens the app in {@code directory} (closing the open one first, asking about unsaved editors),
     * starts its server and validates it. Completes with true once the app is shown (the server and
     * the validation may still be on their way).
     */
    public CompletableFuture<Boolean> open(Path directory, EditorTabsViewModel.CloseQuestion question) {
        return closeApp(question).thenCompose(closed -> closed ? load(directory) : CompletableFuture.completedFuture(false));
    }

    private CompletableFuture<Boolean> load(Path directory) {
        busy.set(true);
        notice.set("Opening " + directory + " ...");
        List<String> tabFiles = state.openTabsOf(directory);
        return tasks.run(() -> Opened.read(AppSession.open(directory, serverSettings), tabFiles), this::show,
                        failure -> {
                            busy.set(false);
                            notice.set(UiTasks.describe(failure));
                        })
                .handle((opened, failure) -> failure == null);
    }

    /** What the UI shows of a just-opened app, read in the background (the workspace's getters may wait on the disk). */
    private record Opened(AppSession session, AppModel app, Path directory, String saveRefusal, List<EditableItem> tabs) {
        static Opened read(AppSession session, List<String> tabFiles) {
            List<EditableItem> tabs = tabFiles.stream().map(f -> session.workspace().itemForFile(f))
                    .flatMap(Optional::stream).distinct().toList();
            return new Opened(session, session.model(), session.workspace().directory(), session.workspace().refusalReason(), tabs);
        }
    }

    private void show(Opened opened) {
        session = opened.session();
        AppModel app = opened.app();
        model.set(app);
        appDirectory.set(opened.directory());
        title.set(app.name() + " (" + app.clientAppId() + ") \u2014 " + opened.directory() + " \u2014 Thimble");
        explorer.show(app, java.util.Set.of());
        structure.show(app);
        schedule.refresh();
        dependencies.refresh();
        goTo.show(app);
        search.show(opened.directory());
        tabs.useFactory(new EditorFactory(new EditorContext(session, model::get, tasks, syntax, timer, this::saved))::create);
        console.attach(session, app);
        data.attach(session);
        server.attach(session, app.clientAppId());
        AppSession debugged = session;
        debug.attach(new dev.thimble.workbench.workspace.AppDebugging(debugged::host, state.breakpointsOf(opened.directory())));
        busy.set(false);
        notice.set(opened.saveRefusal() == null ? "" : opened.saveRefusal());
        state = state.withRecent(opened.directory());
        recentApps.setAll(state.recentApps().stream().map(Path::of).toList());
        opened.tabs().forEach(this::openItem);
        AppSession started = session;
        runtimeStart.execute(() -> {
            if (session == started) { // not another app opened meanwhile
                server.start();
                validate();
            }
        });
    }

    /**
     * Where an opened app's server start and validation run (on the JavaFX thread): by default at once; the
     * workbench window hands them to after its next frame, so the database, the HTTP server and the GraalJS engine
     * never compete with the first frame that shows the app (issue 17).
     */
    public void startRuntimeOn(java.util.concurrent.Executor executor) {
        this.runtimeStart = java.util.Objects.requireNonNull(executor);
    }

    /** Takes what the last run remembered (recent apps, open tabs per app); call before opening an app. */
    public void useState(dev.thimble.workbench.workspace.WorkbenchState remembered) {
        state = remembered;
        recentApps.setAll(remembered.recentApps().stream().map(Path::of).toList());
    }

    /** What to remember of this run: the remembered state with the open app's tabs now. */
    public dev.thimble.workbench.workspace.WorkbenchState state() {
        Path dir = appDirectory.get();
        if (dir == null) {
            return state;
        }
        return state.withOpenTabs(dir, tabs.editors().stream().map(e -> e.item().file()).distinct().toList())
                .withBreakpoints(dir, debug.breakpoints());
    }

    /** Recently opened apps, newest first (the welcome view lists them). */
    public javafx.collections.ObservableList<Path> recentApps() {
        return recentApps;
    }

    /** Writes a new app from {@code template} into {@code target} and opens it. */
    public CompletableFuture<Boolean> createFromTemplate(Path template, Path target) {
        notice.set("Creating " + target + " from " + template.getFileName() + " ...");
        busy.set(true);
        return tasks.run(() -> dev.thimble.runtime.apps.AppCreation.fromTemplate(template, target), done -> busy.set(false),
                        failure -> {
                            busy.set(false);
                            notice.set("Could not create the app: " + UiTasks.describe(failure));
                        })
                .thenCompose(dir -> open(dir, editor -> EditorTabsViewModel.CloseDecision.CANCEL))
                .exceptionally(failure -> false);
    }

    /** Writes a new, empty app into {@code target} (named after the folder) and opens it. */
    public CompletableFuture<Boolean> createBlank(Path target) {
        notice.set("Creating an empty app in " + target + " ...");
        busy.set(true);
        return tasks.run(() -> dev.thimble.runtime.apps.AppCreation.blank(target), done -> busy.set(false),
                        failure -> {
                            busy.set(false);
                            notice.set("Could not create the app: " + UiTasks.describe(failure));
                        })
                .thenCompose(dir -> open(dir, editor -> EditorTabsViewModel.CloseDecision.CANCEL))
                .exceptionally(failure -> false);
    }

    private final ImportProgress importProgress = new ImportProgress();

    /** The running import's steps, its cancel and its summary (the import panel shows them). */
    public ImportProgress importProgress() {
        return importProgress;
    }

    /**
     * Imports an exported app into {@code target} and opens it; progress and a cancel show while it
     * runs, then the summary (imported, converted, kept but not served); its problems show in the
     * problems list. A cancelled or failed import writes nothing.
     */
    public CompletableFuture<Boolean> importApp(Path source, Path target) {
        notice.set("Importing " + source + " ...");
        busy.set(true);
        AppCreation.Progress progress = importProgress.start(source, tasks::onUi);
        return tasks.run(() -> AppCreation.importApp(source, target, dev.thimble.runtime.values.SecretStore::forApp, progress), imported -> {
                    busy.set(false);
                    importProgress.finished(imported);
                }, failure -> {
                    busy.set(false);
                    importProgress.failed(UiTasks.describe(failure));
                    notice.set("Import failed: " + UiTasks.describe(failure));
                })
                .thenCompose(imported -> open(imported.directory(), editor -> EditorTabsViewModel.CloseDecision.CANCEL)
                        .thenApply(opened -> {
                            long errors = imported.problems().stream().filter(Problem::isError).count();
                            tasks.onUi(() -> notice.set("Imported " + imported.name() + ": " + errors + " error(s), "
                                    + (imported.problems().size() - errors) + " warning(s) (see Problems)"
                                    + (imported.movedSecrets() > 0 ? "; " + imported.movedSecrets() + " secret value(s) moved to the local secret store" : "")));
                            return opened;
                        }))
                .exceptionally(failure -> false);
    }

    /** Validates the open app in the background and shows the problems. */
    public CompletableFuture<Validation> validate() {
        AppSession target = session;
        if (target == null) {
            return CompletableFuture.completedFuture(null);
        }
        return tasks.run(target::validate, found -> {
            if (session == target) {
                showValidation(found);
            }
        }, failure -> notice.set("Validation failed: " + UiTasks.describe(failure)));
    }

    /**
     * A structural change is done: every part shows the new model, editors of items that are gone
     * close, unsaved-free editors of rewritten files reopen with their new text, and the created or
     * renamed item opens.
     */
    private void restructured(dev.thimble.runtime.apps.Restructured result) {
        model.set(result.model());
        console.showFunctions(result.model());
        goTo.show(result.model());
        structure.show(result.model());
        schedule.refresh();
        showValidation(result.validation());
        java.util.Set<String> changed = new java.util.HashSet<>(result.changed());
        EditableItem now = result.item();
        boolean nowExists = dev.thimble.runtime.apps.StructureEdits.exists(result.model(), now);
        for (EditorViewModel editor : new java.util.ArrayList<>(tabs.editors())) {
            EditableItem item = editor.item();
            boolean gone = !(item instanceof EditableItem.Values) && !dev.thimble.runtime.apps.StructureEdits.exists(result.model(), item);
            if (gone && nowExists && item.getClass() == now.getClass() && !item.equals(now)) {
                followRename(editor, now);
                continue;
            }
            boolean rewritten = changed.contains(item.file());
            if (rewritten && !gone && editor.isDirty()) {
                // its unsaved text predates the rewrite: saving it would put the old reference back
                editor.warn(structure.reportProperty().get() + " — this file was rewritten on disk; your unsaved text still has "
                        + "the old reference. Close without saving to take the rewrite, or fix the reference, then save.");
                continue;
            }
            if (gone || rewritten) {
                tabs.close(editor, e -> EditorTabsViewModel.CloseDecision.DISCARD);
                if (rewritten && !gone) {
                    openItem(item);
                }
            }
        }
        if (!(now instanceof EditableItem.AppSettings) && now.editorKind() != EditableItem.EditorKind.NONE
                && dev.thimble.runtime.apps.StructureEdits.exists(result.model(), now)) {
            openItem(now instanceof EditableItem.Value ? new EditableItem.Values() : now);
        }
        notice.set(structure.reportProperty().get());
    }

    /**
     * The editor of a renamed item follows it: the item opens under its new name and takes over the
     * old editor's unsaved changes; an editor that cannot hand them over stays open, saying so.
     */
    private void followRename(EditorViewModel editor, EditableItem renamed) {
        Optional<EditorViewModel> follower = openItem(renamed);
        if (editor.isDirty() && (follower.isEmpty() || !follower.get().takeOver(editor))) {
            editor.warn("This item is now " + renamed.title() + ": copy your unsaved changes into its new tab, then close this one.");
            return;
        }
        tabs.close(editor, e -> EditorTabsViewModel.CloseDecision.DISCARD);
        follower.ifPresent(f -> tabs.selectedProperty().set(f));
    }

    private void saved(SaveResult result) {
        model.set(result.model());
        structure.show(result.model());
        schedule.refresh();
        console.showFunctions(result.model());
        goTo.show(result.model());
        showValidation(result.validation());
        notice.set(result.changed().isEmpty() ? "Nothing to save" : "Saved " + String.join(", ", result.changed()));
    }

    private void showValidation(Validation found) {
        validation = found;
        explorer.show(model.get(), found.secretsWithValues());
        problems.show(found.problems());
        tabs.showProblems(found.byItem());
    }

    private java.util.function.Consumer<String> secretEditor = name -> notice.set("Set the value of " + name
            + " by double-clicking it in the explorer, or with: thimble secrets set APP_DIR " + name);

    /** What opening a secret does (the window asks for its value, masked). */
    public void onSecretOpened(java.util.function.Consumer<String> editor) {
        secretEditor = editor;
    }

    /** Stores a secret's value in the local secret store and shows the validation that follows. */
    public CompletableFuture<Validation> setSecret(String name, String value) {
        AppSession target = session;
        if (target == null) {
            return CompletableFuture.completedFuture(null);
        }
        return tasks.run(() -> target.setSecret(name, value), found -> {
            if (session == target) {
                showValidation(found);
            }
            notice.set("Stored the value of " + name + " in the local secret store (never in the bundle).");
        }, failure -> notice.set(UiTasks.describe(failure)));
    }

    /** Opens (or selects) the editor of an item; a secret asks for its value instead. */
    public Optional<EditorViewModel> openItem(EditableItem item) {
        if (item instanceof EditableItem.Secret secret) {
            secretEditor.accept(secret.name());
            return Optional.empty();
        }
        Optional<EditorViewModel> editor = tabs.open(item);
        if (editor.isPresent() && validation != null) {
            editor.get().showProblems(validation.byItem().getOrDefault(item, java.util.List.of()));
        }
        if (editor.isEmpty() && item.editorKind() != EditableItem.EditorKind.NONE) {
            notice.set(item.file() + " is no longer in the app.");
        }
        return editor;
    }

    /** Opens the editor of a search hit's file at the hit's line (for sources). */
    public CompletableFuture<Optional<EditableItem>> openHit(dev.thimble.runtime.apps.AppSearch.Hit hit) {
        AppSession target = session;
        if (target == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return callTasks.run(() -> target.workspace().itemForFile(hit.file()), item -> {
            if (item.isEmpty()) {
                notice.set(hit.file() + " has no editor in the workbench yet; open it in a text editor (line " + hit.line() + ").");
                return;
            }
            openItem(item.get()).ifPresent(editor -> {
                if (editor instanceof FunctionEditorViewModel function) {
                    function.revealLine(hit.line());
                }
            });
        }, failure -> notice.set(UiTasks.describe(failure)));
    }

    /** Opens the editor of a problem's file, at its line when it names one. */
    public void openProblem(Problem problem) {
        Optional<EditableItem> item = validation == null ? Optional.empty() : validation.itemOf(problem);
        if (item.isEmpty()) {
            notice.set(problem.file() + " has no editor in the workbench yet; open it in a text editor.");
            return;
        }
        openItem(item.get()).ifPresent(editor -> {
            if (editor instanceof FunctionEditorViewModel function) {
                ProblemsViewModel.lineOf(problem).ifPresent(function::revealLine);
            } else if (editor instanceof dev.thimble.workbench.editors.json.JsonEditorViewModel json && !problem.field().isEmpty()) {
                json.revealField(problem.field());
            }
        });
    }

    /** Exports the open app as a Stitch-layout bundle folder, or a zip when the name ends in .zip. */
    public CompletableFuture<Boolean> export(Path target) {
        return export(target, false);
    }

    /**
     * Exports the open app; a template leaves out what belongs to this deployment (the client app id's
     * suffix, cluster names, environment values).
     */
    public CompletableFuture<Boolean> export(Path target, boolean template) {
        AppSession target0 = session;
        if (target0 == null) {
            return CompletableFuture.completedFuture(false);
        }
        notice.set("Exporting to " + target + " ...");
        busy.set(true);
        return tasks.run(() -> {
                            if (template) {
                                target0.exportTemplate(target);
                            } else {
                                target0.export(target);
                            }
                            return target;
                        }, done -> {
                            busy.set(false);
                            notice.set("Exported to " + done + " (secret values are never exported).");
                        },
                        failure -> {
                            busy.set(false);
                            notice.set("Export failed: " + UiTasks.describe(failure));
                        })
                .handle((done, failure) -> failure == null);
    }

    /**
     * Closes the open app: its editors (asking about unsaved ones), then its server, off the UI thread.
     * Completes with false when the user kept an editor open.
     */
    public CompletableFuture<Boolean> closeApp(EditorTabsViewModel.CloseQuestion question) {
        AppSession closing = session;
        if (closing == null) {
            return CompletableFuture.completedFuture(true);
        }
        return tabs.closeAll(question).thenCompose(closed -> {
            if (!closed) {
                return CompletableFuture.completedFuture(false);
            }
            if (appDirectory.get() != null) {
                state = state.withBreakpoints(appDirectory.get(), debug.breakpoints());
            }
            debug.detach();
            session = null;
            validation = null;
            model.set(null);
            appDirectory.set(null);
            title.set("Thimble");
            explorer.clear();
            structure.cancel();
            structure.show(null);
            schedule.refresh();
            dependencies.refresh();
            problems.clear();
            logs.disconnect();
            goTo.show(null);
            search.show(null);
            console.detach();
            data.detach();
            server.detach();
            busy.set(true);
            return tasks.run(() -> {
                closing.close();
                return true;
            }, done -> busy.set(false), failure -> {
                busy.set(false);
                notice.set("The server did not stop cleanly: " + UiTasks.describe(failure));
            }).handle((done, failure) -> true);
        });
    }

    /**
     * Stops the open app's server on the calling thread, without asking anything: for the JVM shutdown
     * hook (Ctrl-C in the terminal that ran {@code thimble open}), so the embedded database closes cleanly.
     */
    public void stopServerNow() {
        AppSession open = session;
        if (open != null) {
            open.close();
        }
    }

    /** A function paused in the debugger: its editor opens at the paused line. */
    private void openPausedLine(dev.thimble.debugger.ui.DebuggerViewModel.Location at) {
        String[] parts = at.path().split("/");
        if (parts.length == 3 && parts[0].equals("functions") && parts[2].equals("source.js")) {
            openItem(new EditableItem.Function(parts[1])).ifPresent(editor -> {
                if (editor instanceof FunctionEditorViewModel function) {
                    function.revealLine(at.line());
                }
            });
        }
    }

    /** The logs panel's "Open in rule simulator": the collection's rule editor, simulating the logged request. */
    public boolean openInSimulator(dev.thimble.runtime.logs.LogRecord record) {
        if (!canSimulate(record)) {
            notice.set("Only a MongoDB request (a record with a service and a namespace) opens in the rule simulator.");
            return false;
        }
        Optional<EditorViewModel> editor = openItem(new EditableItem.CollectionRule(record.serviceName(), record.namespace()));
        if (editor.isPresent() && editor.get() instanceof dev.thimble.workbench.editors.rules.RuleDesignerEditorViewModel rules) {
            rules.openLogRecord(record);
            return true;
        }
        notice.set("There is no rule editor for " + record.serviceName() + " " + record.namespace() + ".");
        return false;
    }

    /** True when a log record can be replayed in the debugger (a function call, trigger run or webhook call). */
    public static boolean canReplay(dev.thimble.runtime.logs.LogRecord record) {
        return record != null && record.functionName() != null && !record.functionName().isBlank() && record.serviceAction() == null;
    }

    public static boolean canSimulate(dev.thimble.runtime.logs.LogRecord record) {
        return record != null && record.serviceAction() != null && record.namespace() != null && record.serviceName() != null
                && record.namespace().contains(".");
    }

    public dev.thimble.workbench.debugging.DebugViewModel debug() {
        return debug;
    }

    /** The explorer's New, Rename, Duplicate, Delete and Undo. */
    public dev.thimble.workbench.explorer.StructureViewModel structure() {
        return structure;
    }

    /** The app's function npm packages and installing them. */
    /** The Sync panel: the open Device Sync sessions. */
    public dev.thimble.workbench.sync.SyncViewModel sync() {
        return sync;
    }

    public dev.thimble.workbench.dependencies.DependenciesViewModel dependencies() {
        return dependencies;
    }

    /** The scheduled triggers' next runs, run now and the workbench's clock. */
    public dev.thimble.workbench.triggers.ScheduleViewModel schedule() {
        return schedule;
    }

    public ExplorerViewModel explorer() {
        return explorer;
    }

    public EditorTabsViewModel tabs() {
        return tabs;
    }

    public ProblemsViewModel problems() {
        return problems;
    }

    public ServerViewModel server() {
        return server;
    }

    public ThemeViewModel theme() {
        return theme;
    }

    public GoToItemViewModel goTo() {
        return goTo;
    }

    public SearchViewModel search() {
        return search;
    }

    public LogsViewModel logs() {
        return logs;
    }

    public ConsoleViewModel console() {
        return console;
    }

    public DataViewModel data() {
        return data;
    }

    /** Names the open app, for the window title. */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The open app as last read or saved; null when none is open. */
    public ReadOnlyObjectProperty<AppModel> modelProperty() {
        return model.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> appDirectoryProperty() {
        return appDirectory.getReadOnlyProperty();
    }

    /** True while an app opens or closes. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The latest general message for the status bar ("Saved ...", "Export failed: ..."), or "". */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** Shows a message in the status bar. */
    public void tell(String message) {
        notice.set(message);
    }
}
