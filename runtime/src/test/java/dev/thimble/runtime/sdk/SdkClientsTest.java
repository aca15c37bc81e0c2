package dev.thimble.runtime.sdk;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
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
 * example app (plus a disabled custom-token provider), with 3-second access tokens so refreshes happen.
 */
class SdkClientsTest {
    static final int ACCESS_TOKEN_SECONDS = 3;

    @TempDir
    static Path temp;
    static AppHost host;
    static Map<String, String> env;

    @BeforeAll
    static void serveTheExampleApp() {
        AppModel todo = AppBundles.read(Path.of("../examples/todo")).app();
        List<AuthProviderDef> providers = new ArrayList<>(todo.authProviders());
        providers.add(new AuthProviderDef(Json.parse("{\"name\":\"custom-token\",\"type\":\"custom-token\",\"disabled\":true}")));
        AppModel app = new AppModel(todo.metadata(), providers, todo.functions(), todo.services(), todo.triggers(),
                todo.values(), todo.secretNames(), todo.environments(), todo.endpoints(), todo.otherFiles());
        AppHost.HostSettings settings = AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("db")),
                        new SecretStore(temp.resolve("secrets.json")))
                .withTokenLifetimes(Duration.ofSeconds(ACCESS_TOKEN_SECONDS), Duration.ofDays(60));
        host = AppHost.start(app, settings);
        env = Map.of(
                "THIMBLE_BASE_URL", host.baseUrl(),
                "THIMBLE_APP_ID", app.clientAppId(),
                "THIMBLE_SERVER_API_KEY", host.auth().createServerApiKey("sdk-tests").secret(),
                "THIMBLE_ACCESS_TOKEN_SECONDS", String.valueOf(ACCESS_TOKEN_SECONDS));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void bothSdksAuthenticate() throws Exception {
        assertAllPass(NodeSdkRunner.run(env, "realm-auth.test.mjs", "stitch-auth.test.mjs"));
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
