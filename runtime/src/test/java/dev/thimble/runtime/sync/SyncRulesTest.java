package dev.thimble.runtime.sync;

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

/**
 * Sync under the app's rules, with the real Realm sync client: {@code shop.items} lets a user read
 * and write only documents whose {@code owner_id} is their id; {@code shop.notes} has a rule that
 * grants no role.
 */
class SyncRulesTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer(SyncApps.RULES_BUNDLE);

    static RealmSyncClient client(String name) throws Exception {
        return RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(), Files.createDirectories(SERVER.temp().resolve(name)),
                SyncApps.RULES_SCHEMA);
    }

    static org.bson.Document items(ObjectId id) {
        return SERVER.host().database().database("shop").getCollection("items").find(new Document("_id", id)).first();
    }

    static void insertItem(ObjectId id, String owner, String name) {
        SERVER.host().database().database("shop").getCollection("items")
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
            SERVER.host().database().database("shop").getCollection("items")
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
            // The app's logs have it as a sync error of that user, naming the object and the rule.
            assertThat(SERVER.host().logs().recent(10_000)).anySatisfy(r -> {
                assertThat(r.type()).isEqualTo(dev.thimble.runtime.logs.LogType.SYNC_ERROR);
                assertThat(r.errorCode()).isEqualTo("CompensatingWrite");
                assertThat(r.userId()).isEqualTo(client.userId());
                assertThat(r.error()).contains(forged.toHexString()).contains("DOCUMENT_FILTER");
            });

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

    /** The compensating write at the protocol level: what the sync client parses from error 231. */
    @Test
    void aDeniedCreateGetsError231WithTheRejectedUpdateThenTheErasingDownload() throws Exception {
        SyncRouteTest.Frames frames = new SyncRouteTest.Frames();
        String token = SERVER.host().auth().login("anon-user", new Document(), "127.0.0.1", null).accessToken();
        java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols(SyncRoute.SUBPROTOCOL)
                .buildAsync(java.net.URI.create(SERVER.host().baseUrl().replaceFirst("^http", "ws") + "/api/client/v2.0/app/"
                        + SERVER.host().app().clientAppId() + "/realm-sync?baas_at=" + token), frames)
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
        SyncRouteTest.send(ws, "bind 1 " + bind.length() + " 0 1 0\n" + bind);
        String[] ident = frames.next().trim().split(" ");
        String query = "{\"Item\":\"TRUEPREDICATE\"}";
        SyncRouteTest.send(ws, "ident 1 " + ident[2] + " " + ident[3] + " 0 0 0 0 1 " + query.length() + "\n" + query);
        assertThat(frames.next()).startsWith("download 1 ");

        ObjectId id = new ObjectId();
        org.bson.BsonObjectId pk = new org.bson.BsonObjectId(id);
        byte[] changeset = Changesets.encode(List.of(new Instruction.CreateObject("Item", pk),
                new Instruction.Update("Item", pk, "owner_id", new org.bson.BsonString("someone-else"), false),
                new Instruction.Update("Item", pk, "name", new org.bson.BsonString("forged"), false)));
        String entry = "1 0 1000 0 " + changeset.length + " ";
        java.io.ByteArrayOutputStream upload = new java.io.ByteArrayOutputStream();
        upload.writeBytes(("upload 1 0 " + (entry.length() + changeset.length) + " 0 1 0 0\n" + entry)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        upload.writeBytes(changeset);
        ws.sendBinary(java.nio.ByteBuffer.wrap(upload.toByteArray()), true).get(30, java.util.concurrent.TimeUnit.SECONDS);

        String error = frames.next();
        assertThat(error).startsWith("json_error 231 ");
        com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(error.substring(error.indexOf('\n') + 1));
        assertThat(body.path("action").asText()).isEqualTo("Warning");
        assertThat(body.path("rejectedClientVersion").asLong()).isEqualTo(1);
        long compensatingVersion = body.path("compensatingWriteServerVersion").asLong();
        com.fasterxml.jackson.databind.JsonNode rejected = body.path("rejectedUpdates").get(0);
        assertThat(rejected.path("table").asText()).isEqualTo("Item");
        assertThat(rejected.path("reason").asText()).contains("role \"owner\"").contains("DOCUMENT_FILTER");
        byte[] encodedPk = java.util.Base64.getDecoder().decode(rejected.path("pk").asText());
        assertThat(encodedPk[0]).as("payload type ObjectId").isEqualTo((byte) Changesets.OBJECT_ID);
        assertThat(java.util.Arrays.copyOfRange(encodedPk, 1, encodedPk.length)).isEqualTo(id.toByteArray());

        String download = frames.next();
        assertThat(download).startsWith("download 1 " + compensatingVersion + " 1 ");
        assertThat(download.substring(download.indexOf('\n') + 1)).startsWith(compensatingVersion + " 1 ");
        assertThat(items(id)).isNull();
        ws.abort();
    }

    @Test
    void aClassWhoseRuleGrantsNoRoleSyncsNothing() throws Exception {
        ObjectId note = new ObjectId();
        SERVER.host().database().database("shop").getCollection("notes").insertOne(new Document("_id", note).append("text", "secret"));
        try (RealmSyncClient client = client("noteless")) {
            assertThat(client.subscribe("Note", "TRUEPREDICATE").complete()).isTrue();
            assertThat(client.count("Note")).isZero();
            ObjectId later = new ObjectId();
            SERVER.host().database().database("shop").getCollection("notes").insertOne(new Document("_id", later).append("text", "later"));
            // A user's own Item written after the note arrives, so the note had its chance to be sent first.
            ObjectId mine = new ObjectId();
            assertThat(client.subscribe("Item", "TRUEPREDICATE").complete()).isTrue();
            insertItem(mine, client.userId(), "marker");
            assertThat(eventually(() -> client.get("Item", mine, List.of("name")))).isEqualTo(Map.of("name", "marker"));
            assertThat(client.count("Note")).isZero();
        }
    }
}
