package dev.thimble.runtime.sync;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** A bounded server history: a client offline for longer than it reaches back gets a client reset, not a partial catch-up. */
class SyncCompactionTest {
    @TempDir
    static Path temp;
    static AppHost host;

    @BeforeAll
    static void serve() {
        System.setProperty("thimble.sync.historyLimit", "20");
        try {
            host = SyncApps.serve(temp);
        } finally {
            System.clearProperty("thimble.sync.historyLimit"); // read when the app's sync starts; other hosts keep the default
        }
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void aClientBehindTheCompactedHistoryIsToldToResetAndARecentOneResumes() throws Exception {
        var items = host.database().database("shop").getCollection("items");
        var history = host.database().database(AppHost.stateDatabaseName(host.app().clientAppId())).getCollection("sync_history");
        try (RealmSyncClient behind = SyncApps.client(host, Files.createDirectories(temp.resolve("behind")));
             RealmSyncClient recent = SyncApps.client(host, Files.createDirectories(temp.resolve("recent")))) {
            assertThat(behind.subscribe("Item", "owner_id == \"compact\"").complete()).isTrue();
            assertThat(recent.subscribe("Item", "owner_id == \"compact\"").complete()).isTrue();
            behind.goOffline();
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                docs.add(new Document("_id", new ObjectId()).append("owner_id", "compact").append("name", "n" + i));
            }
            items.insertMany(docs);
            ObjectId last = docs.getLast().getObjectId("_id");
            // The recent client follows the changes live; the history keeps only the newest entries.
            assertThat(eventually(() -> recent.get("Item", last, List.of("name")) != null ? "held" : null))
                    .isEqualTo("held");
            assertThat(eventually(() -> history.countDocuments() <= 22 ? "compacted" : null)).isEqualTo("compacted");

            behind.goOnline();
            assertThat(eventually(() -> behind.syncErrors().stream().anyMatch(e -> e.contains("expired")) ? "reset" : null))
                    .as("sync errors: %s", behind.syncErrors()).isEqualTo("reset");
            // The recent client's history was kept: it goes on syncing.
            recent.update("Item", last, Map.of("name", "still syncing"));
            recent.waitForUpload();
            assertThat(items.find(new Document("_id", last)).first().getString("name")).isEqualTo("still syncing");
            assertThat(recent.syncErrors()).isEmpty();
        }
    }
}
