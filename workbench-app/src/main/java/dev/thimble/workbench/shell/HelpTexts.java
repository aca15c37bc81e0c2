package dev.thimble.workbench.shell;

/** What the Help menu says: the keyboard shortcuts, where the documentation is, and what Thimble is. */
public final class HelpTexts {
    private HelpTexts() {
    }

    public static String title(HelpTopic topic) {
        return switch (topic) {
            case SHORTCUTS -> "Keyboard shortcuts";
            case DOCS -> "Documentation";
            case ABOUT -> "About Thimble";
        };
    }

    public static String text(HelpTopic topic) {
        return switch (topic) {
            case SHORTCUTS -> """
                    Files and items
                      Ctrl+N            New item (function, rule, trigger, value, ...) in the selected group
                      Ctrl+Shift+N      New app
                      Ctrl+O            Open an app
                      Ctrl+S            Save the editor in front
                      Ctrl+W            Close the editor in front
                      F2 / Shift+F6     Rename the selected item (references follow)
                      Ctrl+D            Duplicate the selected item
                      Delete            Delete the selected item (says what still uses it)
                      Ctrl+Alt+Z        Undo a create, rename, duplicate or delete (again: the one before)
                      Ctrl+Alt+Shift+Z  Redo what was undone

                    Navigation
                      Ctrl+P            Go to an item
                      Ctrl+Shift+F      Search in the app
                      Ctrl+Shift+M/L/K/D  Problems, Logs, Console, Data

                    Editor
                      Ctrl+Space        Completion
                      Ctrl+F / Ctrl+R   Find / replace

                    Debugger (IntelliJ keys)
                      Ctrl+F8           Toggle a breakpoint
                      F8 / F7 / Shift+F8  Step over / into / out
                      F9                Resume
                    """;
            case DOCS -> """
                    Thimble's documentation lives with its source:
                      README.md            what Thimble is, how to run, install and serve it
                      docs/decisions/      why things are as they are (one record per decision)

                    From a terminal:
                      thimble --help                  every command
                      thimble serve APP_DIR           the app headless (no window)
                      thimble validate APP_DIR        the problems the Problems panel shows
                      thimble rules test APP_DIR      the app's rules tests

                    In the window, most things have a menu: File (new items, apps, import, export),
                    Edit (undo, rename, delete), Server (start, stop, database), Debug.
                    """;
            case ABOUT -> """
                    Thimble: a self-hosted home for MongoDB Stitch / Atlas App Services apps.
                    A workbench around an in-process runtime that serves the unmodified client SDKs
                    (realm-web, the Stitch JS SDK) with the app's rules, functions, triggers and services.

                    Java %s, JavaFX %s.
                    """.formatted(System.getProperty("java.version"), System.getProperty("javafx.version", "?"));
        };
    }
}
