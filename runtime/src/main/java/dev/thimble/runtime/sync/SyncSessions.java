package dev.thimble.runtime.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.auth.User;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open sync sessions of one app, for people to look at (the workbench's Sync panel, the admin
 * API): who is connected, with which client file, subscribed to what, and how much went up and down.
 * The protocol code ({@link SyncConnection}, {@link SyncService}) records each event here with one
 * call; readers get immutable {@link Session} snapshots. Thread-safe: every session's connection
 * thread writes, any thread reads. Nothing here is persisted: a closed session is forgotten (its
 * history is in the app's log records).
 */
public final class SyncSessions {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One open session as it was at the snapshot.
     *
     * @param id              this server's id of the session, unique while the server runs
     * @param userName        the user's name or email when their profile has one, else the provider type
     * @param protocolVersion the sync protocol version the WebSocket negotiated (14)
     * @param clientFileIdent the Realm file's identity on this server; 0 until the client sent {@code ident}
     * @param subscriptions   per class, the subscription query (RQL, the client's subscriptions joined with OR)
     * @param uploads         changesets the session's client file uploaded and the server integrated (this and the
     *                        traffic counts below are per client file while the server runs: a reconnect goes on counting)
     * @param downloads       download messages that carried changesets to the client
     * @param downloadedChangesets the changesets those downloads carried
     * @param lastError       the last error the server reported to this session, or null
     */
    public record Session(String id, String userId, String userName, String remoteAddress, int protocolVersion,
                          long clientFileIdent, Instant connectedAt, long queryVersion, Map<String, String> subscriptions,
                          long uploads, Instant lastUploadAt, long downloads, long downloadedChangesets, Instant lastDownloadAt,
                          Error lastError) {
        public Session {
            subscriptions = Collections.unmodifiableMap(new LinkedHashMap<>(subscriptions));
        }

        /** The latest of connecting, uploading, downloading and failing. */
        public Instant lastActivity() {
            Instant last = connectedAt;
            for (Instant t : new Instant[]{lastUploadAt, lastDownloadAt, lastError == null ? null : lastError.at()}) {
                if (t != null && t.isAfter(last)) {
                    last = t;
                }
            }
            return last;
        }
    }

    /** An error the server sent a session: the protocol's code (226 query error, 231 compensating write, …) and message. */
    public record Error(int code, String message, Instant at) {
    }

    private final Clock clock;
    private final Map<Object, Entry> open = new ConcurrentHashMap<>();
    /** Traffic per client file while the server runs: a reconnecting client's session goes on counting where it stopped. */
    private final Map<Long, Traffic> perFile = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();

    SyncSessions(Clock clock) {
        this.clock = clock;
    }

    /** The open sessions, oldest first. */
    public List<Session> snapshot() {
        return open.values().stream().map(Entry::snapshot)
                .sorted(Comparator.comparing(Session::connectedAt).thenComparing(s -> Long.parseLong(s.id())))
                .toList();
    }

    /** A number that changes whenever a session opens, changes or closes (readers can skip an unchanged snapshot). */
    public long version() {
        return changes.get();
    }

    /** Whether {@code app}'s bundle turns on flexible sync ({@code sync/config.json}, type flexible, not disabled). */
    public static boolean enabledIn(dev.thimble.runtime.app.AppModel app) {
        return SyncSchema.of(app).isPresent();
    }

    // ---- what the protocol code records; {@code key} is its own session object ------------------

    void opened(Object key, AuthService.Authenticated user, String subprotocol, String remoteAddress) {
        open.put(key, new Entry(Long.toString(ids.incrementAndGet()), user.user().id(), nameOf(user.user()), remoteAddress,
                protocolVersion(subprotocol), clock.instant()));
        changes.incrementAndGet();
    }

    void identified(Object key, long clientFileIdent) {
        Traffic file = perFile.computeIfAbsent(clientFileIdent, k -> new Traffic());
        update(key, e -> {
            e.clientFileIdent = clientFileIdent;
            file.add(e.traffic); // what the session counted before it named its file (nothing, in practice)
            e.traffic = file;
        });
    }

    /** The session's query changed to {@code queryJson} ({@code {"Class": "RQL", …}}, as the client sent it). */
    void subscribed(Object key, long queryVersion, String queryJson) {
        Map<String, String> perClass = subscriptionsOf(queryJson);
        update(key, e -> {
            e.queryVersion = queryVersion;
            e.subscriptions = perClass;
        });
    }

    void uploaded(Object key) {
        Instant now = clock.instant();
        update(key, e -> e.traffic.uploaded(now));
    }

    /** A download message with {@code changesets} changesets was sent (none: an acknowledgement, not counted). */
    void downloaded(Object key, int changesets) {
        if (changesets <= 0) {
            return;
        }
        Instant now = clock.instant();
        update(key, e -> e.traffic.downloaded(changesets, now));
    }

    void failed(Object key, int code, String message) {
        Error error = new Error(code, message, clock.instant());
        update(key, e -> e.lastError = error);
    }

    void closed(Object key) {
        if (open.remove(key) != null) {
            changes.incrementAndGet();
        }
    }

    private void update(Object key, java.util.function.Consumer<Entry> change) {
        Entry e = open.get(key);
        if (e != null) {
            synchronized (e) {
                change.accept(e);
            }
            changes.incrementAndGet();
        }
    }

    /** The per-class queries of a query message's JSON; a body that is not an object of strings shows as it came. */
    static Map<String, String> subscriptionsOf(String queryJson) {
        Map<String, String> out = new LinkedHashMap<>();
        if (queryJson == null || queryJson.isBlank()) {
            return out;
        }
        try {
            JsonNode json = JSON.readTree(queryJson);
            if (!json.isObject()) {
                out.put("?", queryJson);
                return out;
            }
            json.properties().forEach(f -> out.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
        } catch (java.io.IOException | RuntimeException e) {
            out.put("?", queryJson);
        }
        return out;
    }

    /** {@code com.mongodb.realm-query-sync#14} → 14; 0 when there is no number. */
    static int protocolVersion(String subprotocol) {
        if (subprotocol == null || subprotocol.indexOf('#') < 0) {
            return 0;
        }
        try {
            return Integer.parseInt(subprotocol.substring(subprotocol.lastIndexOf('#') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** What people call the user: the profile's name or email, else the login provider's type (e.g. anon-user). */
    static String nameOf(User user) {
        if (user.data() != null) {
            for (String field : List.of("name", "email")) {
                Object value = user.data().get(field);
                if (value instanceof String s && !s.isBlank()) {
                    return s;
                }
            }
        }
        if (user.identities() != null && !user.identities().isEmpty()) {
            return user.identities().getFirst().providerType();
        }
        return user.type();
    }

    /** One session's mutable state, changed under its own lock. */
    private static final class Entry {
        final String id;
        final String userId;
        final String userName;
        final String remoteAddress;
        final int protocolVersion;
        final Instant connectedAt;
        long clientFileIdent;
        long queryVersion;
        Map<String, String> subscriptions = Map.of();
        /** The session's own counts until it identifies its client file, then the file's. */
        Traffic traffic = new Traffic();
        Error lastError;

        Entry(String id, String userId, String userName, String remoteAddress, int protocolVersion, Instant connectedAt) {
            this.id = id;
            this.userId = userId;
            this.userName = userName;
            this.remoteAddress = remoteAddress;
            this.protocolVersion = protocolVersion;
            this.connectedAt = connectedAt;
        }

        synchronized Session snapshot() {
            Traffic t = traffic.copy();
            return new Session(id, userId, userName, remoteAddress, protocolVersion, clientFileIdent, connectedAt, queryVersion,
                    subscriptions, t.uploads, t.lastUploadAt, t.downloads, t.downloadedChangesets, t.lastDownloadAt, lastError);
        }
    }

    /** Upload and download counts, shared by the sessions of one client file (one at a time, usually). */
    private static final class Traffic {
        long uploads;
        Instant lastUploadAt;
        long downloads;
        long downloadedChangesets;
        Instant lastDownloadAt;

        synchronized void uploaded(Instant at) {
            uploads++;
            lastUploadAt = at;
        }

        synchronized void downloaded(int changesets, Instant at) {
            downloads++;
            downloadedChangesets += changesets;
            lastDownloadAt = at;
        }

        synchronized void add(Traffic other) {
            Traffic o = other.copy();
            uploads += o.uploads;
            downloads += o.downloads;
            downloadedChangesets += o.downloadedChangesets;
            lastUploadAt = later(lastUploadAt, o.lastUploadAt);
            lastDownloadAt = later(lastDownloadAt, o.lastDownloadAt);
        }

        synchronized Traffic copy() {
            Traffic t = new Traffic();
            t.uploads = uploads;
            t.lastUploadAt = lastUploadAt;
            t.downloads = downloads;
            t.downloadedChangesets = downloadedChangesets;
            t.lastDownloadAt = lastDownloadAt;
            return t;
        }

        private static Instant later(Instant a, Instant b) {
            return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
        }
    }
}
