package dev.thimble.workbench.server;

import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.ServerStatus;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The in-process server as the status bar and the Server menu see it: its state, where it serves,
 * the database it uses, and a notice or error to show. Start, stop and restart run off the UI thread;
 * while one runs, the state says so and the commands are disabled.
 */
public final class ServerViewModel {

    public enum State { STOPPED, STARTING, RUNNING, STOPPING }

    private final UiTasks tasks;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.STOPPED);
    private final ReadOnlyStringWrapper baseUrl = new ReadOnlyStringWrapper(this, "baseUrl", "");
    private final ReadOnlyStringWrapper clientApiUrl = new ReadOnlyStringWrapper(this, "clientApiUrl", "");
    private final ReadOnlyStringWrapper clientAppId = new ReadOnlyStringWrapper(this, "clientAppId", "");
    private final ReadOnlyStringWrapper database = new ReadOnlyStringWrapper(this, "database", "");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private AppSession session;

    public ServerViewModel(UiTasks tasks) {
        this.tasks = tasks;
    }

    /** Points the commands at a newly opened app (its server not started yet). */
    public void attach(AppSession newSession, String appId) {
        this.session = newSession;
        clientAppId.set(appId);
        apply(ServerStatus.stopped());
    }

    /** Forgets the app (after it was closed and its server stopped). */
    public void detach() {
        session = null;
        clientAppId.set("");
        apply(ServerStatus.stopped());
    }

    public CompletableFuture<ServerStatus> start() {
        return run(State.STARTING, AppSession::startServer);
    }

    public CompletableFuture<ServerStatus> stop() {
        return run(State.STOPPING, AppSession::stopServer);
    }

    /** Serves the app on another database: a connection string, or the embedded database for blank. */
    public CompletableFuture<ServerStatus> switchDatabase(String connectionString) {
        return run(State.STARTING, s -> s.switchDatabase(connectionString));
    }

    public CompletableFuture<ServerStatus> restart() {
        return run(State.STARTING, AppSession::restartServer);
    }

    private CompletableFuture<ServerStatus> run(State during, Function<AppSession, ServerStatus> command) {
        AppSession target = session;
        if (target == null || state.get() == State.STARTING || state.get() == State.STOPPING) {
            return CompletableFuture.completedFuture(null);
        }
        state.set(during);
        error.set("");
        return tasks.run(() -> command.apply(target), this::apply,
                failure -> apply(ServerStatus.failed(UiTasks.describe(failure))));
    }

    private void apply(ServerStatus status) {
        state.set(status.running() ? State.RUNNING : State.STOPPED);
        baseUrl.set(status.baseUrl());
        clientApiUrl.set(status.clientApiUrl());
        database.set(status.database());
        notice.set(status.notice());
        error.set(status.error());
    }

    public BooleanBinding canStartProperty() {
        return Bindings.createBooleanBinding(() -> state.get() == State.STOPPED && clientAppId.get() != null
                && !clientAppId.get().isEmpty(), state, clientAppId);
    }

    public BooleanBinding canStopProperty() {
        return state.isEqualTo(State.RUNNING);
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty baseUrlProperty() {
        return baseUrl.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty clientApiUrlProperty() {
        return clientApiUrl.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty clientAppIdProperty() {
        return clientAppId.getReadOnlyProperty();
    }

    /** The database in use ({@code Database.describe()}), "" when stopped. */
    public ReadOnlyStringProperty databaseProperty() {
        return database.getReadOnlyProperty();
    }

    /** E.g. that the preferred port was taken and another one is used. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** Why the server is not running when it was asked to, or "". */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }
}
