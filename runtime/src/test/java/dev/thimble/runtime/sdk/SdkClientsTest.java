package dev.thimble.runtime.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unmodified Stitch JS SDK 4.9.0 and realm-web 2.0.1 against a real Thimble server serving the
 * example app, with 3-second access tokens so refreshes happen. The app gets what the provider tests
 * need: an HS256 custom-token provider, a disabled one ({@code custom-token-retired}), a custom-function
 * provider, and confirmation and reset functions on the email/password provider.
 */
class SdkClientsTest {
    static final int ACCESS_TOKEN_SECONDS = 3;
    /** The custom-token provider's HS256 signing key; the Node tests mint JWTs with it. */
    static final String JWT_KEY = "sdk-tests-jwt-signing-key-0123456789abcdef";

    /** The functions the auth providers run; usernames and answers say what they do. */
    static final List<FunctionDef> AUTH_FUNCTIONS = List.of(
            new FunctionDef(Json.parse("{\"name\":\"authByPin\",\"private\":true}"), """
                    exports = ({ username, pin }) => {
                      if (pin !== 1234) throw new Error(`wrong PIN for ${username}`);
                      return { id: `fn-${username}`, name: username };
                    };"""),
            // "fail-…" fails; "pending-…" stays pending until it is retried; everyone else is confirmed.
            new FunctionDef(Json.parse("{\"name\":\"confirmByPrefix\",\"private\":true}"), """
                    exports = async ({ token, tokenId, username }) => {
                      if (username.startsWith('fail-')) return { status: 'fail' };
                      if (username.startsWith('pending-')) {
                        const attempts = context.services.get('mongodb-atlas').db('sdk_tests').collection('confirmations');
                        const earlier = await attempts.findOne({ username });
                        await attempts.insertOne({ username, tokenId });
                        return { status: earlier ? 'success' : 'pending' };
                      }
                      return { status: 'success' };
                    };"""),
            new FunctionDef(Json.parse("{\"name\":\"resetWithAnswer\",\"private\":true}"), """
                    exports = ({ token, tokenId, username, password }, answer) =>
                      ({ status: answer === 'blue' ? 'success' : answer === 'later' ? 'pending' : 'fail' });"""));

    @TempDir
    static Path temp;
    static AppHost host;
    static FakeOAuthProvider oauth;
    static FakeJwksProvider jwks;
    static Map<String, String> env;

    @BeforeAll
    static void serveTheExampleApp() throws java.io.IOException {
        oauth = new FakeOAuthProvider();
        jwks = new FakeJwksProvider();
        AppModel todo = AppBundles.read(Path.of("../examples/todo")).app();
        List<AuthProviderDef> providers = new ArrayList<>(todo.authProviders());
        providers.replaceAll(p -> p.type().equals("local-userpass") ? userpassWithFunctions(p) : p);
        providers.add(new AuthProviderDef(Json.parse("""
                {"name": "custom-token", "type": "custom-token",
                 "config": {"signingAlgorithm": "HS256", "audience": ["%s"]},
                 "secret_config": {"signingKeys": ["sdkJwtKey"]},
                 "metadata_fields": [{"required": true, "name": "user_data.name", "field_name": "name"}]}
                """.formatted(todo.clientAppId()))));
        providers.add(new AuthProviderDef(Json.parse("{\"name\":\"custom-token-retired\",\"type\":\"custom-token\",\"disabled\":true}")));
        providers.add(new AuthProviderDef(Json.parse(
                "{\"name\":\"custom-function\",\"type\":\"custom-function\",\"config\":{\"authFunctionName\":\"authByPin\"}}")));
        providers.add(new AuthProviderDef(Json.parse("""
                {"name": "oauth2-google", "type": "oauth2-google",
                 "config": {"clientId": "%s", "tokenUrl": "%s", "userInfoUrl": "%s", "jwksUrl": "%s"},
                 "secret_config": {"clientSecret": "googleClientSecret"},
                 "metadata_fields": [{"required": true, "name": "email"}, {"name": "name"}], "redirect_uris": []}
                """.formatted(FakeOAuthProvider.CLIENT_ID, oauth.url("/token"), oauth.url("/userinfo"), jwks.url("/google/certs")))));
        providers.add(new AuthProviderDef(Json.parse("""
                {"name": "oauth2-apple", "type": "oauth2-apple",
                 "config": {"clientId": "com.example.todo.web", "audience": ["com.example.todo"], "jwksUrl": "%s"},
                 "metadata_fields": [{"name": "email"}], "redirect_uris": []}
                """.formatted(jwks.url("/apple/keys")))));
        providers.add(new AuthProviderDef(Json.parse("""
                {"name": "oauth2-facebook", "type": "oauth2-facebook",
                 "config": {"clientId": "%s", "userInfoUrl": "%s"},
                 "secret_config": {"clientSecret": "googleClientSecret"},
                 "metadata_fields": [{"name": "name"}], "redirect_uris": []}
                """.formatted(FakeOAuthProvider.CLIENT_ID, oauth.url("/userinfo")))));
        List<FunctionDef> functions = new ArrayList<>(todo.functions());
        functions.addAll(AUTH_FUNCTIONS);
        AppModel app = new AppModel(todo.metadata(), providers, functions, todo.services(), todo.triggers(),
                todo.values(), todo.secretNames(), todo.environments(), todo.endpoints(), todo.otherFiles());
        SecretStore secrets = new SecretStore(temp.resolve("secrets.json"));
        secrets.set("sdkJwtKey", JWT_KEY);
        secrets.set("googleClientSecret", FakeOAuthProvider.CLIENT_SECRET);
        AppHost.HostSettings settings = AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("db")), secrets)
                .withTokenLifetimes(Duration.ofSeconds(ACCESS_TOKEN_SECONDS), Duration.ofDays(60));
        host = AppHost.start(app, settings);
        env = Map.ofEntries(
                Map.entry("THIMBLE_GOOGLE_ID_TOKEN", jwks.idToken(FakeJwksProvider.GOOGLE_ISSUER, FakeOAuthProvider.CLIENT_ID, "google-sub-1",
                        Map.of("email", "gia@example.com", "name", "Gia"))),
                Map.entry("THIMBLE_GOOGLE_ID_TOKEN_OTHER_APP", jwks.idToken(FakeJwksProvider.GOOGLE_ISSUER, "someone-elses-client",
                        "google-sub-1", Map.of("email", "gia@example.com"))),
                Map.entry("THIMBLE_GOOGLE_ID_TOKEN_EXPIRED", jwks.expired(FakeJwksProvider.GOOGLE_ISSUER, FakeOAuthProvider.CLIENT_ID, "google-sub-1")),
                Map.entry("THIMBLE_APPLE_ID_TOKEN", jwks.idToken(FakeJwksProvider.APPLE_ISSUER, "com.example.todo", "apple-sub-1",
                        Map.of("email", "ana@privaterelay.appleid.com"))),
                Map.entry("THIMBLE_APPLE_ID_TOKEN_FORGED", jwks.forged(FakeJwksProvider.APPLE_ISSUER, "com.example.todo", "apple-sub-1")),
                Map.entry("THIMBLE_APPLE_ID_TOKEN_GOOGLE_ISSUER", jwks.idToken(FakeJwksProvider.GOOGLE_ISSUER, "com.example.todo",
                        "apple-sub-1", Map.of())),
                Map.entry("THIMBLE_BASE_URL", host.baseUrl()),
                Map.entry("THIMBLE_APP_ID", app.clientAppId()),
                Map.entry("THIMBLE_SERVER_API_KEY", host.auth().createServerApiKey("sdk-tests").secret()),
                Map.entry("THIMBLE_ACCESS_TOKEN_SECONDS", String.valueOf(ACCESS_TOKEN_SECONDS)),
                Map.entry("THIMBLE_JWT_KEY", JWT_KEY),
                Map.entry("THIMBLE_GOOGLE_AUTH_CODE", FakeOAuthProvider.GOOGLE_AUTH_CODE),
                Map.entry("THIMBLE_FACEBOOK_TOKEN", FakeOAuthProvider.FACEBOOK_ACCESS_TOKEN));
    }

    /** The example's email/password provider, confirming through confirmByPrefix and resetting through resetWithAnswer. */
    private static AuthProviderDef userpassWithFunctions(AuthProviderDef example) {
        ObjectNode provider = example.config().object().deepCopy();
        ((ObjectNode) provider.get("config"))
                .put("autoConfirm", false)
                .put("runConfirmationFunction", true).put("confirmationFunctionName", "confirmByPrefix")
                .put("runResetFunction", true).put("resetFunctionName", "resetWithAnswer");
        return new AuthProviderDef(Json.of(provider));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        if (oauth != null) {
            oauth.close();
        }
        if (jwks != null) {
            jwks.close();
        }
    }

    @Test
    void bothSdksLogInWithGoogleAndFacebookAgainstAFakeProvider() throws Exception {
        assertAllPass(NodeSdkRunner.run(env, "oauth.test.mjs"));
    }

    @Test
    void realmWebLogsInWithGoogleAndAppleIdTokensVerifiedAgainstTheProvidersKeys() throws Exception {
        assertAllPass(NodeSdkRunner.run(env, "id-token.test.mjs"));
        assertThat(jwks.fetches()).as("the key sets are fetched once per provider and then cached").isEqualTo(2);
    }

    @Test
    void bothSdksAuthenticate() throws Exception {
        assertAllPass(NodeSdkRunner.run(env, "realm-auth.test.mjs", "stitch-auth.test.mjs"));
    }

    @Test
    void bothSdksLogInWithCustomJwtsAndAuthFunctionsAndRunTheConfirmationAndResetFunctions() throws Exception {
        assertAllPass(NodeSdkRunner.run(env, "realm-providers.test.mjs", "stitch-providers.test.mjs"));
    }

    @Test
    void bothSdksCallFunctionsAndQueryUnderTheRules() throws Exception {
        assertAllPass(NodeSdkRunner.run(env, "realm-data.test.mjs", "stitch-data.test.mjs"));
    }

    @Test
    void bothSdksWatchChangesUnderTheRules() throws Exception {
        assertAllPass(NodeSdkRunner.run(env, "realm-watch.test.mjs", "stitch-watch.test.mjs"));
    }

    private static void assertAllPass(NodeSdkRunner.Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as(result.output()).contains("# fail 0", "# skipped 0").doesNotContain("# pass 0");
    }
}
