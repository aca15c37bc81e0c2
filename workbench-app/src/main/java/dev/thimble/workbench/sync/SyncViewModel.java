package dev.thimble.workbench.sync;

import dev.thimble.runtime.apps.AppSyncSessions;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.sync.SyncSessions;
import dev.thimble.workbench.concurrent.UiTasks;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Sync panel: the running app's open Device Sync sessions (user, client file, subscriptions,
 * traffic), the selected one's subscriptions per class and its recent sync log records, and what to do
 * when there is nothing to show. Polled: {@link #tick()} once a second while the panel exists; the
 * snapshot is read off the UI thread and handed back to it. UI thread only.
 */
public final class SyncViewModel {
    /** How many log records the detail lists. */
    public static final int RECORDS = 40;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final UiTasks tasks;
    private final Supplier<Optional<AppSyncSessions>> source;
    private final ObservableList<SyncSessions.Session> sessions = FXCollections.observableArrayList();
    private final ObservableList<String> records = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<SyncSessions.Session> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "Open an app to see its Device Sync sessions.");
    private final ReadOnlyStringWrapper detailTitle = new ReadOnlyStringWrapper(this, "detailTitle", "");
    private final ReadOnlyStringWrapper subscriptions = new ReadOnlyStringWrapper(this, "subscriptions", "");
    private boolean active;
    private boolean showing = true;
    private boolean refreshing;
    private String selectedId;
    private AppSyncSessions.State shownState;
    private long shownVersion = Long.MIN_VALUE;

    /**
     * A panel that reads on a thread of its own ({@code thimble-sync-panel}, a daemon): its once-a-second
     * poll never queues behind, or delays, a console call or a data-browser query.
     *
     * @param ui where the results are shown (the workbench's UI thread)
     */
    public static SyncViewModel withOwnThread(UiTasks ui, Supplier<Optional<AppSyncSessions>> source) {
        java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "thimble-sync-panel");
            t.setDaemon(true);
            return t;
        });
        return new SyncViewModel(new UiTasks(reader, ui.ui()), source);
    }

    /** @param source the open app's sessions service, empty while no app is open */
    public SyncViewModel(UiTasks tasks, Supplier<Optional<AppSyncSessions>> source) {
        this.tasks = tasks;
        this.source = source;
    }

    /** The panel exists: from now on {@link #tick()} refreshes (a panel never opened costs nothing). */
    public void activate() {
        active = true;
        refresh();
    }

    /** Whether the panel is in front (its dock tab selected): a panel out of sight is not polled. */
    public void showing(boolean inFront) {
        showing = inFront;
        if (inFront && active) {
            refresh();
        }
    }

    /** Called once a second: refreshes while the panel exists and is in front. */
    public void tick() {
        if (active && showing) {
            refresh();
        }
    }

    /** Reads the sessions (and the selected one's records) in the background and shows them; one read at a time. */
    public CompletableFuture<Void> refresh() {
        if (refreshing) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<AppSyncSessions> open = source.get();
        if (open.isEmpty()) {
            show(new Fetched(new AppSyncSessions.Status(AppSyncSessions.State.NOT_SERVED, List.of(), -1,
                    "Open an app to see its Device Sync sessions."), null, List.of()));
            return CompletableFuture.completedFuture(null);
        }
        refreshing = true;
        String wanted = selectedId;
        return tasks.run(() -> {
                    AppSyncSessions.Status status = open.get().status();
                    SyncSessions.Session chosen = status.sessions().stream().filter(s -> s.id().equals(wanted)).findFirst().orElse(null);
                    return new Fetched(status, wanted, chosen == null ? List.of() : open.get().recentRecords(chosen, RECORDS));
                }, this::show, failure -> summary.set(UiTasks.describe(failure)))
                .handle((done, failure) -> {
                    refreshing = false; // set on the UI thread: handle runs where the future completed
                    return null;
                });
    }

    /** A read: the status, and the records of the session {@code recordsOf} (the one selected when the read began). */
    private record Fetched(AppSyncSessions.Status status, String recordsOf, List<LogRecord> records) {
    }

    private void show(Fetched fetched) {
        AppSyncSessions.Status status = fetched.status();
        if (status.state() != shownState || status.version() != shownVersion) {
            shownState = status.state();
            shownVersion = status.version();
            sessions.setAll(status.sessions());
        }
        emptyText.set(status.explanation());
        summary.set(summaryOf(status));
        SyncSessions.Session chosen = sessions.stream().filter(s -> s.id().equals(selectedId)).findFirst().orElse(null);
        selected.set(chosen);
        if (chosen == null) {
            detailTitle.set(sessions.isEmpty() ? "A session's subscriptions and log records show here once a client connects."
                    : "Select a session to see its subscriptions and log records.");
            subscriptions.set("");
            records.clear();
            return;
        }
        detailTitle.set(chosen.userName() + " (" + chosen.userId() + ") \u2014 client file " + chosen.clientFileIdent()
                + ", query version " + chosen.queryVersion() + ", protocol " + chosen.protocolVersion() + (chosen.remoteAddress() == null ? "" : ", from " + chosen.remoteAddress())
                + (chosen.lastError() == null ? "" : "\nLast error " + chosen.lastError().code() + " at " + TIME.format(chosen.lastError().at())
                        + ": " + chosen.lastError().message()));
        subscriptions.set(subscriptionsText(chosen));
        List<String> lines = fetched.records().stream().map(SyncViewModel::recordLine).toList();
        if (chosen.id().equals(fetched.recordsOf()) && !lines.equals(records)) {
            records.setAll(lines);
        }
    }

    /** Chooses the session whose details show (null: none). */
    public void select(SyncSessions.Session session) {
        String id = session == null ? null : session.id();
        if (java.util.Objects.equals(id, selectedId)) {
            return;
        }
        selectedId = id;
        selected.set(session);
        records.clear();
        subscriptions.set(session == null ? "" : subscriptionsText(session));
        refresh();
    }

    static String summaryOf(AppSyncSessions.Status status) {
        return switch (status.state()) {
            case NOT_SERVED -> "Not served";
            case SYNC_OFF -> "Device Sync is not enabled for this app";
            case RESTART_NEEDED -> "Restart the server to start Device Sync";
            case RUNNING -> {
                int n = status.sessions().size();
                long subs = status.sessions().stream().mapToLong(s -> s.subscriptions().size()).sum();
                yield n == 0 ? "No clients connected" : n + (n == 1 ? " session open" : " sessions open") + ", " + subs
                        + (subs == 1 ? " class subscribed" : " classes subscribed");
            }
        };
    }

    /** Per class, its query ("Item: owner_id == ..."), one class a line. */
    static String subscriptionsText(SyncSessions.Session s) {
        if (s.subscriptions().isEmpty()) {
            return s.clientFileIdent() == 0 ? "The client has not identified its file yet." : "No subscriptions (query version " + s.queryVersion() + ").";
        }
        StringBuilder out = new StringBuilder();
        s.subscriptions().forEach((table, query) -> out.append(out.isEmpty() ? "" : "\n").append(table).append(": ").append(query));
        return out.toString();
    }

    /** The table's summary of a session's subscriptions: "Item: owner_id == …; Note: TRUEPREDICATE". */
    public static String subscriptionsSummary(SyncSessions.Session s) {
        if (s.subscriptions().isEmpty()) {
            return "\u2014";
        }
        StringBuilder out = new StringBuilder();
        s.subscriptions().forEach((table, query) -> out.append(out.isEmpty() ? "" : "; ").append(table).append(": ").append(query));
        return out.toString();
    }

    /** A time as the table shows it: the time of day when it is {@code now}'s day, else date and time; a dash for never. */
    public static String when(Instant t, Instant now) {
        if (t == null) {
            return "\u2014";
        }
        boolean today = t.atZone(ZoneId.systemDefault()).toLocalDate().equals(now.atZone(ZoneId.systemDefault()).toLocalDate());
        return today ? TIME.format(t) : DATE_TIME.format(t);
    }

    static String recordLine(LogRecord r) {
        String type = r.type().name().toLowerCase(java.util.Locale.ROOT).replace("sync_", "").replace('_', ' ');
        String text = r.error() != null ? r.error() : r.messages().isEmpty() ? "" : String.join(" \u00b7 ", r.messages());
        return TIME.format(r.started()) + "  " + type + "  " + text;
    }

    public ObservableList<SyncSessions.Session> sessions() {
        return sessions;
    }

    /** The selected session's recent sync log records, newest first, one line each. */
    public ObservableList<String> records() {
        return records;
    }

    public ReadOnlyObjectProperty<SyncSessions.Session> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** What the empty table says: why there are no sessions and what to do. */
    public ReadOnlyStringProperty emptyTextProperty() {
        return emptyText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty detailTitleProperty() {
        return detailTitle.getReadOnlyProperty();
    }

    /** The selected session's subscription queries per class. */
    public ReadOnlyStringProperty subscriptionsProperty() {
        return subscriptions.getReadOnlyProperty();
    }
}
