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
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sync under the app's rules, with the real Realm sync client: {@code shop.items} lets a user read
 * and write only documents whose {@code owner_id} is their id; {@code shop.notes} has a rule that
 * grants no role.
 */
class SyncRulesTest {
    @TempDir
    static Path temp;
    static AppHost host;

    @BeforeAll
    static void serve() {
        host = SyncApps.serve(temp, SyncApps.RULES_BUNDLE);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    static RealmSyncClient client(String name) throws Exception {
        return RealmSyncClient.open(host.baseUrl(), host.app().clientAppId(), Files.createDirectories(temp.resolve(name)),
                SyncApps.RULES_SCHEMA);
    }

    static org.bson.Document items(ObjectId id) {
        return host.database().database("shop").getCollection("items").find(new Document("_id", id)).first();
    }

    static void insertItem(ObjectId id, String owner, String name) {
        host.database().database("shop").getCollection("items")
                .insertOne(new Document("_id", id).append("owner_id", owner).append("name", name));
    }

    @Test
    void aUserReceivesOnlyTheDocumentsTheRulesLetThemRead() throws Exception {
        try (RealmSyncClient client = client("owner")) {
            ObjectId mine = new ObjectId();
            ObjectId theirs = new ObjectId();
            insertItem(mine, client.userId(), "my lamp");
            insertItem(theirs, "someone-else", "their lamp");
            assertThat(client.subscribe("Item", "TRUEPREDICATE").complete()).isTrue();
            assertThat(client.get("Item", mine, List.of("name"))).isEqualTo(Map.of("name", "my lamp"));
            assertThat(client.get("Item", theirs, List.of("name"))).isNull();

            // Live changes: another user's new document never arrives; the user's own does (it is sent after the other).
            ObjectId theirsLater = new ObjectId();
            ObjectId mineLater = new ObjectId();
            insertItem(theirsLater, "someone-else", "their chair");
            insertItem(mineLater, client.userId(), "my chair");
            assertThat(eventually(() -> client.get("Item", mineLater, List.of("name")))).isEqualTo(Map.of("name", "my chair"));
            assertThat(client.get("Item", theirsLater, List.of("name"))).isNull();
            assertThat(client.count("Item")).isEqualTo(2);

            // A document that stops being the user's leaves the client.
            host.database().database("shop").getCollection("items")
                    .updateOne(new Document("_id", mine), new Document("$set", new Document("owner_id", "someone-else")));
            assertThat(eventually(() -> client.get("Item", mine, List.of("name")) == null ? Boolean.TRUE : null)).isTrue();
        }
    }

    @Test
    void aWriteTheRulesForbidIsNotAppliedAndComesBackAsACompensatingWrite() throws Exception {
        try (RealmSyncClient client = client("forger")) {
            assertThat(client.subscribe("Item", "TRUEPREDICATE").complete()).isTrue();
            ObjectId forged = new ObjectId();
            client.create("Item", forged, Map.of("owner_id", "someone-else", "name", "forged"));
            List<String> errors = eventually(() -> client.syncErrors().isEmpty() ? null : client.syncErrors());
            assertThat(errors).anySatisfy(e -> assertThat(e)
                    .contains("Compensating write")
                    .contains("not allowed by the rules")
                    .contains("role \"owner\"")
                    .contains("DOCUMENT_FILTER"));
            assertThat(items(forged)).isNull();
            assertThat(eventually(() -> client.get("Item", forged, List.of("name")) == null ? Boolean.TRUE : null))
                    .as("the forged object is erased on the client").isTrue();

            // Giving one's own item away is an update the write filter refuses on the document after it:
            // MongoDB keeps the owner, and the client gets the stored document back.
            ObjectId mine = new ObjectId();
            insertItem(mine, client.userId(), "mine");
            assertThat(eventually(() -> client.get("Item", mine, List.of("name")))).isEqualTo(Map.of("name", "mine"));
            client.update("Item", mine, Map.of("owner_id", "someone-else", "name", "given away"));
            assertThat(eventually(() -> client.syncErrors().size() >= 2 ? Boolean.TRUE : null)).isTrue();
            assertThat(items(mine).getString("owner_id")).isEqualTo(client.userId());
            assertThat(items(mine).getString("name")).isEqualTo("mine");
            assertThat(eventually(() -> {
                Map<String, Object> v = client.get("Item", mine, List.of("owner_id", "name"));
                return v != null && "mine".equals(v.get("name")) ? v : null;
            })).isEqualTo(Map.of("owner_id", client.userId(), "name", "mine"));

            // The session goes on: an allowed write still reaches MongoDB.
            ObjectId allowed = new ObjectId();
            client.create("Item", allowed, Map.of("owner_id", client.userId(), "name", "allowed"));
            client.waitForUpload();
            assertThat(items(allowed).getString("name")).isEqualTo("allowed");
        }
    }

    @Test
    void aClassWhoseRuleGrantsNoRoleSyncsNothing() throws Exception {
        ObjectId note = new ObjectId();
        host.database().database("shop").getCollection("notes").insertOne(new Document("_id", note).append("text", "secret"));
        try (RealmSyncClient client = client("noteless")) {
            assertThat(client.subscribe("Note", "TRUEPREDICATE").complete()).isTrue();
            assertThat(client.count("Note")).isZero();
            ObjectId later = new ObjectId();
            host.database().database("shop").getCollection("notes").insertOne(new Document("_id", later).append("text", "later"));
            // A user's own Item written after the note arrives, so the note had its chance to be sent first.
            ObjectId mine = new ObjectId();
            assertThat(client.subscribe("Item", "TRUEPREDICATE").complete()).isTrue();
            insertItem(mine, client.userId(), "marker");
            assertThat(eventually(() -> client.get("Item", mine, List.of("name")))).isEqualTo(Map.of("name", "marker"));
            assertThat(client.count("Note")).isZero();
        }
    }
}
