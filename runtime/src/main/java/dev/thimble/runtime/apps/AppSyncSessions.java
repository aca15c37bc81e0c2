package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.sync.SyncSessions;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The running app's open Device Sync sessions (who, which client file, what subscriptions, how much
 * traffic) and a session's recent sync log records, with what a person should do when there is
 * nothing to show. For the workbench's Sync panel and the admin API. No UI; in-memory reads only.
 */
public final class AppSyncSessions {
    /** The log types of sync events (connection, session, client write, error, other). */
    public static final Set<LogType> SYNC_TYPES = EnumSet.of(LogType.SYNC_CONNECTION_START, LogType.SYNC_CONNECTION_END,
            LogType.SYNC_SESSION_START, LogType.SYNC_SESSION_END, LogType.SYNC_CLIENT_WRITE, LogType.SYNC_ERROR, LogType.SYNC_OTHER);
    /** How many of the newest in-memory log records a session's records are looked for in. */
    private static final int RECENT_WINDOW = 20_000;

    /** Why there may be no sessions to show. */
    public enum State {
        /** No server runs the app. */
        NOT_SERVED,
        /** The app's bundle does not turn on flexible sync. */
        SYNC_OFF,
        /** The bundle turns sync on, but the running server started without it (it was added while serving). */
        RESTART_NEEDED,
        /** Sync is running; the sessions may still be none. */
        RUNNING
    }

    /**
     * What the panel shows: the state, the open sessions (oldest first) and, when there are none, a
     * sentence saying why and what to do.
     *
     * @param version changes whenever a session opens, changes or closes (-1 when sync is not running)
     */
    public record Status(State state, List<SyncSessions.Session> sessions, long version, String explanation) {
        public Status {
            sessions = List.copyOf(sessions);
        }
    }

    private final Supplier<AppModel> model;
    private final Supplier<Optional<AppHost>> host;

    AppSyncSessions(Supplier<AppModel> model, Supplier<Optional<AppHost>> host) {
        this.model = model;
        this.host = host;
    }

    public Status status() {
        Optional<AppHost> running = host.get();
        if (running.isEmpty()) {
            return new Status(State.NOT_SERVED, List.of(), -1,
                    "The app is not being served: start the server (Server › Start) to let Realm clients sync.");
        }
        Optional<SyncSessions> sessions = running.get().syncSessions();
        if (sessions.isEmpty()) {
            return SyncSessions.enabledIn(model.get())
                    ? new Status(State.RESTART_NEEDED, List.of(), -1, "sync/config.json turns on flexible sync, but the server started"
                            + " before it did: restart the server (Server › Restart) to start Device Sync.")
                    : new Status(State.SYNC_OFF, List.of(), -1, "Device Sync is not enabled for this app. Add sync/config.json with"
                            + " \"type\": \"flexible\", \"database_name\" and \"queryable_fields_names\", give the synced collections' rules"
                            + " a schema whose \"title\" is the Realm class name, then restart the server.");
        }
        SyncSessions open = sessions.get();
        long version = open.version();
        List<SyncSessions.Session> list = open.snapshot();
        return new Status(State.RUNNING, list, version, list.isEmpty()
                ? "No Realm clients are connected. Point a Realm SDK app (flexible sync) at " + running.get().baseUrl()
                        + " with app id " + model.get().clientAppId() + "; its sessions show here as they open."
                : "");
    }

    /**
     * The newest sync log records of one session, newest first, at most {@code limit}: the records of its
     * user that name its client file, and its user's connection records (they name no file).
     */
    public List<LogRecord> recentRecords(SyncSessions.Session session, int limit) {
        Optional<AppHost> running = host.get();
        if (running.isEmpty()) {
            return List.of();
        }
        String file = "client file " + session.clientFileIdent();
        List<LogRecord> recent = running.get().logs().recent(RECENT_WINDOW);
        List<LogRecord> out = new ArrayList<>();
        for (int i = recent.size() - 1; i >= 0 && out.size() < limit; i--) {
            LogRecord r = recent.get(i);
            if (!SYNC_TYPES.contains(r.type()) || !session.userId().equals(r.userId())) {
                continue;
            }
            String text = String.join("\n", r.messages()) + (r.error() == null ? "" : "\n" + r.error());
            if (r.started().isBefore(session.connectedAt().minusSeconds(30)) && !mentions(text, file)) {
                continue; // an earlier session of the same user
            }
            if (mentions(text, file) || !text.contains("client file ")) {
                out.add(r);
            }
        }
        return out;
    }

    /** Whether {@code text} names exactly {@code file} ("client file 2", not "client file 23"). */
    private static boolean mentions(String text, String file) {
        int at = text.indexOf(file);
        while (at >= 0) {
            int end = at + file.length();
            if (end == text.length() || !Character.isDigit(text.charAt(end))) {
                return true;
            }
            at = text.indexOf(file, end);
        }
        return false;
    }
}
