package dev.thimble.runtime.auth;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.Json;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authentication against a real (embedded, in-memory) MongoDB-compatible server. */
class AuthServiceTest {
    private static MongoServer server;
    private static MongoClient client;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final List<AuthService.OutgoingMail> mails = new ArrayList<>();
    private AuthService auth;
    private MongoDatabase state;

    @BeforeAll
    static void startDatabase() {
        server = new MongoServer(new MemoryBackend());
        var address = server.bind();
        client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
    }

    @AfterAll
    static void stopDatabase() {
        client.close();
        server.shutdownNow();
    }

    @BeforeEach
    void newApp() {
        state = client.getDatabase("state_" + System.nanoTime());
        auth = authFor(app(false, true));
    }

    private AuthService authFor(AppModel model) {
        AuthService service = new AuthService(() -> model, AuthStores.in(state),
                new Tokens("0123456789abcdef0123456789abcdef".getBytes(), clock, "todo-abcde", Duration.ofMinutes(30), Duration.ofDays(60)),
                clock, LoginThrottle.standard(clock), userId -> new Document("team", "blue"));
        service.onMail(mails::add);
        return service;
    }

    static AppModel app(boolean anonDisabled, boolean autoConfirm) {
        List<AuthProviderDef> providers = List.of(
                new AuthProviderDef(Json.parse("{\"name\":\"anon-user\",\"type\":\"anon-user\",\"disabled\":" + anonDisabled + "}")),
                new AuthProviderDef(Json.parse("{\"name\":\"local-userpass\",\"type\":\"local-userpass\",\"config\":{\"autoConfirm\":"
                        + autoConfirm + ",\"emailConfirmationUrl\":\"http://app/confirm\",\"resetPasswordUrl\":\"http://app/reset\"}}")),
                new AuthProviderDef(Json.parse("{\"name\":\"api-key\",\"type\":\"api-key\"}")));
        return new AppModel(Json.parse("{\"app_id\":\"todo-abcde\",\"name\":\"todo\"}"), providers,
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
    }

    private static Document userpass(String email, String password) {
        return new Document("username", email).append("password", password);
    }

    private static void assertApiError(Executable call, int status, String code, String messagePart) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(Failure.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    /**
     * Decision record 0075: the warm-up's own token passes only the function-call route's check, only while that
     * warm-up runs, and only as the warm-up's caller; nothing is stored for it. A token naming the warm-up's user with
     * any other session (even one this app signed) is refused as any token of a user that does not exist.
     */
    @Test
    void theWarmUpsTokenIsTheWarmUpsCallerOnlyWhileItRunsAndNothingIsStoredForIt() {
        String token = auth.beginWarmUp();
        AuthService.Authenticated caller = auth.authenticateCallOrWarmUp(token);
        assertThat(caller.warmUp()).isTrue();
        assertThat(caller.user().id()).isEqualTo(WarmUpCaller.USER_ID);
        assertApiError(() -> auth.authenticate(token), 401, "InvalidSession", "no longer exists");
        assertThat(state.getCollection("users").countDocuments()).as("users stored for the warm-up").isZero();
        assertThat(state.getCollection("sessions").countDocuments()).as("sessions stored for the warm-up").isZero();

        // the same user id with another session id, signed with this app's key: not the warm-up's
        Tokens sameKey = new Tokens("0123456789abcdef0123456789abcdef".getBytes(), clock, "todo-abcde", Duration.ofMinutes(30), Duration.ofDays(60));
        String forged = sameKey.issueAccess(WarmUpCaller.USER_ID, "warm-up-00000000000000000000000000000000", WarmUpCaller.USER_ID, new Document());
        assertApiError(() -> auth.authenticateCallOrWarmUp(forged), 401, "InvalidSession", "no longer exists");

        // a real user is never the warm-up's caller
        AuthService.LoginResult login = auth.login("anon-user", new Document(), "1.2.3.4", null);
        assertThat(auth.authenticateCallOrWarmUp(login.accessToken()).warmUp()).isFalse();

        // the next warm-up's token replaces it; once that ends, neither is accepted
        String next = auth.beginWarmUp();
        assertApiError(() -> auth.authenticateCallOrWarmUp(token), 401, "InvalidSession", "no longer exists");
        assertThat(auth.authenticateCallOrWarmUp(next).warmUp()).isTrue();
        auth.endWarmUp();
        assertApiError(() -> auth.authenticateCallOrWarmUp(next), 401, "InvalidSession", "no longer exists");
        assertThat(state.getCollection("users").countDocuments()).as("only the real user").isEqualTo(1);
    }

    @Test
    void eachAnonymousLoginIsANewUserWithAnAnonIdentity() {
        AuthService.LoginResult first = auth.login("anon-user", new Document(), "1.2.3.4", null);
        AuthService.LoginResult second = auth.login("anon-user", new Document(), "1.2.3.4", null);

        assertThat(first.userId()).isNotEqualTo(second.userId());
        User user = auth.authenticate(first.accessToken()).user();
        assertThat(user.type()).isEqualTo("normal");
        assertThat(user.identities()).extracting(User.Identity::providerType).containsExactly("anon-user");
    }

    @Test
    void theDeviceIdTheClientSendsIsKept() {
        Document body = new Document("options", new Document("device", new Document("deviceId", "65a0000000000000000000aa")));
        assertThat(auth.login("anon-user", body, "1.2.3.4", null).deviceId()).isEqualTo("65a0000000000000000000aa");
    }

    @Test
    void registeredUsersLogInWithTheirPasswordAndOnlyWithIt() {
        auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123"));

        AuthService.LoginResult login = auth.login("local-userpass", userpass("mia@example.com", "secret123"), "1.2.3.4", null);
        assertThat(auth.authenticate(login.accessToken()).user().data()).isEqualTo(new Document("email", "mia@example.com"));
        assertThat(auth.login("local-userpass", userpass("MIA@example.com", "secret123"), "1.2.3.4", null).userId())
                .as("same user on the next login, email case-insensitive").isEqualTo(login.userId());
        assertApiError(() -> auth.login("local-userpass", userpass("mia@example.com", "wrong-one"), "1.2.3.4", null),
                401, "InvalidPassword", "invalid username/password");
    }

    @Test
    void aSecondRegistrationOfAnEmailIsRefused() {
        auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123"));
        assertApiError(() -> auth.register("local-userpass", new Document("email", "Mia@Example.com").append("password", "other123")),
                409, "AccountNameInUse", "name already in use");
    }

    @Test
    void passwordsOutside6To128CharactersAreRefused() {
        assertApiError(() -> auth.register("local-userpass", new Document("email", "a@b.c").append("password", "12345")),
                400, "BadRequest", "between 6 and 128");
        assertThat(auth.login("anon-user", new Document(), "x", null)).isNotNull();
    }

    @Test
    void withoutAutoConfirmAUserMustFollowTheEmailedLinkBeforeLoggingIn() {
        AuthService manual = authFor(app(false, false));
        manual.register("local-userpass", new Document("email", "sam@example.com").append("password", "secret123"));

        assertApiError(() -> manual.login("local-userpass", userpass("sam@example.com", "secret123"), "1.2.3.4", null),
                401, "AuthError", "confirmation required");
        AuthService.OutgoingMail mail = mails.getLast();
        assertThat(mail.to()).isEqualTo("sam@example.com");
        assertThat(mail.link()).startsWith("http://app/confirm?token=" + mail.token() + "&tokenId=" + mail.tokenId());

        manual.confirm("local-userpass", new Document("token", mail.token()).append("tokenId", mail.tokenId()));

        assertThat(manual.login("local-userpass", userpass("sam@example.com", "secret123"), "1.2.3.4", null).userId()).isNotBlank();
        assertApiError(() -> manual.confirm("local-userpass", new Document("token", mail.token()).append("tokenId", mail.tokenId())),
                400, "UserpassTokenInvalid", "used or expired");
    }

    @Test
    void confirmationLinksExpireAfterThirtyMinutes() {
        AuthService manual = authFor(app(false, false));
        manual.register("local-userpass", new Document("email", "sam@example.com").append("password", "secret123"));
        AuthService.OutgoingMail mail = mails.getLast();

        now.set(now.get().plus(Duration.ofMinutes(31)));

        assertApiError(() -> manual.confirm("local-userpass", new Document("token", mail.token()).append("tokenId", mail.tokenId())),
                400, "UserpassTokenInvalid", "expired");
    }

    @Test
    void aPasswordResetByTokenReplacesThePassword() {
        auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123"));
        auth.sendPasswordReset("local-userpass", new Document("email", "mia@example.com"));
        AuthService.OutgoingMail mail = mails.getLast();
        assertThat(mail.link()).startsWith("http://app/reset?token=");

        auth.resetPassword("local-userpass", new Document("token", mail.token()).append("tokenId", mail.tokenId()).append("password", "newpass456"));

        assertApiError(() -> auth.login("local-userpass", userpass("mia@example.com", "secret123"), "1.2.3.4", null), 401, "InvalidPassword", "invalid");
        assertThat(auth.login("local-userpass", userpass("mia@example.com", "newpass456"), "1.2.3.4", null).userId()).isNotBlank();
    }

    @Test
    void anExpiredAccessTokenIsAnInvalidSessionAndARefreshGivesAWorkingOne() {
        AuthService.LoginResult login = auth.login("anon-user", new Document(), "1.2.3.4", null);

        now.set(now.get().plus(Duration.ofMinutes(31)));

        assertApiError(() -> auth.authenticate(login.accessToken()), 401, "InvalidSession", "access token expired");
        String fresh = auth.refresh(login.refreshToken());
        assertThat(auth.authenticate(fresh).user().id()).isEqualTo(login.userId());
    }

    @Test
    void afterLogoutNeitherTokenWorks() {
        AuthService.LoginResult login = auth.login("anon-user", new Document(), "1.2.3.4", null);

        auth.logout(login.refreshToken());

        assertApiError(() -> auth.refresh(login.refreshToken()), 401, "InvalidSession", "failed to find refresh token");
        assertApiError(() -> auth.authenticate(login.accessToken()), 401, "InvalidSession", "logged out");
    }

    @Test
    void aRefreshTokenIsNotAnAccessTokenNorTheOtherWayRound() {
        AuthService.LoginResult login = auth.login("anon-user", new Document(), "1.2.3.4", null);

        assertApiError(() -> auth.authenticate(login.refreshToken()), 401, "InvalidSession", "expected a access token");
        assertApiError(() -> auth.refresh(login.accessToken()), 401, "InvalidSession", "expected a refresh token");
        assertApiError(() -> auth.authenticate("not.a.jwt"), 401, "InvalidSession", "not a valid token");
        assertApiError(() -> auth.authenticate(null), 401, "InvalidSession", "must authenticate first");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        Tokens other = new Tokens("another-key-another-key-another-k".getBytes(), clock, "todo-abcde", Duration.ofMinutes(30), Duration.ofDays(60));
        String forged = other.issueAccess("65a000000000000000000001", "s", "d", new Document());

        assertApiError(() -> auth.authenticate(forged), 401, "InvalidSession", "not issued by this app");
    }

    @Test
    void aDisabledProviderIsRefusedNamingTheFileToChange() {
        AuthService noAnon = authFor(app(true, true));
        assertApiError(() -> noAnon.login("anon-user", new Document(), "1.2.3.4", null), 401, "AuthProviderNotFound",
                "auth_providers/anon-user.json");
        assertApiError(() -> noAnon.login("oauth2-google", new Document(), "1.2.3.4", null), 404, "AuthProviderNotFound", "not configured");
    }

    @Test
    void aDisabledUserCannotLogInAndItsSessionsEnd() {
        auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123"));
        AuthService.LoginResult login = auth.login("local-userpass", userpass("mia@example.com", "secret123"), "1.2.3.4", null);

        auth.setDisabled(login.userId(), true);

        assertApiError(() -> auth.login("local-userpass", userpass("mia@example.com", "secret123"), "1.2.3.4", null), 401, "UserDisabled", "disabled");
        assertApiError(() -> auth.refresh(login.refreshToken()), 401, "InvalidSession", "refresh token");
        assertApiError(() -> auth.authenticate(login.accessToken()), 401, "UserDisabled", "disabled");
    }

    @Test
    void disablingAUserTakesEffectAtOnceEvenThoughUsersAreCached() {
        AuthService.LoginResult login = auth.login("anon-user", new Document(), "1.2.3.4", null);
        assertThat(auth.authenticate(login.accessToken()).user().disabled()).isFalse(); // now cached

        auth.setDisabled(login.userId(), true);

        assertApiError(() -> auth.authenticate(login.accessToken()), 401, "UserDisabled", "disabled");
    }

    @Test
    void repeatedWrongPasswordsAreThrottledPerAccountAndAddressNotForTheOwnerElsewhere() {
        auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123"));
        for (int i = 0; i < 10; i++) {
            int attempt = i;
            assertApiError(() -> auth.login("local-userpass", userpass("mia@example.com", "guess" + attempt + "xx"), "9.9.9.9", null),
                    401, "InvalidPassword", "invalid");
        }
        assertApiError(() -> auth.login("local-userpass", userpass("mia@example.com", "secret123"), "9.9.9.9", null), 429, "TooManyRequests", "try again in");
        assertThat(auth.login("local-userpass", userpass("mia@example.com", "secret123"), "1.2.3.4", null).userId()).isNotBlank();

        now.set(now.get().plus(Duration.ofMinutes(16)));
        assertThat(auth.login("local-userpass", userpass("mia@example.com", "secret123"), "9.9.9.9", null).userId()).isNotBlank();
    }

    @Test
    void userApiKeysLogInAsTheirOwnerAndCanBeDisabledAndDeleted() {
        AuthService.LoginResult owner = auth.login("anon-user", new Document(), "1.2.3.4", null);
        ApiKeyStore.CreatedKey key = auth.createUserApiKey(owner.refreshToken(), "laptop");

        assertThat(auth.listUserApiKeys(owner.refreshToken())).extracting(ApiKeyStore.ApiKey::name).containsExactly("laptop");
        assertThat(auth.login("api-key", new Document("key", key.secret()), "1.2.3.4", null).userId()).isEqualTo(owner.userId());

        auth.setUserApiKeyDisabled(owner.refreshToken(), key.key().id(), true);
        assertApiError(() -> auth.login("api-key", new Document("key", key.secret()), "1.2.3.4", null), 401, "InvalidPassword", "disabled");

        auth.deleteUserApiKey(owner.refreshToken(), key.key().id());
        assertThat(auth.listUserApiKeys(owner.refreshToken())).isEmpty();
        assertApiError(() -> auth.userApiKey(owner.refreshToken(), key.key().id()), 404, "APIKeyNotFound", key.key().id());
    }

    @Test
    void serverApiKeysLogInAsServerUsers() {
        ApiKeyStore.CreatedKey key = auth.createServerApiKey("backend");

        AuthService.LoginResult login = auth.login("api-key", new Document("key", key.secret()), "1.2.3.4", null);

        User user = auth.authenticate(login.accessToken()).user();
        assertThat(user.type()).isEqualTo("server");
        assertThat(auth.login("api-key", new Document("key", key.secret()), "1.2.3.4", null).userId()).isEqualTo(user.id());
        assertApiError(() -> auth.login("api-key", new Document("key", "nope"), "1.2.3.4", null), 401, "InvalidPassword", "invalid API key");
    }

    @Test
    void anAnonymousUserLinksAnEmailPasswordIdentityAndKeepsItsId() {
        AuthService.LoginResult anon = auth.login("anon-user", new Document(), "1.2.3.4", null);
        auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123"));

        AuthService.LoginResult linked = auth.login("local-userpass", userpass("mia@example.com", "secret123"), "1.2.3.4", anon.accessToken());

        assertThat(linked.userId()).isEqualTo(anon.userId());
        User user = auth.authenticate(linked.accessToken()).user();
        assertThat(user.identities()).extracting(User.Identity::providerType).containsExactly("anon-user", "local-userpass");
        assertThat(user.data().getString("email")).isEqualTo("mia@example.com");
        assertThat(auth.login("local-userpass", userpass("mia@example.com", "secret123"), "1.2.3.4", null).userId())
                .as("a later plain login finds the linked user").isEqualTo(anon.userId());
    }

    @Test
    void deletingAUserEndsItsSessionsAndFreesItsEmail() {
        auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123"));
        AuthService.LoginResult login = auth.login("local-userpass", userpass("mia@example.com", "secret123"), "1.2.3.4", null);

        auth.deleteUser(login.userId());

        assertApiError(() -> auth.authenticate(login.accessToken()), 401, "InvalidSession", "no longer exists");
        assertApiError(() -> auth.refresh(login.refreshToken()), 401, "InvalidSession", "refresh token");
        auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123"));
    }

    @Test
    void accessTokensCarryCustomUserDataAndTheClaimsTheSdksRead() throws Exception {
        AuthService.LoginResult login = auth.login("anon-user", new Document(), "1.2.3.4", null);

        var claims = com.nimbusds.jwt.SignedJWT.parse(login.accessToken()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(login.userId());
        assertThat(claims.getClaim("user_data")).isEqualTo(java.util.Map.of("team", "blue"));
        assertThat(claims.getStringClaim("baas_device_id")).isEqualTo(login.deviceId());
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(now.get());
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(now.get().plus(Duration.ofMinutes(30)));
    }

    @Test
    void refusedRequestsChangeNothing() {
        auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123"));
        long users = state.getCollection("users").countDocuments();
        long sessions = state.getCollection("sessions").countDocuments();
        long accounts = state.getCollection("userpass_accounts").countDocuments();

        assertThatThrownBy(() -> auth.login("local-userpass", userpass("mia@example.com", "bad-password"), "1.2.3.4", null));
        assertThatThrownBy(() -> auth.register("local-userpass", new Document("email", "mia@example.com").append("password", "secret123")));
        assertThatThrownBy(() -> auth.register("local-userpass", new Document("email", "not-an-email").append("password", "secret123")));
        assertThatThrownBy(() -> auth.login("local-userpass", new Document("username", "mia@example.com"), "1.2.3.4", null));

        assertThat(state.getCollection("users").countDocuments()).isEqualTo(users);
        assertThat(state.getCollection("sessions").countDocuments()).isEqualTo(sessions);
        assertThat(state.getCollection("userpass_accounts").countDocuments()).isEqualTo(accounts);
    }
}
