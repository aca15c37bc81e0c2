package dev.thimble.runtime.sync;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.apps.AppEditor;
import dev.thimble.runtime.apps.AppSyncSessions;
import dev.thimble.runtime.apps.HostAccess;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import dev.thimble.testing.TestApps;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open sessions people see (workbench Sync panel, admin API), with the real Realm sync client:
 * a session appears with its user, client file and subscription, counts its traffic, shows a refused
 * query as its last error, and is gone once the client closes.
 */
class SyncSessionsTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();
    static Path temp;
    static AppHost host;
    static AppEditor editor;

    @BeforeAll
    static void openTheEditor() {
        temp = SERVER.temp();
        host = SERVER.host();
        editor = AppEditor.open(TestApps.copy(SyncApps.BUNDLE, temp.resolve("bundle")), HostAccess.of(host));
    }

    static SyncSessions sessions() {
        return host.syncSessions().orElseThrow();
    }

    static SyncSessions.Session sessionOf(String userId) {
        return sessions().snapshot().stream().filter(s -> s.userId().equals(userId)).findFirst().orElse(null);
    }

    @Test
    void aConnectedClientsSessionShowsItsUserFileAndSubscriptionAndIsGoneAfterClose() throws Exception {
        String userId;
        ObjectId written = new ObjectId();
        try (RealmSyncClient client = SyncApps.client(host, Files.createDirectories(temp.resolve("snapshot")))) {
            userId = client.userId();
            assertThat(client.subscribe("Item", "owner_id == \"snap\"").complete()).isTrue();
            client.create("Item", written, Map.of("owner_id", "snap", "name", "uploaded"));
            client.waitForUpload();

            SyncSessions.Session session = eventually(() -> {
                SyncSessions.Session s = sessionOf(userId);
                return s != null && s.uploads() >= 1 && s.subscriptions().containsKey("Item") ? s : null;
            });
            assertThat(session).as("the session of " + userId + " in " + sessions().snapshot()).isNotNull();
            assertThat(session.userName()).isEqualTo("anon-user");
            assertThat(session.protocolVersion()).isEqualTo(14);
            assertThat(session.remoteAddress()).isEqualTo("127.0.0.1");
            assertThat(session.clientFileIdent()).isGreaterThan(1);
            assertThat(session.queryVersion()).isPositive();
            assertThat(session.subscriptions().get("Item")).contains("owner_id == \"snap\"");
            assertThat(session.downloads()).as("the bootstrap is a download").isPositive();
            assertThat(session.downloadedChangesets()).isGreaterThanOrEqualTo(session.downloads());
            assertThat(session.lastUploadAt()).isNotNull();
            assertThat(session.lastActivity()).isAfterOrEqualTo(session.connectedAt());
            assertThat(session.lastError()).isNull();

            // the service layer the workbench and the admin API read
            AppSyncSessions.Status status = editor.syncSessions().status();
            assertThat(status.state()).isEqualTo(AppSyncSessions.State.RUNNING);
            assertThat(status.sessions()).extracting(SyncSessions.Session::userId).contains(userId);
            List<LogRecord> records = editor.syncSessions().recentRecords(session, 50);
            assertThat(records).extracting(LogRecord::type).contains(LogType.SYNC_SESSION_START, LogType.SYNC_CLIENT_WRITE);
            assertThat(records).allSatisfy(r -> assertThat(r.userId()).isEqualTo(userId));
            assertThat(records.getFirst().started()).as("newest first").isAfterOrEqualTo(records.getLast().started());
            assertThat(records).anySatisfy(r -> assertThat(String.join("\n", r.messages())).contains(written.toHexString()));

            client.goOffline(); // the client unbinds its session (closing the realm keeps the connection for core's linger time)
            assertThat(eventually(() -> sessionOf(userId) == null ? "gone" : null)).as("the session is gone after unbind").isEqualTo("gone");
        }
    }

    @Test
    void aSessionWhoseConnectionDropsIsGone() throws Exception {
        var login = host.auth().login("anon-user", new org.bson.Document(), "127.0.0.1", null);
        SyncRouteTest.Frames frames = new SyncRouteTest.Frames();
        java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(SyncRoute.SUBPROTOCOL)
                .buildAsync(java.net.URI.create(host.baseUrl().replaceFirst("^http", "ws") + "/api/client/v2.0/app/shop-thmbl/realm-sync?baas_at="
                        + login.accessToken()), frames).get(30, java.util.concurrent.TimeUnit.SECONDS);
        String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
        SyncRouteTest.send(ws, "bind 1 " + bind.length() + " 0 1 0\n" + bind);
        String[] ident = frames.next().trim().split(" ");
        SyncSessions.Session bound = eventually(() -> sessionOf(login.userId()));
        assertThat(bound).as("listed once bound").isNotNull();
        assertThat(bound.clientFileIdent()).as("not identified yet").isZero();
        String query = "{\"Item\":\"name BEGINSWITH[c] \\\"ab\\\"\"}";
        SyncRouteTest.send(ws, "ident 1 " + ident[2] + " " + ident[3] + " 0 0 0 0 1 " + query.length() + "\n" + query);
        assertThat(frames.next()).startsWith("download 1 ");
        SyncSessions.Session identified = eventually(() -> {
            SyncSessions.Session s = sessionOf(login.userId());
            return s != null && s.downloads() == 1 ? s : null;
        });
        assertThat(identified.clientFileIdent()).isEqualTo(Long.parseLong(ident[2]));
        assertThat(identified.subscriptions()).containsExactly(Map.entry("Item", "name BEGINSWITH[c] \"ab\""));
        assertThat(identified.queryVersion()).isEqualTo(1);
        ws.abort();
        assertThat(eventually(() -> sessionOf(login.userId()) == null ? "gone" : null)).as("gone with its connection").isEqualTo("gone");
    }

    @Test
    void aRefusedQueryIsTheSessionsLastError() throws Exception {
        try (RealmSyncClient client = SyncApps.client(host, Files.createDirectories(temp.resolve("refused")))) {
            assertThat(client.subscribe("Item", "note == \"x\"").complete()).isFalse();
            SyncSessions.Session session = eventually(() -> {
                SyncSessions.Session s = sessionOf(client.userId());
                return s != null && s.lastError() != null ? s : null;
            });
            assertThat(session).isNotNull();
            assertThat(session.lastError().code()).isEqualTo(226);
            assertThat(session.lastError().message()).contains("\"note\" is not a queryable field");
        }
    }

    @Test
    void aReconnectingClientFilesCountsGoOnWhereTheyStopped() throws Exception {
        try (RealmSyncClient client = SyncApps.client(host, Files.createDirectories(temp.resolve("recount")))) {
            assertThat(client.subscribe("Item", "owner_id == \"recount\"").complete()).isTrue();
            client.create("Item", new ObjectId(), Map.of("owner_id", "recount", "name", "one"));
            client.waitForUpload();
            SyncSessions.Session first = eventually(() -> {
                SyncSessions.Session s = sessionOf(client.userId());
                return s != null && s.uploads() >= 1 ? s : null;
            });
            assertThat(first).isNotNull();
            client.goOffline();
            assertThat(eventually(() -> sessionOf(client.userId()) == null ? "gone" : null)).isEqualTo("gone");
            client.create("Item", new ObjectId(), Map.of("owner_id", "recount", "name", "two"));
            client.goOnline();
            client.waitForUpload();
            SyncSessions.Session second = eventually(() -> {
                SyncSessions.Session s = sessionOf(client.userId());
                return s != null && s.uploads() > first.uploads() ? s : null;
            });
            assertThat(second).as("the new session of the same file counts on: " + sessions().snapshot()).isNotNull();
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(second.clientFileIdent()).isEqualTo(first.clientFileIdent());
            assertThat(second.downloads()).isGreaterThanOrEqualTo(first.downloads());
        }
    }

    @Test
    void aClientFilesTrafficIsKeptAcrossItsSessions() {
        SyncSessions registry = new SyncSessions(java.time.Clock.systemUTC());
        var user = new dev.thimble.runtime.auth.AuthService.Authenticated(new dev.thimble.runtime.auth.User("u1", "normal",
                new org.bson.Document(), List.of(), false, java.time.Instant.now(), java.time.Instant.now()), null, null);
        Object first = new Object();
        registry.opened(first, user, "com.mongodb.realm-query-sync#14", "10.0.0.2");
        registry.identified(first, 7);
        registry.uploaded(first);
        registry.uploaded(first);
        registry.downloaded(first, 3);
        registry.closed(first);
        Object second = new Object();
        registry.opened(second, user, "com.mongodb.realm-query-sync#14", "10.0.0.2");
        assertThat(registry.snapshot().getFirst().uploads()).as("not identified yet: its own counts").isZero();
        registry.identified(second, 7);
        registry.uploaded(second);
        SyncSessions.Session s = registry.snapshot().getFirst();
        assertThat(s.uploads()).isEqualTo(3);
        assertThat(s.downloads()).isEqualTo(1);
        assertThat(s.downloadedChangesets()).isEqualTo(3);
        Object other = new Object();
        registry.opened(other, user, "com.mongodb.realm-query-sync#14", "10.0.0.3");
        registry.identified(other, 8);
        assertThat(registry.snapshot()).filteredOn(x -> x.clientFileIdent() == 8).singleElement()
                .satisfies(x -> assertThat(x.uploads()).as("another file counts on its own").isZero());
    }

    @Test
    void anOpenedSessionChangesTheVersionAndAClosedOneIsForgotten() {
        SyncSessions registry = new SyncSessions(java.time.Clock.systemUTC());
        long before = registry.version();
        Object key = new Object();
        var user = new dev.thimble.runtime.auth.AuthService.Authenticated(new dev.thimble.runtime.auth.User("u1", "normal",
                new org.bson.Document("email", "ann@example.com"), List.of(), false, java.time.Instant.now(), java.time.Instant.now()), null, null);
        registry.opened(key, user, "com.mongodb.realm-query-sync#14", "10.0.0.2");
        registry.subscribed(key, 3, "{\"Item\":\"(owner_id == \\\"a\\\") OR (name BEGINSWITH[c] \\\"ab\\\")\",\"Note\":\"TRUEPREDICATE\"}");
        registry.downloaded(key, 0); // an acknowledgement carries no changesets and is not counted
        assertThat(registry.version()).isGreaterThan(before);
        SyncSessions.Session s = registry.snapshot().getFirst();
        assertThat(s.userName()).isEqualTo("ann@example.com");
        assertThat(s.subscriptions()).containsExactly(Map.entry("Item", "(owner_id == \"a\") OR (name BEGINSWITH[c] \"ab\")"),
                Map.entry("Note", "TRUEPREDICATE"));
        assertThat(s.downloads()).isZero();
        registry.closed(key);
        registry.uploaded(key); // a late event of a closed session changes nothing
        assertThat(registry.snapshot()).isEmpty();
    }
}
