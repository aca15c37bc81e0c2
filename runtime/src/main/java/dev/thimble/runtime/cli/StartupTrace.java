package dev.thimble.runtime.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * The start-up timeline. With {@code -Dthimble.startup.trace} each phase prints one line to standard
 * error, {@code thimble-startup: 412 ms window-shown}, counted from the start of the process (as the
 * operating system reports it, so the JVM's own boot is included). With {@code -Dthimble.startup.exit=PHASE}
 * the process exits with status 0 once that phase is reached: the installer's AOT training run and the
 * start-up benchmark stop there. The environment variables {@code THIMBLE_STARTUP_TRACE=1} and
 * {@code THIMBLE_STARTUP_EXIT=PHASE} do the same for the installed launcher, which takes no JVM options.
 * Costs nothing when none is set.
 */
public final class StartupTrace {
    /** The CLI's main method was entered (the JVM has booted). */
    public static final String MAIN = "main";
    /** {@code thimble serve}: the command line is parsed, the command starts. */
    public static final String COMMAND = "command";
    /** {@code thimble serve}: the client API's port listens (503 until the app is assembled, the location route once the bundle is read). */
    public static final String LISTENING = "listening";
    /** {@code thimble serve}: the bundle is read (not yet validated): the location route answers from here on. */
    public static final String BUNDLE_READ = "bundle-read";
    /** {@code thimble serve}: the bundle is read and validated (its functions parsed). */
    public static final String BUNDLE_VALID = "bundle-valid";
    /** {@code thimble serve}: the database is open (on its own thread, while the bundle is validated). */
    public static final String DATABASE_OPEN = "database-open";
    /** {@code thimble serve}: the client API answers. */
    public static final String SERVING = "serving";
    /** The JavaFX toolkit has started and calls the workbench application (on the JavaFX thread). */
    public static final String FX_STARTED = "fx-started";
    /** The workbench's view-models exist (nothing on screen yet). */
    public static final String MODEL_BUILT = "model-built";
    /** The window's shell (menus, toolbar, explorer, editor tabs, dock, status bar) is built, not yet shown. */
    public static final String VIEW_BUILT = "view-built";
    /** The workbench window is on screen (empty or not). */
    public static final String WINDOW_SHOWN = "window-shown";
    /** The workbench shows the app (explorer filled, editors can open) and has painted it. */
    public static final String INTERACTIVE = "interactive";
    /** The workbench's in-process server answers. */
    public static final String SERVER_RUNNING = "server-running";

    private static final boolean TRACE = Boolean.getBoolean("thimble.startup.trace")
            || "1".equals(System.getenv("THIMBLE_STARTUP_TRACE"));

    private StartupTrace() {
    }

    /** Records that {@code phase} was reached. */
    public static void mark(String phase) {
        String exitAt = exitPhase(); // read each time: the training run sets it late
        if (!TRACE && exitAt == null) {
            return;
        }
        if (TRACE) {
            System.err.println("thimble-startup: " + sinceProcessStart() + " ms " + phase);
            System.err.flush();
        }
        if (phase.equals(exitAt)) {
            System.exit(0);
        }
    }

    /** True when a run asked to stop at {@code phase} (callers can skip work that would only delay it). */
    public static boolean exitsAt(String phase) {
        return phase.equals(exitPhase());
    }

    private static String exitPhase() {
        String phase = System.getProperty("thimble.startup.exit");
        return phase != null ? phase : System.getenv("THIMBLE_STARTUP_EXIT");
    }

    /**
     * Milliseconds since the launch. The operating system's process start is only as exact as its boot time,
     * which Linux gives in whole seconds, so the same phase could read up to a second apart from one boot to the
     * next; a launcher that knows when it started the process ({@code THIMBLE_STARTUP_LAUNCHED_AT}, milliseconds
     * since the epoch: the start-up benchmark) gives an exact origin, comparable across machines and sessions.
     */
    private static long sinceProcessStart() {
        String launchedAt = System.getenv("THIMBLE_STARTUP_LAUNCHED_AT");
        if (launchedAt != null && launchedAt.matches("\\d{1,19}")) {
            return System.currentTimeMillis() - Long.parseLong(launchedAt);
        }
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis())
                .orElse(-1L);
    }
}
