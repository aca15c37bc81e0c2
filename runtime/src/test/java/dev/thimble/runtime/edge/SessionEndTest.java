package dev.thimble.runtime.edge;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import dev.thimble.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session that ended (logout, password reset, a disabled or deleted user) stays ended: after a
 * restart, and on every node of the database, its access and refresh tokens answer 401
 * InvalidSession, through the client API.
 */
class SessionEndTest {
    private static final AppModel TODO = AppBundles.read(Path.of("../examples/todo")).app();
    /**
     * Past the longest time a node trusts what it read about a user or a session (UserStore.CACHE_TTL,
     * 10 s; SessionStore.LIVENESS_TTL, 2 s): the other node's ticker is moved by this much instead of
     * the test sleeping through it.
     */
    private static final Duration PAST_THE_CACHES = Duration.ofSeconds(11);
    /** The elapsed time of the second node of each test (the first keeps the system's). */
    private final ManualTicker secondNodeTime = new ManualTicker();

    @TempDir
    Path temp;
    private final List<AppHost> hosts = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = hosts.size() - 1; i >= 0; i--) {
            hosts.get(i).close();
        }
    }

    private AppHost start(DatabaseSettings database) {
        return start(database, dev.thimble.runtime.time.Ticker.SYSTEM);
    }

    private AppHost start(DatabaseSettings database, dev.thimble.runtime.time.Ticker ticker) {
        AppHost host = AppHost.start(TODO, AppHost.HostSettings.of("127.0.0.1", 0, database, new SecretStore(temp.resolve("secrets.json")))
                .withTicker(ticker));
        hosts.add(host);
        return host;
    }

    /** A second node on the owner's database, whose elapsed time the test moves ({@link #secondNodeTime}). */
    private AppHost secondNode(AppHost owner) {
        return start(DatabaseSettings.external(owner.database().connectionString()), secondNodeTime);
    }

    @Test
    void aLoggedOutAccessTokenStaysDeadAfterARestart() {
        AppHost first = start(DatabaseSettings.embedded(temp.resolve("db")));
        ClientHttp client = new ClientHttp(first);
        ClientHttp.Session session = client.login("anon-user", "{}");
        assertThat(client.profile(session.accessToken()).status()).isEqualTo(200);
        assertThat(client.logout(session.refreshToken()).status()).isEqualTo(204);
        assertThat(client.profile(session.accessToken()).status()).as("at once on this node").isEqualTo(401);

        first.close();
        hosts.remove(first);
        AppHost restarted = start(DatabaseSettings.embedded(temp.resolve("db")));
        ClientHttp again = new ClientHttp(restarted);

        ClientHttp.Answer profile = again.profile(session.accessToken());
        assertThat(profile.status()).isEqualTo(401);
        assertThat(profile.text("error_code")).isEqualTo("InvalidSession");
        assertThat(again.refresh(session.refreshToken()).status()).isEqualTo(401);
        assertThat(again.profile(again.login("anon-user", "{}").accessToken()).status()).as("others still log in").isEqualTo(200);
    }

    @Test
    void aLogoutOnOneNodeEndsTheSessionOnTheOtherWithinSeconds() throws Exception {
        AppHost owner = start(DatabaseSettings.embeddedOnTcp(temp.resolve("db"), 0));
        AppHost second = secondNode(owner);
        ClientHttp one = new ClientHttp(owner);
        ClientHttp two = new ClientHttp(second);
        ClientHttp.Session session = one.login("anon-user", "{}");
        ClientHttp.Session bystander = one.login("anon-user", "{}");
        assertThat(two.profile(session.accessToken()).status()).as("the other node knows the session").isEqualTo(200);

        assertThat(one.logout(session.refreshToken()).status()).isEqualTo(204);

        assertThat(two.profile(session.accessToken()).status()).as("the other node trusts its read for the cache lifetime").isEqualTo(200);
        answersOnceCachesExpire(two, session.accessToken(), 401);
        assertThat(two.refresh(session.refreshToken()).status()).isEqualTo(401);
        assertThat(two.profile(bystander.accessToken()).status()).as("another session of the app").isEqualTo(200);
    }

    @Test
    void aPasswordResetEndsEverySessionOfThatUserOnEveryNode() throws Exception {
        AppHost owner = start(DatabaseSettings.embeddedOnTcp(temp.resolve("db"), 0));
        AppHost second = secondNode(owner);
        AtomicReference<AuthService.OutgoingMail> mail = new AtomicReference<>();
        owner.auth().onMail(mail::set);
        ClientHttp one = new ClientHttp(owner);
        ClientHttp two = new ClientHttp(second);
        assertThat(one.register("ann@example.com", "old-password").status()).isEqualTo(201);
        ClientHttp.Session laptop = one.loginEmail("ann@example.com", "old-password");
        ClientHttp.Session phone = two.loginEmail("ann@example.com", "old-password");
        ClientHttp.Session other = one.login("anon-user", "{}");

        assertThat(one.post("/app/todo-thmbl/auth/providers/local-userpass/reset/send", "{\"email\":\"ann@example.com\"}", null).status())
                .isEqualTo(204);
        ClientHttp.Answer reset = one.post("/app/todo-thmbl/auth/providers/local-userpass/reset",
                "{\"token\":\"" + mail.get().token() + "\",\"tokenId\":\"" + mail.get().tokenId() + "\",\"password\":\"new-password\"}", null);
        assertThat(reset.status()).as(reset.response().body()).isEqualTo(204);

        assertThat(one.profile(laptop.accessToken()).status()).as("at once on this node").isEqualTo(401);
        assertThat(one.refresh(laptop.refreshToken()).status()).isEqualTo(401);
        answersOnceCachesExpire(two, phone.accessToken(), 401);
        assertThat(two.refresh(phone.refreshToken()).status()).isEqualTo(401);
        assertThat(one.profile(other.accessToken()).status()).as("another user").isEqualTo(200);
        assertThat(two.profile(two.loginEmail("ann@example.com", "new-password").accessToken()).status()).isEqualTo(200);
    }

    @Test
    void aDisabledUsersTokensStopAtOnceAndOnTheOtherNodeWithinSeconds() throws Exception {
        AppHost owner = start(DatabaseSettings.embeddedOnTcp(temp.resolve("db"), 0));
        AppHost second = secondNode(owner);
        ClientHttp one = new ClientHttp(owner);
        ClientHttp two = new ClientHttp(second);
        ClientHttp.Session session = one.login("anon-user", "{}");
        assertThat(two.profile(session.accessToken()).status()).isEqualTo(200);

        owner.auth().setDisabled(session.userId(), true);

        assertThat(one.profile(session.accessToken()).status()).isEqualTo(401);
        assertThat(one.refresh(session.refreshToken()).status()).isEqualTo(401);
        answersOnceCachesExpire(two, session.accessToken(), 401);
        owner.auth().setDisabled(session.userId(), false);
        assertThat(one.profile(session.accessToken()).status()).as("re-enabling does not revive old sessions").isEqualTo(401);
    }

    @Test
    void aDeletedUsersTokensStopAtOnceAndOnTheOtherNodeWithinSeconds() throws Exception {
        AppHost owner = start(DatabaseSettings.embeddedOnTcp(temp.resolve("db"), 0));
        AppHost second = secondNode(owner);
        ClientHttp one = new ClientHttp(owner);
        ClientHttp two = new ClientHttp(second);
        ClientHttp.Session session = one.login("anon-user", "{}");
        assertThat(two.profile(session.accessToken()).status()).isEqualTo(200);

        ClientHttp.Answer deleted = one.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(owner.server().baseUrl() + "/api/client/v2.0/auth/delete")).DELETE(), session.accessToken());
        assertThat(deleted.status()).isEqualTo(204);

        assertThat(one.profile(session.accessToken()).status()).isEqualTo(401);
        answersOnceCachesExpire(two, session.accessToken(), 401);
        assertThat(two.refresh(session.refreshToken()).status()).isEqualTo(401);
    }

    /** Moves the other node past its caches' lifetimes; then the profile route must answer {@code status} at once. */
    private void answersOnceCachesExpire(ClientHttp client, String accessToken, int status) {
        secondNodeTime.advance(PAST_THE_CACHES);
        assertThat(client.profile(accessToken).status()).as("once the other node's caches have expired").isEqualTo(status);
    }
}
