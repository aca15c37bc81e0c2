package dev.thimble.runtime.sync;

import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Realm client (realm-core through JNA) logs in to a served app over our HTTP transport. */
class RealmClientHarnessTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    @Test
    void realClientLogsInAndOpensAFlexibleSyncRealm() throws Exception {
        Path dir = Files.createDirectories(SERVER.temp().resolve("client"));
        try (RealmSyncClient client = SyncApps.client(SERVER.host(), dir)) {
            assertThat(client.userId()).matches("[0-9a-f]{24}");
            assertThat(client.count("Item")).isZero();
        }
    }
}
