package dev.thimble.runtime.sync;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Realm client (realm-core through JNA) logs in to a served app over our HTTP transport. */
class RealmClientHarnessTest {
    @TempDir
    static Path temp;
    static AppHost host;

    @BeforeAll
    static void serve() {
        host = SyncApps.serve(temp);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void realClientLogsInAndOpensAFlexibleSyncRealm() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("client"));
        try (RealmSyncClient client = SyncApps.client(host, dir)) {
            assertThat(client.userId()).matches("[0-9a-f]{24}");
            assertThat(client.count("Item")).isZero();
        }
    }
}
