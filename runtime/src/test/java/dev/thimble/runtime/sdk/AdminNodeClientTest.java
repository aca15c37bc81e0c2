package dev.thimble.runtime.sdk;

import dev.thimble.runtime.admin.AdminApi;
import dev.thimble.runtime.admin.AdminIdentities;
import dev.thimble.runtime.apps.AppHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated admin client from npm ({@code atlas-app-services-admin-api}, pinned in
 * test-clients/package-lock.json) drives a real server home through the mongodb-cloud key-pair login
 * and builds an app that realm-web then uses ({@code test-clients/tests/admin-api.test.mjs}); and sets an
 * app's allowed request origins that realm-web, sending a browser's {@code Origin}, then meets
 * ({@code test-clients/tests/admin-origins.test.mjs}).
 */
class AdminNodeClientTest {
    @TempDir
    Path home;

    @Test
    void theNpmAdminClientBuildsAnAppFromNothingThatRealmWebUses() throws Exception {
        try (AppHome appHome = AppHome.start(home, AppHome.Settings.defaults().withPort(0).withScanInterval(Duration.ofMillis(200)))) {
            AdminApi.mount(appHome);
            AdminIdentities.CreatedKey key = new AdminIdentities(appHome.stateFolder()).createCloudKey("npm client");
            NodeSdkRunner.Result result = NodeSdkRunner.run(Map.of("THIMBLE_BASE_URL", appHome.baseUrl(),
                    "THIMBLE_ADMIN_PUBLIC_KEY", key.publicKey(), "THIMBLE_ADMIN_PRIVATE_KEY", key.secret()), 120, "admin-api.test.mjs");
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).as(result.output()).contains("# pass 1", "# fail 0");
            assertThat(appHome.served()).isEmpty();
        }
    }

    @Test
    void allowedOriginsSetWithTheNpmClientAreEnforcedForRealmWebSendingABrowsersOrigin() throws Exception {
        try (AppHome appHome = AppHome.start(home, AppHome.Settings.defaults().withPort(0).withScanInterval(Duration.ofMillis(200)))) {
            AdminApi.mount(appHome);
            AdminIdentities.CreatedKey key = new AdminIdentities(appHome.stateFolder()).createCloudKey("npm client");
            NodeSdkRunner.Result result = NodeSdkRunner.run(Map.of("THIMBLE_BASE_URL", appHome.baseUrl(),
                    "THIMBLE_ADMIN_PUBLIC_KEY", key.publicKey(), "THIMBLE_ADMIN_PRIVATE_KEY", key.secret()), 120, "admin-origins.test.mjs");
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).as(result.output()).contains("# pass 1", "# fail 0");
            assertThat(appHome.served()).isEmpty();
        }
    }
}
