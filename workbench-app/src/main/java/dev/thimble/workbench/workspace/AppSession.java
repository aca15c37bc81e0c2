package dev.thimble.workbench.workspace;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.app.WriteOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The service layer the workbench's view-models call: one app open in the workbench, its bundle on
 * disk ({@link Workspace}) and the server that serves it ({@link ServerControl}). A save writes the
 * bundle, then hot-reloads the server with what is now on disk; the server keeps answering throughout.
 * No JavaFX here: every method may block, and callers run it off the JavaFX thread.
 */
public final class AppSession implements AutoCloseable {
    private final Workspace workspace;
    private final ServerControl server;

    private AppSession(Workspace workspace, ServerControl server) {
        this.workspace = workspace;
        this.server = server;
    }

    /** Reads the bundle (the server is not started; see {@link #startServer()}). */
    public static AppSession open(Path directory, ServerControl.ServerSettings settings) {
        return new AppSession(Workspace.open(directory), new ServerControl(settings).withBundleDirectory(directory));
    }

    public Workspace workspace() {
        return workspace;
    }

    public AppModel model() {
        return workspace.model();
    }

    /** The host serving the app now, if the server runs (for the rule designer's live data). */
    public java.util.Optional<dev.thimble.runtime.AppHost> host() {
        return server.host();
    }

    /** Validates the bundle as it is on disk (parses every function: call it off the UI thread). */
    public Validation validate() {
        List<Problem> problems = workspace.validate();
        Map<EditableItem, List<Problem>> byItem = new LinkedHashMap<>();
        for (Problem problem : problems) {
            workspace.itemForFile(problem.file()).ifPresent(item ->
                    byItem.computeIfAbsent(item, i -> new ArrayList<>()).add(problem));
        }
        return new Validation(problems, byItem, workspace.secrets().names());
    }

    /**
     * Applies an edit, writes the changed files, reloads the server, and validates the result.
     *
     * @throws EditRefusedException when the edit or the workspace refuses (nothing written)
     */
    public SaveResult save(UnaryOperator<AppModel> edit) throws IOException {
        Workspace.Saved saved = workspace.save(edit);
        if (!saved.changed().isEmpty()) {
            server.reload(saved.model());
        }
        return new SaveResult(saved.model(), saved.changed(), validate());
    }

    public ServerStatus startServer() {
        return server.start(workspace.model());
    }

    public ServerStatus stopServer() {
        return server.stop();
    }

    public ServerStatus restartServer() {
        return server.restart(workspace.model());
    }

    /**
     * Stores a secret's value in the local secret store (never in the bundle), lets the running
     * server's logs mask it from now on, and validates again (a value that was missing no longer is).
     *
     * @throws IllegalArgumentException for an empty value or a name the app does not declare
     */
    public Validation setSecret(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("The secret " + name + " needs a value; nothing was stored.");
        }
        if (!workspace.model().secretNames().contains(name)) {
            throw new IllegalArgumentException("The app declares no secret " + name + " (secrets.json); nothing was stored.");
        }
        workspace.secrets().set(name, value);
        server.running().ifPresent(host -> host.logs().setSecretValues(new java.util.HashSet<>(workspace.secrets().all().values())));
        return validate();
    }

    /** Serves the app on another database (a connection string, or embedded for blank); see {@link ServerControl#switchDatabase}. */
    public ServerStatus switchDatabase(String connectionString) {
        return server.switchDatabase(workspace.model(), connectionString);
    }

    public ServerStatus serverStatus() {
        return server.status();
    }

    /**
     * Subscribes {@code listener} to the running server's live log feed, replaying the records it
     * still holds in memory first; empty when the server is stopped. Batches arrive on a thread of
     * the feed's own.
     */
    public java.util.Optional<dev.thimble.runtime.logs.LogSubscription> subscribeLogs(
            java.util.function.Consumer<List<dev.thimble.runtime.logs.LogRecord>> listener) {
        return server.running().map(host -> host.logs().subscribe(listener, Integer.MAX_VALUE / 2));
    }

    /** The running host (tests of this layer look at it directly); empty when stopped. */
    java.util.Optional<dev.thimble.runtime.AppHost> runningHost() {
        return server.running();
    }

    /**
     * Up to {@code limit} stored log records that started before {@code before}, newest first (what
     * earlier runs of the server logged, too); empty when the server is stopped.
     */
    public List<dev.thimble.runtime.logs.LogRecord> olderLogs(java.time.Instant before, int limit) {
        return server.running().map(host -> host.logs().query(dev.thimble.runtime.logs.LogQuery.all()
                .withEndDate(before.minusMillis(1)).withLimit(limit)).records()).orElse(List.of());
    }

    /** Calls the app's functions as a chosen user, on whatever server runs at the time of the call. */
    public FunctionConsole console() {
        return new FunctionConsole(server::running);
    }

    /** The databases of whatever server runs at the time of the call. */
    public DataBrowser data() {
        return new DataBrowser(server::running);
    }

    public void export(Path target) throws IOException {
        workspace.export(target, WriteOptions.EXPORT);
    }

    /** Exports as a template: without the client app id's suffix, cluster names and environment values (see {@link WriteOptions}). */
    public void exportTemplate(Path target) throws IOException {
        workspace.export(target, WriteOptions.TEMPLATE);
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.close();
    }

    /**
     * A completed save.
     *
     * @param model    the app now on disk and served
     * @param changed  the bundle-relative files written or deleted; empty when nothing changed
     * @param validation the saved bundle's problems
     */
    public record SaveResult(AppModel model, List<String> changed, Validation validation) {
        public SaveResult {
            changed = List.copyOf(changed);
        }
    }

    /**
     * The problems of the bundle on disk.
     *
     * @param byItem            the problems grouped by the item whose editor shows them (problems in
     *                          files no editor shows are only in {@code problems})
     * @param secretsWithValues the secrets the local store has values for
     */
    public record Validation(List<Problem> problems, Map<EditableItem, List<Problem>> byItem, Set<String> secretsWithValues) {
        public Validation {
            problems = List.copyOf(problems);
            Map<EditableItem, List<Problem>> copy = new LinkedHashMap<>();
            byItem.forEach((item, list) -> copy.put(item, List.copyOf(list)));
            byItem = java.util.Collections.unmodifiableMap(copy);
            secretsWithValues = Set.copyOf(secretsWithValues);
        }

        /** The item whose editor shows {@code problem}, if any. */
        public java.util.Optional<EditableItem> itemOf(Problem problem) {
            return byItem.entrySet().stream().filter(e -> e.getValue().contains(problem)).map(Map.Entry::getKey).findFirst();
        }
    }
}
