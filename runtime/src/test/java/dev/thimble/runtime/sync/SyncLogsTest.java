package dev.thimble.runtime.sync;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Each sync event of a real client's session is a record in the app's logs (what the Logs panel and the admin API show). */
class SyncLogsTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    static List<LogRecord> records(String userId, LogType type) {
        return SERVER.host().logs().recent(10_000).stream().filter(r -> r.type() == type && userId.equals(r.userId())).toList();
    }

    static String text(List<LogRecord> records) {
        return records.stream().flatMap(r -> r.messages().stream()).reduce("", (a, b) -> a + "\n" + b);
    }

    @Test
    void aSessionsEventsAreLogRecordsOfItsUser() throws Exception {
        String userId;
        ObjectId written = new ObjectId();
        ObjectId downloaded = new ObjectId();
        try (RealmSyncClient client = SyncApps.client(SERVER.host(), Files.createDirectories(SERVER.temp().resolve("logged")))) {
            userId = client.userId();
            assertThat(client.subscribe("Item", "owner_id == \"logs\"").complete()).isTrue();
            client.create("Item", written, Map.of("owner_id", "logs", "name", "uploaded"));
            client.waitForUpload();
            SERVER.host().database().database("shop").getCollection("items")
                    .insertOne(new Document("_id", downloaded).append("owner_id", "logs").append("name", "downloaded"));
            assertThat(eventually(() -> client.get("Item", downloaded, List.of("name")))).isEqualTo(Map.of("name", "downloaded"));

            assertThat(records(userId, LogType.SYNC_CONNECTION_START)).isNotEmpty();
            assertThat(text(records(userId, LogType.SYNC_SESSION_START))).contains("bootstrap");
            assertThat(text(records(userId, LogType.SYNC_OTHER))).contains("owner_id == \\\"logs\\\"").contains("Bootstrap: 0 objects");
            assertThat(text(records(userId, LogType.SYNC_CLIENT_WRITE))).contains("1 objects written").contains(written.toHexString());
            assertThat(eventually(() -> text(records(userId, LogType.SYNC_OTHER)).contains(downloaded.toHexString()) ? "ok" : null))
                    .as("a download of the driver's insert is logged").isEqualTo("ok");
            assertThat(records(userId, LogType.SYNC_ERROR)).isEmpty();

            client.goOffline(); // the client unbinds its session
            assertThat(eventually(() -> records(userId, LogType.SYNC_SESSION_END).isEmpty() ? null : "ended")).isEqualTo("ended");
        }
    }

    @Test
    void aRefusedQueryIsASyncErrorRecord() throws Exception {
        try (RealmSyncClient client = SyncApps.client(SERVER.host(), Files.createDirectories(SERVER.temp().resolve("refused")))) {
            assertThat(client.subscribe("Item", "note == \"x\"").complete()).isFalse();
            assertThat(records(client.userId(), LogType.SYNC_ERROR)).anySatisfy(r -> {
                assertThat(r.errorCode()).isEqualTo("SyncError226");
                assertThat(r.error()).contains("\"note\" is not a queryable field");
            });
        }
    }
}
