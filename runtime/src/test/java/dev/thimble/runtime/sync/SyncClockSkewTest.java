package dev.thimble.runtime.sync;

import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.sync.SyncTypesTest.field;
import static dev.thimble.runtime.sync.SyncTypesTest.holds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decision record 0051's clock-skew case (settled by 0065): a client whose clock runs behind another's increments a
 * counter, or sets a field, after it has seen that other client's set, whose timestamp is later than its own write's.
 * realm-core never sends a client a set again once the client holds it, so the client keeps its write; a catch-up that
 * sent the object whole, each field as its last set's value and stamp, made the client's transform drop the write (the
 * set is "later") while the server, which judges by what the client had seen, applied it.
 *
 * <p>Its own server: the app must have no increment recorded yet (the path where counters still went as whole values).
 * The skew is made with a protocol-level client whose clock is an hour ahead, which is the same for the real client as
 * its own clock being an hour behind.
 */
class SyncClockSkewTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    static RealmSyncClient client(String name) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                Files.createDirectories(SERVER.temp().resolve(name)), SyncTypesTest.SCHEMA);
        assertThat(client.subscribe("Parcel", "owner_id == \"skew\"").complete()).isTrue();
        return client;
    }

    static BsonDocument stored(ObjectId id) {
        return SERVER.host().database().database("shop").getCollection("parcels", BsonDocument.class)
                .find(new BsonDocument("_id", new BsonObjectId(id))).first();
    }

    @Test
    void anIncrementMadeAfterSeeingASetStampedLaterIsKeptByAClientResumingWithACatchUp() throws Exception {
        SyncRouteTest.Frames frames = new SyncRouteTest.Frames();
        SyncListMergeTest.RawSession ahead = SyncListMergeTest.RawSession.open(SERVER, frames);
        try (RealmSyncClient a = client("skew-a"); RealmSyncClient b = client("skew-b")) {
            ObjectId id = new ObjectId();
            a.create("Parcel", id, Map.of("owner_id", "skew"));
            a.waitForUpload();
            assertThat(holds(b, field(id, "hits"), 0L)).isEqualTo(0L);

            // A client whose clock is an hour ahead sets the counter and a field: A and B hold them.
            BsonObjectId pk = new BsonObjectId(id);
            long anHourAhead = System.currentTimeMillis() - 1_420_070_400_000L + 3_600_000L; // sync timestamps count from 2015-01-01
            ahead.upload(List.of(new Instruction.CreateObject("Parcel", pk), new Instruction.Update("Parcel", pk, "hits", new BsonInt64(10), false),
                    new Instruction.Update("Parcel", pk, "extra", new org.bson.BsonString("ahead"), false)), anHourAhead, 0);
            assertThat(holds(a, field(id, "hits"), 10L)).isEqualTo(10L);
            assertThat(holds(b, field(id, "extra"), "ahead")).isEqualTo("ahead");

            // A, offline, increments and sets what it saw; the object changes meanwhile, so A's catch-up carries it.
            a.goOffline();
            a.increment("Parcel", id, "hits", 1);
            a.update("Parcel", id, Map.of("extra", "mine"));
            b.update("Parcel", id, Map.of("ratio", 0.5f));
            b.waitForUpload();
            SyncTypesTest.backOnline(a);
            b.waitForDownload();

            assertThat(holds(a, field(id, "ratio"), 0.5f)).as("A caught up with B's change").isEqualTo(0.5f);
            assertThat(stored(id).get("hits").asNumber().longValue()).as("MongoDB").isEqualTo(11L);
            assertThat(holds(b, field(id, "hits"), 11L)).as("B").isEqualTo(11L);
            assertThat(holds(a, field(id, "hits"), 11L)).as("A kept its increment").isEqualTo(11L);
            assertThat(stored(id).get("extra").asString().getValue()).as("MongoDB").isEqualTo("mine");
            assertThat(holds(b, field(id, "extra"), "mine")).as("B").isEqualTo("mine");
            assertThat(holds(a, field(id, "extra"), "mine")).as("A kept its set").isEqualTo("mine");
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        } finally {
            ahead.ws().abort();
        }
    }
}
