package dev.thimble.runtime.sync;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.ServerOfApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device Sync on the multi-app server ({@code thimble server}): two sync apps mounted on one port and
 * one database, each with its own client files, history and rules, both syncing the same collection.
 */
class MultiAppSyncTest {
    @TempDir
    Path temp;

    @Test
    void twoMountedAppsSyncTheirOwnClientsOverOnePort() throws Exception {
        try (ServerOfApps server = ServerOfApps.start("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("db")));
             AppHost shop = server.mount(AppBundles.read(SyncApps.BUNDLE).app(), new SecretStore(temp.resolve("shop.json")), null, null);
             AppHost rules = server.mount(AppBundles.read(SyncApps.RULES_BUNDLE).app(), new SecretStore(temp.resolve("rules.json")), null, null);
             RealmSyncClient open = RealmSyncClient.open(server.baseUrl(), shop.app().clientAppId(),
                     Files.createDirectories(temp.resolve("open")), SyncApps.SCHEMA);
             RealmSyncClient owner = RealmSyncClient.open(server.baseUrl(), rules.app().clientAppId(),
                     Files.createDirectories(temp.resolve("owner")), SyncApps.RULES_SCHEMA)) {
            assertThat(shop.baseUrl()).isEqualTo(rules.baseUrl());
            assertThat(open.subscribe("Item", "TRUEPREDICATE").complete()).isTrue();
            assertThat(owner.subscribe("Item", "TRUEPREDICATE").complete()).isTrue();

            // A write through the owner-only app reaches the open app's client (same collection, other app).
            ObjectId ownersItem = new ObjectId();
            owner.create("Item", ownersItem, Map.of("owner_id", owner.userId(), "name", "owner's"));
            owner.waitForUpload();
            assertThat(eventually(() -> open.get("Item", ownersItem, List.of("name")))).isEqualTo(Map.of("name", "owner's"));

            // A write through the open app reaches the owner-only app's client only when its rules allow it.
            ObjectId othersItem = new ObjectId();
            ObjectId givenToOwner = new ObjectId();
            open.create("Item", othersItem, Map.of("owner_id", "someone-else", "name", "not the owner's"));
            open.create("Item", givenToOwner, Map.of("owner_id", owner.userId(), "name", "for the owner"));
            open.waitForUpload();
            assertThat(eventually(() -> owner.get("Item", givenToOwner, List.of("name")))).isEqualTo(Map.of("name", "for the owner"));
            assertThat(owner.get("Item", othersItem, List.of("name"))).isNull();

            // Each app keeps its own client files in its own state database.
            for (AppHost app : List.of(shop, rules)) {
                long files = server.database().database(AppHost.stateDatabaseName(app.app().clientAppId()))
                        .getCollection("sync_clients").countDocuments();
                assertThat(files).as("client files of %s", app.app().clientAppId()).isEqualTo(1);
            }
            assertThat(server.database().database("shop").getCollection("items").countDocuments(new Document("_id", othersItem)))
                    .isEqualTo(1);
        }
    }
}
