package dev.thimble.runtime.sync;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** A bounded server history: a client offline for longer than it reaches back gets a client reset, not a partial catch-up. */
class SyncCompactionTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer().withStartProperty("thimble.sync.historyLimit", "20");

    @Test
    void aClientBehindTheCompactedHistoryIsToldToResetAndARecentOneResumes() throws Exception {
        var items = SERVER.host().database().database("shop").getCollection("items");
        var history = SERVER.host().database().database(AppHost.stateDatabaseName(SERVER.host().app().clientAppId())).getCollection("sync_history");
        try (RealmSyncClient behind = SyncApps.client(SERVER.host(), Files.createDirectories(SERVER.temp().resolve("behind")));
             RealmSyncClient recent = SyncApps.client(SERVER.host(), Files.createDirectories(SERVER.temp().resolve("recent")))) {
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
