package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.WriteOptions;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogSubscription;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The workbench's session on one app: the app's {@link AppEditor} (every change to the app) and the
 * server that serves it in process ({@link ServerControl}: start, stop, restart, switch database).
 * A save writes the bundle, then hot-reloads the server with what is now on disk; the server keeps
 * answering throughout. No UI here: every method may block, and callers run it off the UI thread.
 */
public final class AppSession implements AutoCloseable {
    private final ServerControl server;
    private final AppEditor editor;

    private AppSession(Workspace workspace, ServerControl server) {
        this.server = server;
        this.editor = new AppEditor(workspace, server);
    }

    /** Reads the bundle (the server is not started; see {@link #startServer()}). */
    public static AppSession open(Path directory, ServerControl.ServerSettings settings) {
        return new AppSession(Workspace.open(directory), new ServerControl(settings).withBundleDirectory(directory));
    }

    /** Every edit of the app: content, structure (create, rename, duplicate, delete), secrets, users, logs. */
    public AppEditor editor() {
        return editor;
    }

    public Workspace workspace() {
        return editor.workspace();
    }

    public AppModel model() {
        return editor.model();
    }

    /** The host serving the app now, if the server runs (for the rule designer's live data). */
    public Optional<AppHost> host() {
        return server.host();
    }

    /** Validates the bundle as it is on disk (parses every function: call it off the UI thread). */
    public Validation validate() {
        return editor.validate();
    }

    /**
     * Applies an edit, writes the changed files, reloads the server, and validates the result.
     *
     * @throws EditRefusedException when the edit or the workspace refuses (nothing written)
     */
    public SaveResult save(UnaryOperator<AppModel> edit) throws IOException {
        return editor.save(edit);
    }

    public ServerStatus startServer() {
        return server.start(editor.model());
    }

    public ServerStatus stopServer() {
        return server.stop();
    }

    public ServerStatus restartServer() {
        return server.restart(editor.model());
    }

    /** See {@link AppEditor#setSecret}. */
    public Validation setSecret(String name, String value) {
        return editor.setSecret(name, value);
    }

    /** Serves the app on another database (a connection string, or embedded for blank); see {@link ServerControl#switchDatabase}. */
    public ServerStatus switchDatabase(String connectionString) {
        return server.switchDatabase(editor.model(), connectionString);
    }

    public ServerStatus serverStatus() {
        return server.status();
    }

    /**
     * Subscribes {@code listener} to the running server's live log feed, replaying the records it
     * still holds in memory first; empty when the server is stopped. Batches arrive on a thread of
     * the feed's own.
     */
    public Optional<LogSubscription> subscribeLogs(Consumer<List<LogRecord>> listener) {
        return editor.logs().subscribe(listener);
    }

    /** The running host (tests of this layer look at it directly); empty when stopped. */
    Optional<AppHost> runningHost() {
        return server.running();
    }

    /**
     * Up to {@code limit} stored log records that started before {@code before}, newest first (what
     * earlier runs of the server logged, too); empty when the server is stopped.
     */
    public List<LogRecord> olderLogs(Instant before, int limit) {
        return editor.logs().olderThan(before, limit);
    }

    /** Calls the app's functions as a chosen user, on whatever server runs at the time of the call. */
    public FunctionConsole console() {
        return editor.console();
    }

    /** The databases of whatever server runs at the time of the call. */
    public DataBrowser data() {
        return editor.data();
    }

    public void export(Path target) throws IOException {
        editor.export(target, WriteOptions.EXPORT);
    }

    /** Exports as a template: without the client app id's suffix, cluster names and environment values (see {@link WriteOptions}). */
    public void exportTemplate(Path target) throws IOException {
        editor.export(target, WriteOptions.TEMPLATE);
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.close();
    }
}
