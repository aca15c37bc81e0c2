package dev.thimble.workbench.shell;

import dev.thimble.workbench.console.ConsoleView;
import dev.thimble.workbench.data.DataView;
import dev.thimble.workbench.editors.EditorTabsView;
import dev.thimble.workbench.logs.LogsView;
import dev.thimble.workbench.navigation.PickerView;
import dev.thimble.runtime.apps.AppSearch;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.workbench.explorer.ExplorerView;
import dev.thimble.workbench.problems.ProblemsView;
import dev.thimble.workbench.server.ServerViewModel;
import dev.thimble.workbench.server.StatusBarView;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Orientation;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The main window's layout: menus and toolbar on top, the explorer beside the editor tabs, the
 * problems below them, the status bar at the bottom. Menu items and buttons call the view-models;
 * only the window actions (dialogs, quitting) come from outside.
 */
public final class MainWindowView {
    private final BorderPane window = new BorderPane();
    private final javafx.scene.layout.StackPane root = new javafx.scene.layout.StackPane(window);
    private final PickerView<EditableItem> goTo;
    private final PickerView<AppSearch.Hit> search;
    private final ExplorerView explorer;
    private final EditorTabsView tabs;
    private final ProblemsView problems;
    // the dock's panels but Problems are built when first shown (LazyDockTab): the first frame needs only the shell
    private final LazyDockTab<LogsView> logs;
    private final LazyDockTab<ConsoleView> console;
    private final LazyDockTab<DataView> data;
    private final LazyDockTab<dev.thimble.workbench.debugging.DebugDockView> debug;
    private final LazyDockTab<dev.thimble.workbench.triggers.ScheduleView> schedule;
    private final LazyDockTab<dev.thimble.workbench.dependencies.DependenciesView> dependencies;
    private final LazyDockTab<dev.thimble.workbench.sync.SyncView> sync;
    private final TabPane dock = new TabPane();
    private final SplitPane sides;
    private final SplitPane main;
    private final WelcomeView welcome;
    private final dev.thimble.workbench.explorer.StructurePane structurePane;

    /** The bottom dock's tabs. */
    public enum Dock { PROBLEMS, LOGS, CONSOLE, DATA, DEBUG, SCHEDULE, DEPENDENCIES, SYNC }

    /** What the window does itself: dialogs and quitting. */
    public interface WindowActions extends WelcomeView.Actions {
        void openApp();

        void exportToFolder();

        void exportAsZip();

        /** Exports as a template (a folder). */
        default void exportAsTemplate() {
        }

        /** Imports an exported app from a zip. */
        default void importZip() {
        }

        /** The New App wizard: a name and a folder, blank or from the template. */
        default void newApp() {
        }

        /** Opens a recently opened app. */
        default void openRecent(java.nio.file.Path directory) {
        }

        /** Help: keyboard shortcuts, where the docs are, about. */
        default void showHelp(HelpTopic topic) {
        }

        void quit();
    }

    public MainWindowView(MainWindowViewModel model, Dialogs dialogs, WindowActions actions) {
        this(model, dialogs, actions, false);
    }

    /** @param templateAvailable whether the welcome view can create an app from the template */
    public MainWindowView(MainWindowViewModel model, Dialogs dialogs, WindowActions actions, boolean templateAvailable) {
        explorer = new ExplorerView(model.explorer());
        tabs = new EditorTabsView(model.tabs(), dialogs::askAboutUnsaved);
        problems = new ProblemsView(model.problems());
        tabs.onFunctionView((function, view) -> dev.thimble.workbench.editors.code.BreakpointGutter.bind(view.codeEditor(),
                "functions/" + function.name() + "/source.js", model.debug().breakpoints(), model.debug().currentLineProperty(),
                javafx.application.Platform::runLater));
        dock.setId("dock");
        dock.getStyleClass().add("dock");
        dock.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        dock.getTabs().setAll(dockTab("Problems", Feather.ALERT_TRIANGLE, problems.node()));
        logs = lazyDockTab("Logs", Feather.LIST, () -> {
            LogsView view = new LogsView(model.logs(), dialogs::chooseLogExportFile);
            view.addRecordAction("log-replay", "Replay in debugger", Feather.PLAY_CIRCLE, MainWindowViewModel::canReplay, record -> {
                model.debug().prepareReplay(record);
                showDock(Dock.DEBUG);
            });
            view.addRecordAction("log-open-simulator", "Open in rule simulator", Feather.SHIELD, MainWindowViewModel::canSimulate, record -> {
                if (model.openInSimulator(record)
                        && tabs.viewFor(model.tabs().selectedProperty().get()) instanceof dev.thimble.workbench.editors.rules.RuleDesignerEditorView rules) {
                    rules.pane().tabs().getSelectionModel().select(1); // the Simulate tab: the decision is what the user asked for
                }
            });
            return view;
        }, LogsView::node);
        console = lazyDockTab("Console", Feather.TERMINAL, () -> new ConsoleView(model.console()), ConsoleView::node);
        data = lazyDockTab("Data", Feather.DATABASE, () -> new DataView(model.data(), dialogs::confirmDelete), DataView::node);
        debug = lazyDockTab("Debug", Feather.OCTAGON, () -> new dev.thimble.workbench.debugging.DebugDockView(model.debug()),
                dev.thimble.workbench.debugging.DebugDockView::node);
        schedule = lazyDockTab("Schedule", Feather.CALENDAR, () -> new dev.thimble.workbench.triggers.ScheduleView(model.schedule()),
                dev.thimble.workbench.triggers.ScheduleView::node);
        dependencies = lazyDockTab("Dependencies", Feather.PACKAGE,
                () -> new dev.thimble.workbench.dependencies.DependenciesView(model.dependencies()),
                dev.thimble.workbench.dependencies.DependenciesView::node);
        sync = lazyDockTab("Sync", Feather.SMARTPHONE, () -> new dev.thimble.workbench.sync.SyncView(model.sync()),
                dev.thimble.workbench.sync.SyncView::node);
        sync.tab().selectedProperty().addListener((obs, was, now) -> model.sync().showing(now));

        sides = new SplitPane(explorer.node(), tabs.node());
        sides.setDividerPositions(0.24);
        SplitPane.setResizableWithParent(explorer.node(), false);
        main = new SplitPane(sides, dock);
        main.setOrientation(Orientation.VERTICAL);
        main.setDividerPositions(0.55);
        SplitPane.setResizableWithParent(dock, false);
        model.debug().pausedProperty().addListener((obs, was, now) -> {
            if (now) {
                showDock(Dock.DEBUG);
                // the stack and the variables need room: a dock squeezed below the editors grows to half the window
                if (main.getDividerPositions()[0] > 0.5) {
                    main.setDividerPositions(0.42);
                }
            }
        });

        // the reverse for the rule designer: roles, apply_when, the field grid and the simulator's tables need
        // height; at 1280×800 a dock over 40% of the window left them two rows
        model.tabs().selectedProperty().addListener((obs, was, now) -> {
            if (now instanceof dev.thimble.workbench.editors.rules.RuleDesignerEditorViewModel && main.getDividerPositions()[0] < 0.66) {
                main.setDividerPositions(0.7);
            }
        });

        goTo = new PickerView<>("go-to-item", "Go to an item: type part of its name (functions, rules, triggers, ...)",
                model.goTo().queryProperty(), model.goTo().results(), item -> item.title() + "\n" + item.file(), null,
                model.goTo().showingProperty(), model.goTo()::choose, model.goTo()::cancel);
        search = new PickerView<>("search-app", "Search the app's sources, values, rules and config",
                model.search().queryProperty(), model.search().results(), hit -> hit.text() + "\n" + hit.file() + ":" + hit.line(),
                model.search().summaryProperty(), model.search().showingProperty(), model.search()::choose, model.search()::cancel);
        root.getChildren().addAll(goTo.node(), search.node());
        structurePane = new dev.thimble.workbench.explorer.StructurePane(model.structure());
        root.getChildren().add(structurePane.node());
        root.getChildren().add(new ImportPane(model.importProgress()).node());
        explorer.installStructureActions(model.structure());

        window.setTop(new VBox(menus(model, dialogs, actions), toolbar(model, dialogs, actions)));
        welcome = new WelcomeView(model, actions, templateAvailable);
        window.setCenter(new javafx.scene.layout.StackPane(main, welcome.node()));
        window.setBottom(new StatusBarView(model.server(), model.noticeProperty(), model::tell,
                model.logs().perSecondProperty(), () -> showDock(Dock.LOGS), model.busyProperty()).node());
        window.getStyleClass().add("workbench");
        longMessages = new LongMessages(window, model.noticeProperty());
    }

    private final LongMessages longMessages;

    /** The notifications for messages longer than the status bar. */
    public LongMessages longMessages() {
        return longMessages;
    }

    private MenuBar menus(MainWindowViewModel model, Dialogs dialogs, WindowActions actions) {
        BooleanBinding noApp = model.modelProperty().isNull();
        BooleanBinding noEditor = model.tabs().selectedProperty().isNull();

        MenuItem open = item("Open...", Feather.FOLDER, "Shortcut+O", e -> actions.openApp());
        MenuItem create = item("New from Template...", Feather.FILE_PLUS, null, e -> actions.createFromTemplate());
        MenuItem importing = item("Import a Folder...", Feather.DOWNLOAD, null, e -> actions.importApp());
        MenuItem importingZip = item("Import a Zip...", Feather.ARCHIVE, null, e -> actions.importZip());
        MenuItem save = item("Save", Feather.SAVE, "Shortcut+S", e -> model.tabs().saveSelected());
        save.setId("menu-save");
        save.disableProperty().bind(nothingToSave(model));
        MenuItem close = item("Close Tab", Feather.X, "Shortcut+W", e -> model.tabs().closeSelected(dialogs::askAboutUnsaved));
        close.disableProperty().bind(noEditor);
        Menu export = new Menu("Export", new FontIcon(Feather.PACKAGE));
        export.disableProperty().bind(noApp);
        export.getItems().addAll(
                item("To a Folder...", Feather.FOLDER_PLUS, null, e -> actions.exportToFolder()),
                item("As a Zip...", Feather.ARCHIVE, null, e -> actions.exportAsZip()),
                item("As a Template (folder)...", Feather.COPY, null, e -> actions.exportAsTemplate()));
        MenuItem quit = item("Quit", Feather.LOG_OUT, "Shortcut+Q", e -> actions.quit());
        Menu newMenu = new Menu("New", new FontIcon(Feather.PLUS));
        newMenu.setId("menu-new");
        newMenu.disableProperty().bind(noApp);
        MenuItem newItem = item("Item...", Feather.PLUS_SQUARE, "Shortcut+N", e -> model.structure().startNew(explorer.suggestedKind()));
        newItem.setId("menu-new-item");
        newMenu.getItems().addAll(newItem, new SeparatorMenuItem());
        for (dev.thimble.workbench.explorer.StructureViewModel.Kind kind : dev.thimble.workbench.explorer.StructureViewModel.Kind.values()) {
            MenuItem entry = item(kind.title() + "...", null, null, e -> model.structure().startNew(kind));
            entry.setId("menu-new-" + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            newMenu.getItems().add(entry);
        }
        MenuItem newApp = item("New App...", Feather.FILE_PLUS, "Shortcut+Shift+N", e -> actions.newApp());
        newApp.setId("menu-new-app");
        Menu recent = new Menu("Open Recent", new FontIcon(Feather.CLOCK));
        recent.setId("menu-open-recent");
        Runnable fillRecent = () -> {
            recent.getItems().setAll(model.recentApps().stream().map(dir -> {
                MenuItem entry = new MenuItem(dir.getFileName() + "  —  " + dir);
                entry.setMnemonicParsing(false);
                entry.setOnAction(e -> actions.openRecent(dir));
                return entry;
            }).toList());
            recent.setDisable(recent.getItems().isEmpty());
        };
        fillRecent.run();
        model.recentApps().addListener((javafx.collections.ListChangeListener<java.nio.file.Path>) change -> fillRecent.run());
        Menu file = new Menu("File", null, newMenu, newApp, new SeparatorMenuItem(), open, recent, create, importing, importingZip,
                new SeparatorMenuItem(), save, close, new SeparatorMenuItem(), export, new SeparatorMenuItem(), quit);

        var structure = model.structure();
        MenuItem undo = item("Undo Structural Change", Feather.ROTATE_CCW, "Shortcut+Alt+Z", e -> structure.undo());
        undo.setId("menu-undo-structure");
        undo.textProperty().bind(Bindings.when(structure.undoableProperty().isEmpty()).then("Undo Structural Change")
                .otherwise(Bindings.concat("Undo: ", structure.undoableProperty())));
        undo.disableProperty().bind(structure.undoableProperty().isEmpty());
        MenuItem redo = item("Redo Structural Change", Feather.ROTATE_CW, "Shortcut+Alt+Shift+Z", e -> structure.redo());
        redo.setId("menu-redo-structure");
        redo.textProperty().bind(Bindings.when(structure.redoableProperty().isEmpty()).then("Redo Structural Change")
                .otherwise(Bindings.concat("Redo: ", structure.redoableProperty())));
        redo.disableProperty().bind(structure.redoableProperty().isEmpty());
        BooleanBinding noItem = Bindings.createBooleanBinding(() -> explorer.selectedItem() == null,
                explorer.tree().getSelectionModel().selectedItemProperty());
        MenuItem rename = item("Rename...", Feather.EDIT_3, "Shift+F6", e -> structure.startRename(explorer.selectedItem()));
        rename.setId("menu-rename");
        rename.disableProperty().bind(noItem);
        MenuItem duplicate = item("Duplicate...", Feather.COPY, null, e -> structure.startDuplicate(explorer.selectedItem()));
        duplicate.disableProperty().bind(noItem);
        MenuItem delete = item("Delete...", Feather.TRASH_2, null, e -> structure.startDelete(explorer.selectedItem()));
        delete.setId("menu-delete");
        delete.disableProperty().bind(noItem);
        Menu edit = new Menu("Edit", null, undo, redo, new SeparatorMenuItem(), rename, duplicate, delete);
        edit.setId("menu-edit");

        MenuItem shortcuts = item("Keyboard Shortcuts", Feather.COMMAND, "Shortcut+Slash", e -> actions.showHelp(HelpTopic.SHORTCUTS));
        shortcuts.setId("menu-help-shortcuts");
        MenuItem docs = item("Documentation", Feather.BOOK_OPEN, "F1", e -> actions.showHelp(HelpTopic.DOCS));
        docs.setId("menu-help-docs");
        MenuItem about = item("About Thimble", Feather.INFO, null, e -> actions.showHelp(HelpTopic.ABOUT));
        about.setId("menu-help-about");
        Menu help = new Menu("Help", null, shortcuts, docs, new SeparatorMenuItem(), about);
        help.setId("menu-help");

        ToggleGroup themes = new ToggleGroup();
        RadioMenuItem light = new RadioMenuItem("Light Theme");
        light.setId("menu-theme-light");
        RadioMenuItem dark = new RadioMenuItem("Dark Theme");
        dark.setId("menu-theme-dark");
        light.setToggleGroup(themes);
        dark.setToggleGroup(themes);
        light.setOnAction(e -> model.theme().use(Theme.LIGHT));
        dark.setOnAction(e -> model.theme().use(Theme.DARK));
        Runnable syncThemeItems = () -> themes.selectToggle(model.theme().themeProperty().get() == Theme.DARK ? dark : light);
        syncThemeItems.run();
        model.theme().themeProperty().addListener((obs, old, now) -> syncThemeItems.run());
        Menu view = new Menu("View", null, light, dark, new SeparatorMenuItem(),
                item("Problems", Feather.ALERT_TRIANGLE, "Shortcut+Shift+M", e -> showDock(Dock.PROBLEMS)),
                item("Logs", Feather.LIST, "Shortcut+Shift+L", e -> showDock(Dock.LOGS)),
                item("Console", Feather.TERMINAL, "Shortcut+Shift+K", e -> showDock(Dock.CONSOLE)),
                item("Data Browser", Feather.DATABASE, "Shortcut+Shift+D", e -> showDock(Dock.DATA)),
                withId("menu-schedule", item("Schedule", Feather.CALENDAR, "Shortcut+Shift+T", e -> showDock(Dock.SCHEDULE))),
                dependenciesItem(),
                withId("menu-sync", item("Sync Sessions", Feather.SMARTPHONE, null, e -> showDock(Dock.SYNC))));

        ServerViewModel server = model.server();
        MenuItem start = item("Start", Feather.PLAY, null, e -> server.start());
        start.disableProperty().bind(server.canStartProperty().not());
        MenuItem stop = item("Stop", Feather.SQUARE, null, e -> server.stop());
        stop.disableProperty().bind(server.canStopProperty().not());
        MenuItem restart = item("Restart", Feather.REFRESH_CW, null, e -> server.restart());
        restart.disableProperty().bind(server.canStopProperty().not());
        MenuItem database = item("Database...", Feather.DATABASE, null, e -> dialogs.askConnectionString(server.databaseProperty().get())
                .ifPresent(server::switchDatabase));
        database.setId("menu-database");
        database.disableProperty().bind(server.canStopProperty().not().and(server.canStartProperty().not()));
        Menu serverMenu = new Menu("Server", null, start, stop, restart, new SeparatorMenuItem(), database);

        MenuItem goToItem = item("Go to Item...", Feather.NAVIGATION, "Shortcut+P", e -> model.goTo().open());
        goToItem.setId("menu-go-to-item");
        goToItem.disableProperty().bind(noApp);
        MenuItem searchApp = item("Search in App...", Feather.SEARCH, "Shortcut+Shift+F", e -> model.search().open());
        searchApp.setId("menu-search-app");
        searchApp.disableProperty().bind(noApp);
        Menu navigate = new Menu("Navigate", null, goToItem, searchApp);

        MenuBar bar = new MenuBar(file, edit, view, navigate, serverMenu, debugMenu(model), help);
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    /** The Debug menu: start/stop, then the commands with IntelliJ's keys (DebugKeys), enabled while a function is paused. */
    private Menu debugMenu(MainWindowViewModel model) {
        var debugging = model.debug();
        BooleanBinding notPaused = debugging.pausedProperty().not();
        MenuItem startDebugging = item("Start Debugging", Feather.PLAY_CIRCLE, null, e -> debugging.start());
        startDebugging.setId("menu-debug-start");
        startDebugging.disableProperty().bind(debugging.onProperty().or(model.modelProperty().isNull()));
        MenuItem stopDebugging = item("Stop Debugging", Feather.X_CIRCLE, null, e -> debugging.stop());
        stopDebugging.setId("menu-debug-stop");
        stopDebugging.disableProperty().bind(debugging.onProperty().not());
        MenuItem over = debugItem("Step Over", Feather.CORNER_DOWN_RIGHT, dev.thimble.debugger.ui.DebugKeys.STEP_OVER, debugging::stepOver, notPaused);
        MenuItem into = debugItem("Step Into", Feather.ARROW_DOWN, dev.thimble.debugger.ui.DebugKeys.STEP_INTO, debugging::stepInto, notPaused);
        MenuItem out = debugItem("Step Out", Feather.ARROW_UP, dev.thimble.debugger.ui.DebugKeys.STEP_OUT, debugging::stepOut, notPaused);
        MenuItem resume = debugItem("Resume", Feather.PLAY, dev.thimble.debugger.ui.DebugKeys.RESUME, debugging::resume, notPaused);
        MenuItem stopCall = debugItem("Stop the Function", Feather.SQUARE, dev.thimble.debugger.ui.DebugKeys.STOP, debugging::stopExecution, notPaused);
        MenuItem toggle = debugItem("Toggle Breakpoint", Feather.CIRCLE, dev.thimble.debugger.ui.DebugKeys.TOGGLE_BREAKPOINT,
                () -> toggleBreakpoint(model), model.tabs().selectedProperty().isNull());
        MenuItem dock = item("Debugger Panel", Feather.OCTAGON, "Shortcut+Shift+G", e -> showDock(Dock.DEBUG));
        return new Menu("Debug", null, startDebugging, stopDebugging, new SeparatorMenuItem(), over, into, out, resume, stopCall,
                new SeparatorMenuItem(), toggle, new SeparatorMenuItem(), dock);
    }

    private static MenuItem debugItem(String text, Feather icon, KeyCombination key, Runnable action, javafx.beans.value.ObservableBooleanValue disabled) {
        MenuItem item = new MenuItem(text, new FontIcon(icon));
        item.setAccelerator(key);
        item.setId("menu-debug-" + text.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
        item.setOnAction(e -> action.run());
        item.disableProperty().bind(disabled);
        return item;
    }

    /** Ctrl+F8: a breakpoint at the caret's line of the function editor in front. */
    private void toggleBreakpoint(MainWindowViewModel model) {
        if (model.tabs().selectedProperty().get() instanceof dev.thimble.workbench.editors.function.FunctionEditorViewModel function
                && tabs.viewFor(function) instanceof dev.thimble.workbench.editors.function.FunctionEditorView view) {
            model.debug().toggleBreakpoint("functions/" + function.name() + "/source.js", view.codeEditor().area().getCurrentParagraph() + 1);
        }
    }

    private static Tab dockTab(String title, Feather icon, javafx.scene.Node content) {
        Tab tab = new Tab(title, content);
        tab.setGraphic(new FontIcon(icon));
        tab.setId("dock-" + title.toLowerCase(java.util.Locale.ROOT));
        return tab;
    }

    /** A dock tab appended now whose panel is built when the tab is first selected. */
    private <P> LazyDockTab<P> lazyDockTab(String title, Feather icon, java.util.function.Supplier<P> make,
                                           java.util.function.Function<P, javafx.scene.Node> nodeOf) {
        Tab tab = dockTab(title, icon, null);
        dock.getTabs().add(tab);
        return new LazyDockTab<>(tab, make, nodeOf);
    }

    /** Brings a tab of the bottom dock to the front. */
    private MenuItem dependenciesItem() {
        MenuItem item = item("Dependencies", Feather.PACKAGE, null, e -> showDock(Dock.DEPENDENCIES));
        item.setId("menu-dependencies");
        return item;
    }

    public void showDock(Dock which) {
        lazyTab(which).ifPresent(LazyDockTab::panel); // built before it is selected, not only by the selection's listener
        dock.getSelectionModel().select(which.ordinal());
        if (which == Dock.CONSOLE) {
            console.panel().focus();
        }
    }

    private ToolBar toolbar(MainWindowViewModel model, Dialogs dialogs, WindowActions actions) {
        ServerViewModel server = model.server();
        Button open = button(Feather.FOLDER, "Open an app (Ctrl+O)", actions::openApp);
        Button save = button(Feather.SAVE, "Save (Ctrl+S)", () -> model.tabs().saveSelected());
        save.setId("toolbar-save");
        save.disableProperty().bind(nothingToSave(model));
        Button create = button(Feather.PLUS_SQUARE, "New item: function, rule, trigger, value, ... (Ctrl+N)",
                () -> model.structure().startNew(explorer.suggestedKind()));
        create.setId("toolbar-new");
        create.disableProperty().bind(model.modelProperty().isNull());
        Button start = button(Feather.PLAY, "Start the server", server::start);
        start.disableProperty().bind(server.canStartProperty().not());
        Button stop = button(Feather.SQUARE, "Stop the server", server::stop);
        stop.disableProperty().bind(server.canStopProperty().not());
        Button restart = button(Feather.REFRESH_CW, "Restart the server", server::restart);
        restart.disableProperty().bind(server.canStopProperty().not());
        Button theme = button(Feather.MOON, "Switch between light and dark theme", () -> model.theme().toggle());
        theme.setId("toolbar-theme");
        model.theme().themeProperty().addListener((obs, old, now) ->
                theme.setGraphic(new FontIcon(now == Theme.DARK ? Feather.SUN : Feather.MOON)));
        var debugging = model.debug();
        Button debugStart = button(Feather.PLAY_CIRCLE, "Start debugging: breakpoints stop the functions clients call", debugging::start);
        debugStart.setId("toolbar-debug-start");
        debugStart.disableProperty().bind(debugging.onProperty().or(model.modelProperty().isNull()));
        Button debugStop = button(Feather.X_CIRCLE, "Stop debugging", debugging::stop);
        debugStop.setId("toolbar-debug-stop");
        debugStop.disableProperty().bind(debugging.onProperty().not());
        Button resume = button(Feather.PLAY, "Resume (F9)", debugging::resume);
        resume.setId("toolbar-debug-resume");
        Button over = button(Feather.CORNER_DOWN_RIGHT, "Step over (F8)", debugging::stepOver);
        over.setId("toolbar-debug-step-over");
        Button into = button(Feather.ARROW_DOWN, "Step into (F7)", debugging::stepInto);
        Button out = button(Feather.ARROW_UP, "Step out (Shift+F8)", debugging::stepOut);
        for (Button b : new Button[] {resume, over, into, out}) {
            b.disableProperty().bind(debugging.pausedProperty().not());
        }
        return new ToolBar(open, create, save, new Separator(Orientation.VERTICAL), start, stop, restart, new Separator(Orientation.VERTICAL),
                debugStart, debugStop, resume, over, into, out, new Separator(Orientation.VERTICAL), theme);
    }

    private BooleanBinding nothingToSave;

    /** True unless the editor in front has unsaved changes: Save (menu and toolbar) is enabled exactly then. */
    private BooleanBinding nothingToSave(MainWindowViewModel model) {
        if (nothingToSave == null) {
            javafx.beans.property.BooleanProperty dirty = dirtyOfSelected(model);
            // reads dirty itself: a bound property that is not read again stays invalid and never notifies twice
            nothingToSave = Bindings.createBooleanBinding(() -> model.tabs().selectedProperty().get() == null || !dirty.get(),
                    model.tabs().selectedProperty(), dirty);
        }
        return nothingToSave;
    }

    /** Follows the selected editor's dirty flag (re-pointed when the selection moves). */
    private static javafx.beans.property.BooleanProperty dirtyOfSelected(MainWindowViewModel model) {
        javafx.beans.property.SimpleBooleanProperty dirty = new javafx.beans.property.SimpleBooleanProperty();
        java.util.function.Consumer<dev.thimble.workbench.editors.EditorViewModel> follow = now -> {
            dirty.unbind();
            if (now != null) {
                dirty.bind(now.dirtyProperty());
            } else {
                dirty.set(false);
            }
        };
        follow.accept(model.tabs().selectedProperty().get());
        model.tabs().selectedProperty().addListener((obs, old, now) -> follow.accept(now));
        return dirty;
    }

    private static MenuItem item(String text, Feather icon, String accelerator,
                                 javafx.event.EventHandler<javafx.event.ActionEvent> action) {
        MenuItem item = new MenuItem(text, icon == null ? null : new FontIcon(icon));
        if (accelerator != null) {
            item.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        item.setOnAction(action);
        return item;
    }

    private static MenuItem withId(String id, MenuItem item) {
        item.setId(id);
        return item;
    }

    private static Button button(Feather icon, String tooltip, Runnable action) {
        Button button = new Button(null, new FontIcon(icon));
        button.setTooltip(new Tooltip(tooltip));
        button.getStyleClass().add("flat");
        button.setOnAction(e -> action.run());
        return button;
    }

    public Parent root() {
        return root;
    }

    public PickerView<EditableItem> goToPicker() {
        return goTo;
    }

    public PickerView<AppSearch.Hit> searchPicker() {
        return search;
    }

    public dev.thimble.workbench.explorer.StructurePane structurePane() {
        return structurePane;
    }

    public ExplorerView explorer() {
        return explorer;
    }

    public EditorTabsView tabs() {
        return tabs;
    }

    public ProblemsView problems() {
        return problems;
    }

    /** The split positions: explorer | editors, and editors / dock. */
    public double[] dividers() {
        return new double[] {sides.getDividerPositions()[0], main.getDividerPositions()[0]};
    }

    public void useDividers(double sidesAt, double mainAt) {
        if (sidesAt > 0.05 && sidesAt < 0.8) {
            sides.setDividerPositions(sidesAt);
        }
        if (mainAt > 0.1 && mainAt < 0.95) {
            main.setDividerPositions(mainAt);
        }
    }

    public Dock selectedDock() {
        return Dock.values()[Math.max(0, dock.getSelectionModel().getSelectedIndex())];
    }

    /** The logs panel (built now if it was not shown yet). */
    public LogsView logs() {
        return logs.panel();
    }

    /** The console panel (built now if it was not shown yet). */
    public ConsoleView console() {
        return console.panel();
    }

    /** The debugger panel (built now if it was not shown yet). */
    public dev.thimble.workbench.debugging.DebugDockView debug() {
        return debug.panel();
    }

    /** The Sync panel (built now if it was not shown yet). */
    public dev.thimble.workbench.sync.SyncView sync() {
        return sync.panel();
    }

    /** The data browser (built now if it was not shown yet). */
    public DataView data() {
        return data.panel();
    }

    /** Whether a dock panel has been built (the dock builds each the first time it is shown). */
    public boolean dockPanelBuilt(Dock which) {
        return lazyTab(which).map(LazyDockTab::built).orElse(true);
    }

    private java.util.Optional<LazyDockTab<?>> lazyTab(Dock which) {
        return java.util.Optional.ofNullable(switch (which) {
            case PROBLEMS -> null;
            case LOGS -> logs;
            case CONSOLE -> console;
            case DATA -> data;
            case DEBUG -> debug;
            case SCHEDULE -> schedule;
            case DEPENDENCIES -> dependencies;
            case SYNC -> sync;
        });
    }

    public TabPane dock() {
        return dock;
    }
}
