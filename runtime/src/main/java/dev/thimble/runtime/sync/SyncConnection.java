package dev.thimble.runtime.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.rules.RuleContext;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Pooled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One sync client's WebSocket: parses its messages (bind, ident, query, upload, mark, unbind, ping,
 * json_error) and answers (ident, download, mark, unbound, pong, query_error, json_error) in order,
 * on one thread per connection, so downloads, acknowledgements and marks never overtake each other.
 */
final class SyncConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SyncConnection.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Download batch states (realm-core {@code DownloadBatchState}). */
    private static final int LAST_IN_BATCH = 1, STEADY_STATE = 2;

    private final SyncService service;
    private final AuthService.Authenticated user;
    private final WebSocketChannel channel;
    private final ExecutorService thread;
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** The session user as the app's rules see it (as for a client call), fixed for the connection. */
    private final RuleContext ruleContext;

    /** Tests only: told (with true) when a session holds a download back until the changes below it reach it. */
    static volatile java.util.function.Consumer<Boolean> downloadParkedForTests;

    /** Tests only: what runs on a session's thread before an upload message's changesets are integrated. */
    interface UploadHook {
        void before(SyncService service, long fileIdent, List<SyncService.ParsedUpload> batch);
    }

    /**
     * Tests only: runs before an upload is integrated (outside the service's lock), so a test can have
     * another client's changeset integrated first, e.g. one with the same origin timestamp.
     */
    static volatile UploadHook beforeUploadForTests;

    /**
     * Tests only: asked before a query change's bootstrap is sent; true drops the connection instead, as if it broke
     * while the bootstrap was on its way (the server records the bootstrap as sent; the client never integrates it).
     */
    static volatile java.util.function.BooleanSupplier dropQueryBootstrapForTests;

    /**
     * Tests only: asked before a query change's bootstrap is sent (after {@link #dropQueryBootstrapForTests}); true
     * withholds it and keeps the connection, as if it were still on its way (the server records it as sent).
     */
    static volatile java.util.function.BooleanSupplier withholdQueryBootstrapForTests;

    SyncConnection(SyncService service, AuthService.Authenticated user, WebSocketChannel channel) {
        this.service = service;
        this.user = user;
        this.ruleContext = service.rules().contextFor(user);
        this.channel = channel;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sync-" + user.user().id());
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                try (Pooled<ByteBuffer[]> data = message.getData()) {
                    byte[] frame = bytes(data.getResource());
                    thread.execute(() -> receive(frame));
                }
            }

            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                byte[] frame = message.getData().getBytes(StandardCharsets.UTF_8);
                thread.execute(() -> receive(frame));
            }

            @Override
            protected void onCloseMessage(io.undertow.websockets.core.CloseMessage cm, WebSocketChannel ch) {
                shutdown();
            }
        });
        channel.addCloseTask(ch -> shutdown());
        channel.resumeReceives();
        LOG.info("Sync: user {} connected", user.user().id());
        service.log().connectionStarted(user.user().id(), remoteAddress());
    }

    private void shutdown() {
        if (closed.getAndSet(true)) {
            return;
        }
        sessions.values().forEach(s -> {
            service.closed(s);
            service.log().sessionEnded(user.user().id(), s.fileIdent());
        });
        sessions.clear();
        thread.shutdown();
        service.log().connectionEnded(user.user().id(), remoteAddress());
    }

    private String remoteAddress() {
        var address = channel.getSourceAddress();
        return address == null ? null : address.getAddress().getHostAddress();
    }

    private static byte[] bytes(ByteBuffer[] buffers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : buffers) {
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    private void receive(byte[] frame) {
        try {
            SyncMessage m = SyncMessage.parse(frame);
            switch (m.type()) {
                case "bind" -> bind(m);
                case "ident" -> session(m).ident(m);
                case "query" -> session(m).query(m);
                case "upload" -> session(m).upload(m);
                case "mark" -> {
                    Session s = sessions.get(m.number(0));
                    if (s != null) {
                        s.mark(m.number(1));
                    } else {
                        send("mark " + m.number(0) + " " + m.number(1), new byte[0]);
                    }
                }
                case "ping" -> send("pong " + m.number(0), new byte[0]);
                case "unbind" -> unbind(m);
                case "json_error" -> {
                    LOG.warn("Sync: client of user {} reported error {}: {}", user.user().id(), m.number(0), m.bodyText(0, m.number(1)));
                    service.log().error(user.user().id(), (int) m.number(0), "The client reported: " + m.bodyText(0, m.number(1)));
                }
                default -> throw new SyncMessage.ProtocolException(102, "Unknown message type '" + m.type() + "'");
            }
        } catch (SyncMessage.ProtocolException e) {
            LOG.warn("Sync: protocol error {} from user {}: {}", e.code, user.user().id(), e.getMessage());
            sendError(e.code, e.getMessage(), 0, false, "ProtocolViolation");
            close();
        } catch (RuntimeException e) {
            LOG.error("Sync: failed on a message from user {}", user.user().id(), e);
            sendError(201, "Internal server error: " + e.getMessage(), 0, true, "Transient");
            close();
        }
    }

    private Session session(SyncMessage m) {
        Session s = sessions.get(m.number(0));
        if (s == null) {
            throw new SyncMessage.ProtocolException(106, "Bad session identifier " + m.number(0) + " in " + m.type() + " message");
        }
        return s;
    }

    private void bind(SyncMessage m) {
        long ident = m.number(0);
        long jsonSize = m.number(1);
        boolean needFileIdent = m.number(3) != 0;
        if (sessions.containsKey(ident)) {
            throw new SyncMessage.ProtocolException(107, "Overlapping reuse of session identifier " + ident);
        }
        if (m.number(4) != 0) {
            throw new SyncMessage.ProtocolException(114, "Subservers are not supported");
        }
        m.bodyText(0, jsonSize); // schemaVersion and sessionReason: one schema version in this slice
        Session s = new Session(ident);
        sessions.put(ident, s);
        service.opened(s);
        service.syncSessions().opened(s, user, channel.getSubProtocol(), remoteAddress());
        if (needFileIdent) {
            long[] file = service.clientFiles().newClientFile(user.user().id());
            send("ident " + ident + " " + file[0] + " " + file[1], new byte[0]);
        }
    }

    private void unbind(SyncMessage m) {
        Session s = sessions.remove(m.number(0));
        LOG.info("Sync: user {} unbound session {}", user.user().id(), m.number(0));
        if (s != null) {
            s.unbound = true; // changes queued for it are not sent: after "unbound" the client fails on a message for the old session
            service.closed(s);
            service.log().sessionEnded(user.user().id(), s.fileIdent());
        }
        send("unbound " + m.number(0), new byte[0]);
    }

    private void send(String header, byte[] body) {
        try {
            WebSockets.sendBinaryBlocking(ByteBuffer.wrap(SyncMessage.frame(header, body)), channel);
        } catch (IOException e) {
            LOG.debug("Sync: could not send to user {}: {}", user.user().id(), e.toString());
            close();
        }
    }

    private void sendError(int code, String message, long sessionIdent, boolean tryAgain, String action) {
        service.log().error(user.user().id(), code, message);
        sessions.values().stream().filter(s -> sessionIdent == 0 || s.ident == sessionIdent).forEach(s -> service.syncSessions().failed(s, code, message));
        byte[] body = JsonErrors.body(message, tryAgain, action).toString().getBytes(StandardCharsets.UTF_8);
        send("json_error " + code + " " + body.length + " " + sessionIdent, body);
    }

    private void close() {
        try {
            channel.sendClose();
        } catch (IOException e) {
            LOG.debug("Sync: close failed: {}", e.toString());
        }
    }

    /** One bound Realm file on this connection. */
    final class Session {
        private final long ident;
        private long fileIdent;
        private long queryVersion;
        private volatile Map<String, Rql.Query> queries = Map.of();
        /** The subscription query JSON of {@link #queries}, remembered with each bootstrap. */
        private String queryJson = "";
        /** Per class: what the rules let this user read under the subscription. */
        private volatile Map<String, SyncAccess.ClassView> views = Map.of();
        private long lastIntegratedClientVersion;
        private long lastUploadServerVersion;
        private long lastSentServerVersion;
        /**
         * The last integrated client version the client already knows (from its ident, then from each
         * download): a changeset header may not name a lower one (realm-core checks it is weakly increasing).
         */
        private long clientKnowsIntegrated;
        /**
         * List element edits this session's client already holds, as a whole state or a catch-up included
         * them: up to {@code opFloor} for every list, and per object list field ({@code listStateAt}) when an
         * object's whole state was sent later. Such edits are not sent again (they are not idempotent).
         * Session thread only.
         */
        private long opFloor;
        private final Map<String, Long> listStateAt = new java.util.HashMap<>();
        /**
         * Per object counter field, the newest server version of a set of it this client was sent (default {@link #opFloor});
         * its increments count in {@link #listStateAt} (decision record "sync counters"). Session thread only.
         */
        private final Map<String, Long> counterSetAt = new java.util.HashMap<>();
        /**
         * Whether this session has sent its client the view of the client file's recorded query (a bootstrap or a
         * catch-up): only then does a query change send just the objects entering the view. Session thread only.
         */
        private boolean viewSent;
        /** The server version through which this session's last bootstrap or catch-up read every object of its view. */
        private long viewReadAt;
        /** Server versions of the changes this session processed above {@link #deliveredThrough}. Session thread only. */
        private final java.util.NavigableSet<Long> processedAbove = new java.util.TreeSet<>();
        /**
         * Objects (table/key/) a query change left out of its bootstrap because a change of them was still on its way to
         * this session: the client holds them as the view before the change says of that change's previous state. Session
         * thread only; see {@link #bootstrap}.
         */
        private final Map<String, HeldBefore> heldBefore = new LinkedHashMap<>();
        /** Set (on the connection's thread) when the client unbinds: live changes still queued for the session are dropped. */
        private volatile boolean unbound;

        Session(long ident) {
            this.ident = ident;
        }

        long fileIdent() {
            return fileIdent;
        }

        void ident(SyncMessage m) {
            fileIdent = m.number(1);
            service.syncSessions().identified(this, fileIdent);
            long salt = m.number(2);
            org.bson.Document file = service.clientFiles().clientFile(fileIdent);
            if (file == null || file.get("salt", Number.class).longValue() != salt) {
                sendError(208, "Bad client file identifier: this server did not issue file " + fileIdent
                        + " (was the server's state database reset?)", ident, false, "ClientReset");
                return;
            }
            lastIntegratedClientVersion = file.get("last_integrated_client_version", Number.class).longValue();
            lastUploadServerVersion = file.get("last_server_version", Number.class).longValue();
            long scanServerVersion = m.number(3);
            clientKnowsIntegrated = Math.min(m.number(4), lastIntegratedClientVersion);
            transmittedIntegrated = clientKnowsIntegrated;
            opFloor = Math.max(opFloor, m.number(3));
            if (scanServerVersion > service.currentServerVersion()) {
                sendError(209, "Bad server version: the client has server version " + scanServerVersion
                        + ", but this server's history ends at " + service.currentServerVersion()
                        + " (was the server's state database restored from an older copy?)", ident, false, "ClientReset");
                return;
            }
            long compacted = service.history().compactedThrough();
            if (scanServerVersion > 0 && scanServerVersion < compacted) {
                service.log().error(user.user().id(), 222, "Client file " + fileIdent + " expired: it last synced server version "
                        + scanServerVersion + ", and the history before " + compacted + " was compacted");
                sendError(222, "Client file has expired: it last synced server version " + scanServerVersion
                        + ", older than this server's history (compacted through " + compacted + ")", ident, false, "ClientReset");
                return;
            }
            if (scanServerVersion > 0 && service.listEdits().tooFarBehind(file)) {
                service.log().error(user.user().id(), 222, "Client file " + fileIdent + " expired: its unsynced list edits may be based on"
                        + " server versions whose list edits were compacted (through " + service.listEdits().compactedThrough() + ")");
                sendError(222, "Client file has expired: it was away longer than this server keeps the list edits its unsynced changes"
                        + " would be merged with (compacted through server version " + service.listEdits().compactedThrough() + ")", ident, false,
                        "ClientReset");
                return;
            }
            lastSentServerVersion = scanServerVersion;
            long version = m.number(7);
            String query = m.bodyText(0, m.number(8));
            // The client holds the view of the query version it names as of its server version when it integrated that
            // version's bootstrap: the last one sent, or one a later query change replaced whose bootstrap was lost on its
            // way (decision records 0064, 0065). A catch-up under it serves; a whole bootstrap would clear its lists under
            // the edits it made after committing the newer subscriptions.
            QueryBootstraps.Bootstrap held = QueryBootstraps.held(file, version, scanServerVersion);
            if (held == null && scanServerVersion > 0) {
                service.log().error(user.user().id(), 222, "Client file " + fileIdent + " names query version " + version
                        + ", whose bootstrap this server no longer records");
                sendError(222, "Client file has expired: it names subscription set version " + version + " at server version "
                        + scanServerVersion + ", and this server records no bootstrap of that version it could hold (it keeps the "
                        + QueryBootstraps.KEPT + " last replaced ones)", ident, false, "ClientReset");
                return;
            }
            if (held != null && (!held.equals(QueryBootstraps.last(file)) || !QueryBootstraps.replaced(file).isEmpty())) {
                service.clientFiles().resumedBootstrap(fileIdent, held);
            }
            if (held != null && parseQuery(version, query)) {
                queryVersion = version;
                catchUp(scanServerVersion);
                service.log().sessionStarted(user.user().id(), fileIdent, version, query, "resumed from server version " + scanServerVersion);
            } else if (setQuery(version, query, false) >= 0) {
                service.log().sessionStarted(user.user().id(), fileIdent, version, query, "bootstrap");
            }
        }

        void query(SyncMessage m) {
            String query = m.bodyText(0, m.number(2));
            int objects = setQuery(m.number(1), query, viewSent);
            if (objects >= 0) {
                service.log().subscriptionChanged(user.user().id(), fileIdent, m.number(1), query, objects);
            }
        }

        /**
         * Makes the query this session's and bootstraps it; the objects sent, or -1 after a query error. {@code onlyEntering}:
         * the client holds the previous query's objects as this session sent them (see {@link #bootstrap}).
         */
        private int setQuery(long version, String queryJson, boolean onlyEntering) {
            Map<String, Rql.Query> heldQueries = queries;
            Map<String, SyncAccess.ClassView> heldViews = views;
            if (parseQuery(version, queryJson)) {
                queryVersion = version;
                return bootstrap(onlyEntering, heldQueries, heldViews);
            }
            return -1;
        }

        /** Parses a subscription query and makes it (and the rules' view of it) this session's; false after a query error. */
        private boolean parseQuery(long version, String queryJson) {
            Map<String, Rql.Query> parsed;
            try {
                parsed = SubscriptionQueries.parse(service.requireSchema(), queryJson, false);
            } catch (Rql.QueryException e) {
                byte[] body = e.getMessage().getBytes(StandardCharsets.UTF_8);
                LOG.info("Sync: query version {} of user {} refused: {}", version, user.user().id(), e.getMessage());
                service.log().error(user.user().id(), 226, "Query version " + version + " refused: " + e.getMessage());
                service.syncSessions().failed(this, 226, "Query version " + version + " refused: " + e.getMessage());
                send("query_error 226 " + body.length + " " + ident + " " + version, body);
                return false;
            } catch (IOException e) {
                throw new SyncMessage.ProtocolException(103, "The subscription query is not JSON: " + e.getMessage());
            }
            Map<String, SyncAccess.ClassView> parsedViews = new LinkedHashMap<>();
            parsed.forEach((table, q) -> parsedViews.put(table, service.view(table, q, ruleContext)));
            queries = parsed;
            views = parsedViews;
            this.queryJson = queryJson;
            service.syncSessions().subscribed(this, version, queryJson);
            return true;
        }

        /**
         * Sends the new query's objects at the current server version as the query's bootstrap, with an erase
         * of every object the previously bootstrapped query selects (now, under the rules) that the new one does
         * not, so objects leave the client with the view.
         *
         * <p>When the client holds the previous query's objects as this session sent them ({@code onlyEntering}:
         * a query change on a live session), only the objects entering the view are sent (decision record 0063).
         * The others stay with the live downloads: realm-core merges the bootstrap past the client's edits made
         * after it committed the change, and a whole list (Clear + elements) older than such an edit discards it
         * on that client alone. A bound session has been sent every change it sees up to what it was last sent,
         * and the later ones follow live under the new view, so the client's copies stay whole. Otherwise (a
         * client binding with a query version it holds no bootstrap of) every object goes.
         */
        private int bootstrap(boolean onlyEntering, Map<String, Rql.Query> heldQueries, Map<String, SyncAccess.ClassView> heldViews) {
            long version = Math.max(service.currentServerVersion(), lastSentServerVersion);
            List<SyncService.Download> changesets = new ArrayList<>();
            int[] objects = {0};
            Map<String, Set<String>> inView = new LinkedHashMap<>();
            Map<String, List<BsonDocument>> selected = new LinkedHashMap<>();
            Map<String, Map<String, BsonValue>> held = new LinkedHashMap<>();
            List<SyncService.HistoryObject> onTheirWay = new ArrayList<>();
            // Read with no upload in between, so the list edits the documents contain are exactly those up to the floor,
            // and an object is in both views or in one of them as one state of it says.
            long floor = service.atomically(() -> {
                views.forEach((table, view) -> {
                    List<BsonDocument> docs = service.matching(view);
                    selected.put(table, docs);
                    Set<String> keys = new java.util.HashSet<>();
                    docs.forEach(d -> keys.add(pkKey(d.get("_id"))));
                    inView.put(table, keys);
                });
                held.putAll(previousView());
                if (onlyEntering) {
                    onTheirWay.addAll(changesOnTheirWay());
                }
                return service.listEdits().maxVersion();
            });
            // An object whose change is still on its way: the client holds it as the old view says of the state before that
            // change, unknown here (the state read is after it). Left out; its change is judged by that when it comes.
            for (SyncService.HistoryObject o : onTheirWay) {
                if (!heldQueries.containsKey(o.table()) && !queries.containsKey(o.table())) {
                    continue; // a class neither view selects: nothing to judge
                }
                String key = o.table() + "/" + pkKey(o.pk()) + "/";
                // Left out by an earlier query change too: the client still holds it as that change's old view says.
                HeldBefore earlier = heldBefore.get(key);
                heldBefore.put(key, earlier != null ? new HeldBefore(o.table(), o.pk(), earlier.query(), earlier.view(), version)
                        : new HeldBefore(o.table(), o.pk(), heldQueries.get(o.table()), heldViews.get(o.table()), version));
                held.getOrDefault(o.table(), new java.util.HashMap<>()).remove(pkKey(o.pk()));
            }
            List<Instruction> leaving = new ArrayList<>();
            held.forEach((table, keys) -> keys.forEach((key, pk) -> {
                if (!inView.getOrDefault(table, Set.of()).contains(key)) {
                    leaving.add(new Instruction.EraseObject(table, pk));
                }
            }));
            if (!leaving.isEmpty()) {
                changesets.add(new SyncService.Download(service.syncTimestamp(), SyncService.SERVER_FILE_IDENT, Changesets.encode(leaving)));
            }
            if (!onlyEntering) {
                opFloor = Math.max(opFloor, floor);
            }
            selected.forEach((table, docs) -> {
                Map<String, BsonValue> heldHere = onlyEntering ? held.getOrDefault(table, Map.of()) : Map.of();
                List<BsonDocument> sent = docs.stream().filter(d -> !heldHere.containsKey(pkKey(d.get("_id")))
                        && !heldBefore.containsKey(table + "/" + pkKey(d.get("_id")) + "/")).toList();
                objects[0] += sent.size();
                if (onlyEntering) {
                    sent.forEach(d -> holdsEditsThrough(table, d.get("_id"), floor));
                }
                if (!sent.isEmpty()) {
                    changesets.addAll(service.objectDownloads().objectState(table, sent, null, fileIdent).changesets());
                }
            });
            if (changesets.isEmpty()) {
                changesets.add(emptyChangeset()); // a bootstrap without a changeset makes the client loop
            }
            lastSentServerVersion = version;
            java.util.function.BooleanSupplier drop = dropQueryBootstrapForTests;
            java.util.function.BooleanSupplier withhold = withholdQueryBootstrapForTests;
            if (onlyEntering && drop != null && drop.getAsBoolean()) {
                org.xnio.IoUtils.safeClose(channel);
            } else if (onlyEntering && withhold != null && withhold.getAsBoolean()) {
                LOG.info("Sync: test hook withheld the bootstrap of query version {} of file {}", queryVersion, fileIdent);
            } else {
                sendDownload(version, LAST_IN_BATCH, changesets);
            }
            service.clientFiles().recordBootstrap(fileIdent, queryVersion, version, queryJson);
            viewSent = true;
            viewReadAt = version;
            if (!leaving.isEmpty() || onlyEntering) {
                LOG.info("Sync: query version {} of file {}: {} objects entered the view, {} left it", queryVersion, fileIdent, objects[0],
                        leaving.size());
            }
            return objects[0];
        }

        /**
         * An object sent whole holds every element edit of its lists and increment of its counters up to {@code floor}:
         * their change events, still on their way, are not sent again (they are not idempotent).
         */
        private void holdsEditsThrough(String table, BsonValue id, long floor) {
            SyncSchema.SyncClass syncClass = service.syncClass(table);
            String objectKey = table + "/" + pkKey(id) + "/";
            syncClass.collections().keySet().stream().filter(f -> SyncService.opMergedList(syncClass, f))
                    .forEach(f -> listStateAt.merge(objectKey + f, floor, Math::max));
            syncClass.fieldTypes().keySet().stream().filter(f -> Counters.counterField(syncClass, f)).forEach(f -> {
                listStateAt.merge(objectKey + f, floor, Math::max);
                counterSetAt.merge(objectKey + f, floor, Math::max);
            });
        }

        /**
         * The objects changed (by others) after what this session has certainly been handed ({@link #deliveredThrough}, its
         * last bootstrap or catch-up) by changes this session has not processed yet: their change events are on their way.
         */
        private List<SyncService.HistoryObject> changesOnTheirWay() {
            long since = Math.max(deliveredThrough, viewReadAt);
            List<SyncService.HistoryObject> out = new ArrayList<>();
            if (since >= service.currentServerVersion()) {
                return out;
            }
            for (Map.Entry<Long, List<SyncService.HistoryObject>> e : service.history().changesByOthersAfter(since, fileIdent)) {
                if (!processedAbove.contains(e.getKey())) {
                    out.addAll(e.getValue());
                }
            }
            return out;
        }

        /**
         * Objects a query change left to a change on its way that never came to this session (a compensating write has
         * no change event), once every change up to the bootstrap was handed on: judged as the bootstrap judges the others
         * (held as the old view says of the current state), and sent whole or erased when that differs from the new view.
         */
        private void settleHeldBefore() {
            List<SyncService.Download> out = new ArrayList<>();
            List<Instruction> erases = new ArrayList<>();
            for (var it = heldBefore.values().iterator(); it.hasNext(); ) {
                HeldBefore h = it.next();
                if (h.bootstrapVersion() > deliveredThrough) {
                    continue;
                }
                it.remove();
                long[] floor = {0};
                BsonDocument now = service.atomically(() -> {
                    floor[0] = service.listEdits().maxVersion();
                    return service.document(h.table(), h.pk());
                });
                boolean holds = inView(h.query(), h.view(), now);
                boolean inNew = inView(queries.get(h.table()), views.get(h.table()), now);
                if (inNew && !holds) {
                    holdsEditsThrough(h.table(), now.get("_id"), floor[0]);
                    out.addAll(service.objectDownloads().objectState(h.table(), List.of(now), null, fileIdent).changesets());
                } else if (!inNew && holds) {
                    erases.add(new Instruction.EraseObject(h.table(), h.pk()));
                }
            }
            if (!erases.isEmpty()) {
                out.add(new SyncService.Download(service.syncTimestamp(), SyncService.SERVER_FILE_IDENT, Changesets.encode(erases)));
            }
            if (!out.isEmpty()) {
                long at = Math.max(lastSentServerVersion, out.stream().mapToLong(SyncService.Download::version).max().orElse(0));
                lastSentServerVersion = at;
                sendDownload(at, STEADY_STATE, out);
            }
        }

        /**
         * Per class, the objects (key → primary key) the client file's previously bootstrapped query selects now, under
         * the rules: what the client holds of its old view. Empty when there is none or it no longer parses.
         */
        private Map<String, Map<String, BsonValue>> previousView() {
            org.bson.Document file = service.clientFiles().clientFile(fileIdent);
            String previous = file == null ? null : file.getString("query");
            if (previous == null || previous.isBlank()) {
                return Map.of();
            }
            Map<String, Map<String, BsonValue>> held = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, Rql.Query> q : SubscriptionQueries.parse(service.requireSchema(), previous, true).entrySet()) {
                    Map<String, BsonValue> keys = held.computeIfAbsent(q.getKey(), t -> new LinkedHashMap<>());
                    for (BsonDocument doc : service.matching(service.view(q.getKey(), q.getValue(), ruleContext))) {
                        keys.put(pkKey(doc.get("_id")), Changesets.realmValue(doc.get("_id")));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The previous query no longer parses (schema or queryable fields changed): nothing to compare with.
                LOG.info("Sync: the previous query of file {} could not be evaluated ({}); no objects erased", fileIdent, e.getMessage());
                return Map.of();
            }
            return held;
        }

        private static String pkKey(BsonValue id) {
            return new BsonDocument("k", Changesets.realmValue(id)).toJson();
        }

        /**
         * Brings a reconnecting client up to date from server version {@code since} (the last it
         * integrated): the current state of every object others changed since, where this session may
         * see it, and an erase of every such object it may no longer see (deleted, moved out of the
         * subscription, or hidden by the rules). Sent stamped as written, so the client merges it with
         * the changes it made offline exactly as the server merges their upload.
         */
        private void catchUp(long since) {
            service.atomically(() -> {
                catchUpNow(since);
                viewSent = true;
                viewReadAt = lastSentServerVersion;
                opFloor = Math.max(opFloor, service.listEdits().maxVersion());
                return null;
            });
        }

        private void catchUpNow(long since) {
            long version = Math.max(service.currentServerVersion(), lastSentServerVersion);
            Map<String, Map<String, BsonValue>> changed = service.history().changedSince(since, fileIdent);
            Map<String, SyncHistory.FirstChange> first = changed.isEmpty() ? Map.of() : service.history().firstChangesSince(since);
            List<SyncService.Download> changesets = new ArrayList<>();
            List<Instruction> erases = new ArrayList<>();
            changed.forEach((table, pks) -> {
                Rql.Query q = queries.get(table);
                SyncAccess.ClassView view = views.get(table);
                if (q == null || view == null) {
                    return;
                }
                List<BsonDocument> visible = new ArrayList<>();
                List<BsonDocument> entered = new ArrayList<>();
                pks.forEach((key, pk) -> {
                    BsonDocument doc = service.document(table, pk);
                    if (doc != null && q.test(doc) && readable(view, doc)) {
                        // An object the client did not hold at its server version (its view did not select the state before
                        // the first change after it, made by another) entered the view while it was away: it goes whole,
                        // lists and counters included, which edits and increments since would not bring (decision record 0065).
                        SyncHistory.FirstChange firstChange = first.get(table + "/" + key);
                        boolean held = firstChange == null || !firstChange.known() || firstChange.origin() == fileIdent
                                || inView(q, view, firstChange.before());
                        (held ? visible : entered).add(doc);
                    } else {
                        erases.add(new Instruction.EraseObject(table, pk));
                    }
                });
                changesets.addAll(service.objectDownloads().stateForReturningClient(table, visible, fileIdent, since).changesets());
                if (!entered.isEmpty()) {
                    changesets.addAll(service.objectDownloads().objectState(table, entered, null, fileIdent).changesets());
                }
            });
            if (!erases.isEmpty()) {
                changesets.add(new SyncService.Download(service.syncTimestamp(), SyncService.SERVER_FILE_IDENT, Changesets.encode(erases)));
            }
            LOG.info("Sync: user {} resumed file {} at server version {}: {} changed objects, {} erased", user.user().id(),
                    fileIdent, since, changed.values().stream().mapToInt(Map::size).sum() - erases.size(), erases.size());
            // Element edits first, by the client versions they were merged past: a changeset's may not be lower than the one
            // before it (realm-core), so an edit after a state sent "at the latest" would claim uploads it was not merged past
            // (a client that resumes with an upload integrated but not acknowledged would apply it untransformed).
            changesets.sort(java.util.Comparator.comparingLong(
                    (SyncService.Download d) -> d.lastIntegratedClientVersion() >= 0 ? d.lastIntegratedClientVersion() : Long.MAX_VALUE));
            lastSentServerVersion = version;
            sendDownload(version, STEADY_STATE, changesets);
            service.log().download(user.user().id(), fileIdent, version, changesets.size(), "catch-up from server version " + since
                    + ": " + (changed.values().stream().mapToInt(Map::size).sum() - erases.size()) + " objects changed, " + erases.size() + " erased");
        }

        /** The view a client held before a query change, for one object a bootstrap left to its change on the way. */
        private record HeldBefore(String table, BsonValue pk, Rql.Query query, SyncAccess.ClassView view, long bootstrapVersion) {
        }

        /** Whether the client held an object as a view says of one state of it (no query: it held nothing of the class). */
        private boolean inView(Rql.Query q, SyncAccess.ClassView view, BsonDocument doc) {
            return doc != null && q != null && view != null && q.test(doc) && readable(view, doc);
        }

        private SyncService.Download emptyChangeset() {
            return new SyncService.Download(service.syncTimestamp(), SyncService.SERVER_FILE_IDENT, new byte[0]);
        }

        void upload(SyncMessage m) {
            // upload <session> <is_body_compressed> <uncompressed_size> <compressed_size> <progress client/server version> <locked>
            byte[] body = m.number(1) != 0 ? m.inflatedBody(m.number(2)) : m.body();
            long progressClientVersion = m.number(4);
            List<SyncService.ParsedUpload> batch = new ArrayList<>();
            BadChangesetException refusal = null;
            int refusedSize = 0;
            for (UploadChangesets.Framed framed : UploadChangesets.split(body)) {
                byte[] changeset = framed.changeset();
                long clientVersion = framed.clientVersion();
                if (clientVersion <= lastIntegratedClientVersion || refusal != null) {
                    continue; // already integrated before a reconnect, or after a refused changeset (never applied)
                }
                try {
                    List<Instruction> instructions = Changesets.parse(changeset);
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("Sync: upload {} of file {}: {} ({})", clientVersion, fileIdent, instructions,
                                java.util.HexFormat.of().formatHex(changeset));
                    }
                    service.checkUpload(instructions);
                    batch.add(new SyncService.ParsedUpload(new SyncService.Upload(clientVersion, framed.serverVersionSeen(), framed.timestamp(),
                            changeset), instructions));
                } catch (BadChangesetException e) {
                    refusal = e;
                    refusedSize = changeset.length;
                }
            }
            UploadHook hook = beforeUploadForTests;
            if (hook != null && !batch.isEmpty()) {
                hook.before(service, fileIdent, batch);
            }
            // The message's changesets before any refused one are written together (one bulk write per collection).
            List<SyncService.UploadResult> results;
            try {
                results = service.applyUploads(fileIdent, ruleContext, batch);
            } catch (BadChangesetException e) {
                // Refused while merging (nothing of the message was written): as a refusal found when parsing.
                LOG.warn("Sync: refused an upload of user {}: {}", user.user().id(), e.getMessage());
                sendError(212, "Bad changeset (UPLOAD): " + e.getMessage(), ident, false, "ApplicationBug");
                return;
            }
            sendListEditsMergedPast(batch, results);
            for (int k = 0; k < results.size(); k++) {
                SyncService.Upload integrated = batch.get(k).upload();
                SyncService.UploadResult result = results.get(k);
                service.log().clientWrite(user.user().id(), fileIdent, integrated.clientVersion(), result.serverVersion(),
                        result.written().stream().map(o -> o.table() + " " + new BsonDocument("_id", o.pk()).toJson()).toList());
                lastIntegratedClientVersion = integrated.clientVersion();
                service.syncSessions().uploaded(this);
                lastUploadServerVersion = Math.max(lastUploadServerVersion, integrated.serverVersionSeen());
                if (!result.rejected().isEmpty()) {
                    service.clientFiles().recordUploadProgress(fileIdent, lastIntegratedClientVersion, lastUploadServerVersion);
                    compensate(integrated.clientVersion(), result.rejected());
                }
            }
            if (refusal != null) {
                service.clientFiles().recordUploadProgress(fileIdent, lastIntegratedClientVersion, lastUploadServerVersion);
                LOG.warn("Sync: refused an upload of user {}: {} ({} bytes)", user.user().id(), refusal.getMessage(), refusedSize);
                sendError(212, "Bad changeset (UPLOAD): " + refusal.getMessage(), ident, false, "ApplicationBug");
                return;
            }
            lastIntegratedClientVersion = Math.max(lastIntegratedClientVersion, progressClientVersion);
            service.clientFiles().recordUploadProgress(fileIdent, lastIntegratedClientVersion, lastUploadServerVersion, m.number(5));
            sendDownload(lastSentServerVersion, STEADY_STATE, List.of());
        }

        /**
         * Sends, before the uploads are acknowledged, the element edits other clients made of the lists the
         * uploads wrote that the server integrated before them and this session has not sent yet (their change
         * events may still be on their way). Once an upload is acknowledged the client no longer transforms a
         * changeset against it (the header's last integrated client version may not go down), so an element
         * edit the upload was merged past must reach the client first, naming the uploads it was merged past,
         * or the client applies it untransformed and diverges (decision record "sync types", online race).
         * Such edits are then not sent again when their change event arrives ({@link #listStateAt}).
         */
        private void sendListEditsMergedPast(List<SyncService.ParsedUpload> batch, List<SyncService.UploadResult> results) {
            if (results.isEmpty()) {
                return;
            }
            long seen = Long.MAX_VALUE;
            List<SyncService.HistoryObject> written = new ArrayList<>();
            for (int k = 0; k < results.size(); k++) {
                seen = Math.min(seen, batch.get(k).upload().serverVersionSeen());
                written.addAll(results.get(k).written());
            }
            long before = results.get(results.size() - 1).serverVersion();
            List<SyncService.Download> out = new ArrayList<>();
            long at = lastSentServerVersion;
            for (SyncService.ListOpDownload op : service.objectDownloads().concurrentListOpsBefore(written, seen, before, fileIdent)) {
                String key = op.table() + "/" + pkKey(op.pk()) + "/" + op.field();
                long v = op.download().version();
                if (v <= listStateAt.getOrDefault(key, opFloor)) {
                    continue; // the client has it (sent live, in a whole state or a catch-up)
                }
                listStateAt.put(key, v);
                out.add(op.download());
                at = Math.max(at, v);
            }
            if (out.isEmpty()) {
                return;
            }
            lastSentServerVersion = at;
            sendDownload(at, STEADY_STATE, out);
            service.log().download(user.user().id(), fileIdent, at, out.size(), out.size() + " list element edits of other clients"
                    + " integrated before the upload being acknowledged");
        }

        /**
         * Undoes on the client the object writes the rules denied (they were never written to MongoDB):
         * a changeset at a new server version that erases what the client wrote and, where the user may
         * read the stored document, puts it back as MongoDB holds it. The protocol's compensating-write
         * error (231, with {@code rejectedUpdates}) goes first; the client holds it until it integrates
         * that server version, then reports it to the app's sync error handler.
         */
        private void compensate(long clientVersion, List<SyncService.Rejected> rejected) {
            List<Instruction> erases = new ArrayList<>();
            List<SyncService.Download> recreate = new ArrayList<>();
            List<SyncService.HistoryObject> objects = new ArrayList<>();
            com.fasterxml.jackson.databind.node.ArrayNode updates = JSON.createArrayNode();
            StringBuilder message = new StringBuilder("Compensating write: ");
            for (SyncService.Rejected r : rejected) {
                String table = r.syncClass().name();
                SyncAccess.ClassView view = views.get(table);
                Rql.Query q = queries.get(table);
                boolean readable = r.stored() != null && view != null && q != null && q.test(r.stored()) && readable(view, r.stored());
                if (!r.erase()) {
                    erases.add(new Instruction.EraseObject(table, r.pk())); // the client holds what it wrote
                }
                if (readable) {
                    recreate.addAll(service.objectDownloads().objectState(table, List.of(r.stored()), null, fileIdent).changesets());
                }
                objects.add(new SyncService.HistoryObject(table, r.pk()));
                ObjectNode update = updates.addObject();
                update.put("reason", r.reason());
                update.put("table", table);
                update.put("pk", Changesets.base64PrimaryKey(r.pk()));
                message.append(updates.size() > 1 ? " | " : "").append(r.reason());
                LOG.info("Sync: compensating write for user {}: {}", user.user().id(), r.reason());
            }
            byte[] erase = erases.isEmpty() ? new byte[0] : Changesets.encode(erases);
            long version = service.appendHistory(SyncService.SERVER_FILE_IDENT, 0, erase, objects);
            List<SyncService.Download> changesets = new ArrayList<>();
            changesets.add(new SyncService.Download(service.syncTimestamp(), SyncService.SERVER_FILE_IDENT, erase));
            changesets.addAll(recreate);
            ObjectNode json = JsonErrors.body(message.toString(), false, "Warning");
            json.set("rejectedUpdates", updates);
            json.put("compensatingWriteServerVersion", version);
            json.put("rejectedClientVersion", clientVersion);
            byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
            service.log().compensatingWrite(user.user().id(), fileIdent, rejected.stream().map(SyncService.Rejected::reason).toList());
            service.syncSessions().failed(this, 231, message.toString());
            send("json_error 231 " + body.length + " " + ident, body);
            lastSentServerVersion = Math.max(lastSentServerVersion, version);
            sendDownload(lastSentServerVersion, STEADY_STATE, changesets);
        }

        /**
         * A MongoDB change: sent if the document is (or was) in this session's view. What is sent is the
         * document's state when this session's thread gets to it, with its fields' stamps, and the download
         * carries the client version integrated at that moment: the state contains exactly the uploads up to
         * it, so the client merges it with its newer unsynced changes as the server merges them.
         */
        /**
         * Sends a batch of changes this session may see as one download: for each, the changed fields
         * (or the whole object when it enters the view), or an erase when it leaves the view.
         */
        void deliver(List<SyncService.Change> changes) {
            thread.execute(() -> {
                try {
                    deliverNow(changes);
                } catch (RuntimeException e) {
                    LOG.warn("Sync: could not send {} changes to file {} of user {}: {}", changes.size(), fileIdent, user.user().id(), e.toString(), e);
                }
            });
        }

        private void deliverNow(List<SyncService.Change> changes) {
            if (unbound || closed.get()) {
                return; // realm-core fails a session on a download for a session ident it has unbound ("never existed")
            }
            List<SyncService.Download> changesets = new ArrayList<>();
            long at = lastSentServerVersion;
            int sent = 0;
            String last = null;
            for (SyncService.Change change : changes) {
                if (change.version() > deliveredThrough) {
                    processedAbove.add(change.version());
                }
                at = Math.max(at, change.version());
                List<SyncService.Download> one = changesetsFor(change);
                if (one != null && !one.isEmpty()) {
                    changesets.addAll(one);
                    sent++;
                    last = change.table() + " " + new BsonDocument("_id", change.pk()).toJson();
                    for (SyncService.Download d : one) {
                        at = Math.max(at, d.version());
                    }
                }
            }
            if (changesets.isEmpty()) {
                return;
            }
            lastSentServerVersion = at;
            sendDownload(at, STEADY_STATE, changesets);
            service.log().download(user.user().id(), fileIdent, at, changesets.size(),
                    sent == 1 ? "change of " + last : sent + " changes, the last of " + last);
        }

        /** The changesets one change brings this session, or null when the session does not see it. */
        private List<SyncService.Download> changesetsFor(SyncService.Change c) {
            Rql.Query q = queries.get(c.table());
            SyncAccess.ClassView view = views.get(c.table());
            String objectKey = c.table() + "/" + pkKey(c.pk()) + "/";
            // The first change of an object a query change left to it: the client holds what the old view said of its before.
            HeldBefore judged = heldBefore.remove(objectKey);
            boolean heldBeforeIt = judged != null && c.version() <= judged.bootstrapVersion() && inView(judged.query(), judged.view(), c.before());
            if (q == null || view == null) {
                return heldBeforeIt ? List.of(new SyncService.Download(service.syncTimestamp(), SyncService.SERVER_FILE_IDENT,
                        Changesets.encode(List.of(new Instruction.EraseObject(c.table(), c.pk()))))) : null;
            }
            long[] stateAt = {0};
            SyncSchema.SyncClass syncClass = service.syncClass(c.table());
            Map<String, List<SyncService.Download>> counters = new LinkedHashMap<>();
            BsonDocument now = c.erase() ? null : service.atomically(() -> {
                stateAt[0] = service.listEdits().maxVersion();
                BsonDocument doc = service.document(c.table(), c.pk());
                for (String field : doc == null || c.before() == null ? Set.<String>of() : c.changed()) {
                    // Read with the document, so its value and the increments still to send it agree.
                    List<SyncService.Download> changes = Counters.counterField(syncClass, field) ? service.objectDownloads().counterDownloads(c.table(), c.pk(),
                            field, doc, listStateAt.getOrDefault(objectKey + field, opFloor), counterSetAt.getOrDefault(objectKey + field, opFloor),
                            fileIdent) : null;
                    if (changes != null) {
                        counters.put(field, changes);
                    }
                }
                return doc;
            });
            boolean inViewAfter = now != null && q.test(now) && readable(view, now);
            boolean inViewBefore = judged != null && c.version() <= judged.bootstrapVersion()
                    ? heldBeforeIt
                    : c.before() != null && q.test(c.before()) && readable(view, c.before());
            if (inViewAfter) {
                Set<String> changed = inViewBefore ? new java.util.LinkedHashSet<>(c.changed()) : null;
                List<SyncService.Download> out = new ArrayList<>();
                if (changed != null) {
                    // A counter goes as the increments and the set this client has not been sent (decision record "sync counters").
                    counters.forEach((field, changes) -> {
                        out.addAll(changes);
                        changed.remove(field);
                        listStateAt.merge(objectKey + field, stateAt[0], Math::max);
                        changes.forEach(d -> counterSetAt.merge(objectKey + field, d.version(), Math::max));
                    });
                }
                if (changed != null && c.origin() != SyncService.SERVER_FILE_IDENT) {
                    // A list an upload edited element by element goes as those edits (decision record "sync types"),
                    // unless the client holds them already (a whole state or catch-up sent after they were made).
                    for (String field : List.copyOf(changed)) {
                        if (SyncService.opMergedList(syncClass, field)) {
                            List<SyncService.Download> ops = service.objectDownloads().listOpDownloads(c.table(), c.pk(), field, 0, c.version(), fileIdent);
                            if (!ops.isEmpty()) {
                                if (c.version() > listStateAt.getOrDefault(objectKey + field, opFloor)) {
                                    out.addAll(ops);
                                    listStateAt.put(objectKey + field, c.version()); // edits arrive in server version order
                                }
                                changed.remove(field);
                            }
                        }
                    }
                }
                if (changed == null || !changed.isEmpty()) {
                    SyncService.ObjectState state = service.objectDownloads().objectState(c.table(), List.of(now), changed, fileIdent);
                    // Element edits and increments do not stamp their field, so the state's stamps may be older than the edits
                    // it contains: it goes at the server version it was read at, or the client would resume before those edits
                    // and receive them again (applied twice). The watermark holds it until the changes below have been sent.
                    boolean carriesEdits = syncClass.fieldTypes().keySet().stream().anyMatch(f -> (changed == null || changed.contains(f))
                            && (SyncService.opMergedList(syncClass, f) || Counters.counterField(syncClass, f)));
                    long at = carriesEdits ? Math.max(state.version(), stateAt[0]) : state.version();
                    state.changesets().stream().map(d -> d.at(at)).forEach(out::add);
                    // Whole lists sent now contain every element edit made so far.
                    syncClass.collections().keySet().stream().filter(f -> SyncService.opMergedList(syncClass, f))
                            .filter(f -> changed == null || changed.contains(f))
                            .forEach(f -> listStateAt.put(objectKey + f, stateAt[0]));
                    // A counter's value sent now contains its increments so far and its last set.
                    syncClass.fieldTypes().keySet().stream().filter(f -> Counters.counterField(syncClass, f))
                            .filter(f -> changed == null || changed.contains(f))
                            .forEach(f -> {
                                listStateAt.merge(objectKey + f, stateAt[0], Math::max);
                                counterSetAt.merge(objectKey + f, state.version(), Math::max);
                            });
                }
                return out;
            }
            if (inViewBefore || (c.erase() && c.before() == null)) {
                return List.of(new SyncService.Download(service.syncTimestamp(), SyncService.SERVER_FILE_IDENT,
                        Changesets.encode(List.of(new Instruction.EraseObject(c.table(), c.pk())))));
            }
            return null;
        }

        /** A rule that fails to evaluate hides the document (and is logged): never shown by mistake. */
        private boolean readable(SyncAccess.ClassView view, BsonDocument doc) {
            try {
                return view.readable(doc);
            } catch (RuntimeException e) {
                LOG.warn("Sync: the rules of {} could not be evaluated for user {}; the document is not sent: {}",
                        view.syncClass().collection(), user.user().id(), e.getMessage());
                return false;
            }
        }

        /** A changeset of a download as planned: its header's fields except the server version, fixed when it is sent. */
        private record PlannedChangeset(long integrated, long timestamp, long origin, byte[] bytes) {
        }

        /** A download held back until everything up to its server version has reached this session. */
        private record Parked(long serverVersion, int batchState, List<PlannedChangeset> changesets, long integratedClientVersion,
                              long uploadServerVersion, long queryVersion) {
        }

        /**
         * The server version up to which every change the change worker will hand to sessions has reached this
         * session's thread ({@link SyncService#deliveredWatermark()}, passed on by {@link #advance}). A download
         * is never sent at a newer server version (decision record "sync watermark"): the client resumes after
         * the version of the last download it integrated, so a change below it still on its way would never reach it.
         */
        private long deliveredThrough;
        private final java.util.ArrayDeque<Parked> parked = new java.util.ArrayDeque<>();
        /** The last integrated client version of the last download message sent (realm-core requires it weakly increasing). */
        private long transmittedIntegrated;
        /** Marks (the client's "has everything been sent?") received while downloads were parked: answered after them. */
        private final List<Long> marksAfterParked = new ArrayList<>();

        void mark(long requestIdent) {
            if (parked.isEmpty()) {
                send("mark " + ident + " " + requestIdent, new byte[0]);
            } else {
                marksAfterParked.add(requestIdent);
            }
        }

        /**
         * Plans a download: each changeset's header is fixed now (what the client knows and what was integrated
         * are of this moment); it is sent at once when {@link #deliveredThrough} covers its server version and no
         * download waits before it, else parked until then.
         */
        private void sendDownload(long serverVersion, int batchState, List<SyncService.Download> changesets) {
            long floor = Math.min(clientKnowsIntegrated, lastIntegratedClientVersion);
            List<PlannedChangeset> planned = new ArrayList<>(changesets.size());
            for (SyncService.Download c : changesets) {
                // An element edit of a list names the client's uploads it was merged past (so the client transforms
                // it against the later ones), never below what the client already knows; anything else, the latest.
                long integrated = c.lastIntegratedClientVersion() >= 0
                        ? Math.max(floor, Math.min(c.lastIntegratedClientVersion(), lastIntegratedClientVersion))
                        : lastIntegratedClientVersion;
                floor = integrated;
                planned.add(new PlannedChangeset(integrated, c.timestamp(), c.origin(), c.changeset()));
            }
            clientKnowsIntegrated = lastIntegratedClientVersion;
            service.syncSessions().downloaded(this, changesets.size());
            Parked download = new Parked(serverVersion, batchState, planned, lastIntegratedClientVersion, lastUploadServerVersion, queryVersion);
            if (parked.isEmpty() && serverVersion <= deliveredThrough) {
                transmit(List.of(download));
                return;
            }
            parked.add(download);
            service.requestWatermark();
            java.util.function.Consumer<Boolean> hook = downloadParkedForTests;
            if (hook != null) {
                hook.accept(true);
            }
        }

        /**
         * Called (through the session's thread) after the change worker handed every change up to {@code watermark}
         * to the sessions: the ones for this session ran before this, so parked downloads up to it may go. They go
         * as one download at the newest of their server versions only when all are covered: sent apart, a client
         * whose connection dropped between two would resume after changes it was not sent.
         */
        void advance(long watermark) {
            thread.execute(() -> {
                if (unbound || closed.get()) {
                    return;
                }
                deliveredThrough = Math.max(deliveredThrough, watermark);
                processedAbove.headSet(deliveredThrough, true).clear();
                if (!heldBefore.isEmpty()) {
                    settleHeldBefore();
                }
                if (!parked.isEmpty() && parked.peekLast().serverVersion() <= deliveredThrough) {
                    List<Parked> all = List.copyOf(parked);
                    parked.clear();
                    transmit(all);
                    marksAfterParked.forEach(r -> send("mark " + ident + " " + r, new byte[0]));
                    marksAfterParked.clear();
                } else if (!parked.isEmpty()) {
                    // Still waiting (an upload's change event is on its way): ask again shortly rather than wait for the next change.
                    java.util.concurrent.CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS)
                            .execute(service::requestWatermark);
                }
            });
        }

        /**
         * Sends planned downloads as one message at the newest of their server versions. The message's own "last
         * integrated client version" is the highest of its changesets' (realm-core requires each to be at most that),
         * not higher: realm-core stops transforming a changeset against an upload once a download acknowledged it, so
         * an edit merged before an upload must arrive with the upload still unacknowledged. The acknowledgement, when
         * that holds it back, follows as an empty download.
         */
        private void transmit(List<Parked> downloads) {
            Parked last = downloads.get(downloads.size() - 1);
            long serverVersion = last.serverVersion();
            int batchState = downloads.stream().anyMatch(d -> d.batchState() == LAST_IN_BATCH) ? LAST_IN_BATCH : last.batchState();
            long integrated = transmittedIntegrated;
            boolean any = false;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Parked d : downloads) {
                for (PlannedChangeset c : d.changesets()) {
                    integrated = Math.max(integrated, c.integrated());
                    any = true;
                    String header = serverVersion + " " + c.integrated() + " " + c.timestamp() + " "
                            + c.origin() + " " + c.bytes().length + " " + c.bytes().length + " ";
                    body.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
                    body.writeBytes(c.bytes());
                }
            }
            if (!any) {
                integrated = Math.max(integrated, last.integratedClientVersion());
            }
            sendDownloadMessage(serverVersion, integrated, last.uploadServerVersion(), last.queryVersion(), batchState, body.toByteArray());
            if (integrated < last.integratedClientVersion()) {
                integrated = last.integratedClientVersion();
                sendDownloadMessage(serverVersion, integrated, last.uploadServerVersion(), last.queryVersion(), STEADY_STATE, new byte[0]);
            }
            transmittedIntegrated = integrated;
        }

        private void sendDownloadMessage(long serverVersion, long integrated, long uploadServerVersion, long queryVersion, int batchState,
                                         byte[] bytes) {
            send("download " + ident + " " + serverVersion + " " + integrated + " " + serverVersion + " 0 "
                    + integrated + " " + uploadServerVersion + " " + queryVersion + " " + batchState
                    + " 1 0 " + bytes.length + " " + bytes.length, bytes);
        }

        void closeConnection() {
            close();
        }
    }
}
