package dev.thimble.runtime.edge;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed logins are throttled per client address and per account from that address: an attacker
 * is stopped, with a 429 that says when to retry, but cannot lock out a victim or a provider.
 * Clients on 127.0.0.2, .3, … are different addresses to the server.
 */
class ThrottleTest {
    @TempDir
    static Path temp;
    static AppHost host;
    /** Each test takes two fresh addresses, so the tests share one server without sharing counters. */
    static int nextAddress = 2;
    ClientHttp attacker;
    ClientHttp victim;

    @BeforeAll
    static void start() {
        host = AppHost.start(AppBundles.read(Path.of("../examples/todo")).app(), AppHost.HostSettings.of("0.0.0.0", 0,
                DatabaseSettings.embedded(temp.resolve("db")), new SecretStore(temp.resolve("s.json"))));
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @BeforeEach
    void addresses() {
        attacker = ClientHttp.from(host, "127.0.0." + nextAddress++);
        victim = ClientHttp.from(host, "127.0.0." + nextAddress++);
    }

    @Test
    void wrongPasswordsForAnAccountStopTheGuesserButNotTheOwner() {
        assertThat(victim.register("ann@example.com", "ann-secret").status()).isEqualTo(201);
        for (int i = 0; i < 10; i++) {
            assertThat(attacker.post(loginPath("local-userpass"), userpass("ann@example.com", "guess-" + i), null).status()).isEqualTo(401);
        }

        ClientHttp.Answer refused = attacker.post(loginPath("local-userpass"), userpass("ann@example.com", "ann-secret"), null);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.text("error_code")).isEqualTo("TooManyRequests");
        long retryAfter = Long.parseLong(refused.response().headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 15 * 60L);
        assertThat(refused.text("error")).contains("try again in " + ((retryAfter + 59) / 60) + " minutes");
        assertThat(victim.profile(victim.loginEmail("ann@example.com", "ann-secret").accessToken()).status())
                .as("the owner, from her own address").isEqualTo(200);
    }

    @Test
    void badApiKeysStopTheAddressThatSentThemNotEveryKeyOfTheApp() {
        String key = host.auth().createServerApiKey("backend-" + nextAddress).secret();
        for (int i = 0; i < 50; i++) {
            assertThat(attacker.post(loginPath("api-key"), "{\"key\":\"wrong-" + i + "\"}", null).status()).isEqualTo(401);
        }

        ClientHttp.Answer refused = attacker.post(loginPath("api-key"), "{\"key\":\"" + key + "\"}", null);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.response().headers().firstValue("Retry-After")).isPresent();
        assertThat(victim.login("api-key", "{\"key\":\"" + key + "\"}").accessToken()).as("the key, from elsewhere").isNotBlank();
    }

    @Test
    void tenBadApiKeysDoNotLockOutAValidKeyEvenFromTheSameAddress() {
        String key = host.auth().createServerApiKey("other-" + nextAddress).secret();
        for (int i = 0; i < 10; i++) {
            assertThat(attacker.post(loginPath("api-key"), "{\"key\":\"wrong-" + i + "\"}", null).status()).isEqualTo(401);
        }

        assertThat(victim.login("api-key", "{\"key\":\"" + key + "\"}").accessToken()).isNotBlank();
        assertThat(attacker.login("api-key", "{\"key\":\"" + key + "\"}").accessToken()).isNotBlank();
    }

    @Test
    void oneAddressSprayingGuessesOverManyAccountsIsStopped() {
        for (int i = 0; i < 50; i++) {
            assertThat(attacker.post(loginPath("local-userpass"), userpass("user" + i + "@example.com", "guess-" + i), null).status())
                    .isEqualTo(401);
        }

        ClientHttp.Answer refused = attacker.post(loginPath("local-userpass"), userpass("user99@example.com", "guess"), null);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.response().headers().firstValue("Retry-After")).isPresent();
        assertThat(victim.post(loginPath("local-userpass"), userpass("user99@example.com", "guess"), null).status()).isEqualTo(401);
    }

    private static String loginPath(String provider) {
        return "/app/todo-thmbl/auth/providers/" + provider + "/login";
    }

    private static String userpass(String email, String password) {
        return "{\"username\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }
}
