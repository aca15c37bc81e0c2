package dev.thimble.runtime.sync;

import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.thimble.runtime.sync.FlexibleSyncTest.eventually;
import static dev.thimble.runtime.sync.SyncCollectionsTest.SCHEMA;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.dictionaryErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.dictionaryPut;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listInsert;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listMove;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.listSet;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.setErase;
import static dev.thimble.runtime.sync.realmc.CollectionWrites.setInsert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent element edits of one list by two real clients, one of them offline, merged element by
 * element as realm-core merges them, also when an edit's live delivery is overtaken by an upload (decision record "sync types"): both keep their inserts, in the
 * same order on both clients and in MongoDB ({@code Basket.items} in {@code shop.baskets}).
 */
class SyncListMergeTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();

    @AfterEach
    void openTheGate() {
        SyncService.beforeDeliveryForTests = null;
        SyncConnection.downloadParkedForTests = null;
    }

    static RealmSyncClient client(String name, String owner) throws Exception {
        RealmSyncClient client = RealmSyncClient.open(SERVER.host().baseUrl(), SERVER.host().app().clientAppId(),
                java.nio.file.Files.createDirectories(SERVER.temp().resolve(name)), SCHEMA);
        assertThat(client.subscribe("Basket", "owner_id == \"" + owner + "\"").complete()).isTrue();
        return client;
    }

    static List<String> mongoItems(ObjectId id) {
        Document doc = SERVER.host().database().database("shop").getCollection("baskets").find(new Document("_id", id)).first();
        return doc == null ? null : doc.getList("items", String.class);
    }

    /** A basket with items {@code initial}, created on A and held by B. */
    static ObjectId basket(RealmSyncClient a, RealmSyncClient b, String owner, String... initial) throws Exception {
        ObjectId id = new ObjectId();
        a.create("Basket", id, Map.of("owner_id", owner));
        for (int i = 0; i < initial.length; i++) {
            a.edit("Basket", id, "items", listInsert(i, initial[i]));
        }
        a.waitForUpload();
        assertThat(SyncCollectionsTest.holds(b, id, "items", List.of(initial))).as("B, errors %s, mongo %s", b.syncErrors(), mongoItems(id)).isEqualTo(List.of(initial));
        return id;
    }

    /** Waits until the sync clock has moved on, so the next write is strictly later than the last. */
    static void later() throws InterruptedException {
        long now = System.currentTimeMillis();
        eventually(() -> System.currentTimeMillis() > now + 2 ? "later" : null);
    }

    /** Both clients and MongoDB hold the same list, which contains {@code mustContain}; returns it. */
    static List<?> converged(RealmSyncClient a, RealmSyncClient b, ObjectId id, int size) throws InterruptedException {
        List<?> onA = eventually(() -> {
            Object fromA = a.collection("Basket", id, "items");
            Object fromB = b.collection("Basket", id, "items");
            List<String> inMongo = mongoItems(id);
            return fromA instanceof List<?> l && l.size() == size && l.equals(fromB) && l.equals(inMongo) ? l : null;
        });
        assertThat(onA).as("A %s, B %s, MongoDB %s", a.collection("Basket", id, "items"), b.collection("Basket", id, "items"),
                mongoItems(id)).isNotNull();
        return onA;
    }

    @Test
    void twoClientsInsertingAtTheSamePlaceWhileOneIsOfflineBothKeepTheirElements() throws Exception {
        try (RealmSyncClient a = client("same-a", "same"); RealmSyncClient b = client("same-b", "same")) {
            ObjectId id = basket(a, b, "same", "x", "y");
            b.goOffline();
            b.edit("Basket", id, "items", listInsert(1, "from-b"));
            later();
            a.edit("Basket", id, "items", listInsert(1, "from-a"));
            a.waitForUpload();
            assertThat(mongoItems(id)).isEqualTo(List.of("x", "from-a", "y"));
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            a.waitForDownload();
            // Inserts at one index are ordered by timestamp: B's (earlier) first.
            assertThat(converged(a, b, id, 4)).isEqualTo(List.of("x", "from-b", "from-a", "y"));
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    @Test
    void insertsEraseAndUpdatesAtDifferentPlacesMergeByIndex() throws Exception {
        try (RealmSyncClient a = client("mixed-a", "mixed-edits"); RealmSyncClient b = client("mixed-b", "mixed-edits")) {
            ObjectId id = basket(a, b, "mixed-edits", "a", "b", "c", "d");
            b.goOffline();
            b.edit("Basket", id, "items", listInsert(4, "b-end"), listErase(0), listSet(1, "C"));
            later();
            a.edit("Basket", id, "items", listInsert(0, "a-start"), listErase(2), listInsert(2, "a-mid"));
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            a.waitForDownload();
            // From [a b c d]: A puts a-start first, replaces b by a-mid; B drops a, sets c to C, appends b-end.
            assertThat(converged(a, b, id, 5)).isEqualTo(List.of("a-start", "a-mid", "C", "d", "b-end"));
        }
    }

    @Test
    void concurrentEditsWhileBothAreOfflineConverge() throws Exception {
        try (RealmSyncClient a = client("both-a", "both"); RealmSyncClient b = client("both-b", "both")) {
            ObjectId id = basket(a, b, "both", "x");
            a.goOffline();
            b.goOffline();
            a.edit("Basket", id, "items", listInsert(0, "a0"), listInsert(2, "a2"));
            later();
            b.edit("Basket", id, "items", listInsert(1, "b1"), listInsert(0, "b0"));
            a.goOnline();
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();
            List<Object> merged = new java.util.ArrayList<>(converged(a, b, id, 5));
            assertThat(merged).containsExactlyInAnyOrder("x", "a0", "a2", "b0", "b1");
            assertThat(merged.indexOf("a0")).isLessThan(merged.indexOf("x"));
            assertThat(merged.indexOf("b0")).isLessThan(merged.indexOf("x"));
            assertThat(merged.indexOf("a2")).isGreaterThan(merged.indexOf("x"));
            assertThat(merged.indexOf("b1")).isGreaterThan(merged.indexOf("x"));
        }
    }

    @Test
    void concurrentInsertsIntoAListOfLinksBothSurviveAsLinks() throws Exception {
        try (RealmSyncClient a = client("links-a", "links-merge"); RealmSyncClient b = client("links-b", "links-merge")) {
            assertThat(a.subscribe("Shelf", "owner_id == \"links-merge\"").complete()).isTrue();
            assertThat(b.subscribe("Shelf", "owner_id == \"links-merge\"").complete()).isTrue();
            ObjectId first = new ObjectId();
            ObjectId second = new ObjectId();
            ObjectId id = new ObjectId();
            a.create("Shelf", first, Map.of("owner_id", "links-merge"));
            a.create("Shelf", second, Map.of("owner_id", "links-merge"));
            a.create("Basket", id, Map.of("owner_id", "links-merge"));
            a.waitForUpload();
            assertThat(eventually(() -> b.count("Shelf") == 2 && b.collection("Basket", id, "shelves") != null ? "yes" : null)).isEqualTo("yes");
            b.goOffline();
            b.edit("Basket", id, "shelves", listInsert(0, new RealmSyncClient.Link("Shelf", first)));
            later();
            a.edit("Basket", id, "shelves", listInsert(0, new RealmSyncClient.Link("Shelf", second)));
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            a.waitForDownload();
            List<ObjectId> expected = List.of(first, second); // B's insert was earlier: first
            assertThat(eventually(() -> expected.equals(a.collection("Basket", id, "shelves")) && expected.equals(b.collection("Basket", id, "shelves"))
                    ? "yes" : null)).as("A %s, B %s", a.collection("Basket", id, "shelves"), b.collection("Basket", id, "shelves")).isEqualTo("yes");
            Document doc = SERVER.host().database().database("shop").getCollection("baskets").find(new Document("_id", id)).first();
            assertThat(doc.getList("shelves", ObjectId.class)).isEqualTo(expected);
        }
    }

    /**
     * B, offline, moves the first element of four lists to the end while A edits each concurrently: an
     * insert, an erase of the moved element, an update of it, and a later move of the same element. Both
     * clients and MongoDB end with realm-core's result for each (decision record "sync moves").
     */
    @Test
    void aMoveMergesWithConcurrentInsertsErasesUpdatesAndMovesOfTheSameList() throws Exception {
        try (RealmSyncClient a = client("move-a", "move"); RealmSyncClient b = client("move-b", "move")) {
            ObjectId inserted = basket(a, b, "move", "x", "y", "z");
            ObjectId erased = basket(a, b, "move", "x", "y", "z");
            ObjectId updated = basket(a, b, "move", "x", "y", "z");
            ObjectId movedTwice = basket(a, b, "move", "a", "b", "c", "d");
            b.goOffline();
            b.edit("Basket", inserted, "items", listMove(0, 2));
            b.edit("Basket", erased, "items", listMove(0, 2));
            b.edit("Basket", updated, "items", listMove(0, 2));
            b.edit("Basket", movedTwice, "items", listMove(0, 3));
            later();
            a.edit("Basket", inserted, "items", listInsert(1, "w"));
            a.edit("Basket", erased, "items", listErase(0));
            a.edit("Basket", updated, "items", listSet(0, "X"));
            a.edit("Basket", movedTwice, "items", listMove(0, 1));
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            a.waitForDownload();
            assertThat(converged(a, b, inserted, 4)).isEqualTo(List.of("w", "y", "z", "x"));
            assertThat(converged(a, b, erased, 2)).as("an erase of the moved element wins").isEqualTo(List.of("y", "z"));
            assertThat(converged(a, b, updated, 3)).as("the update follows its element").isEqualTo(List.of("y", "z", "X"));
            assertThat(converged(a, b, movedTwice, 4)).as("A's later move wins").isEqualTo(List.of("b", "a", "c", "d"));
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /** Both offline: A moves an element and B moves another one and inserts; they converge on both and in MongoDB. */
    @Test
    void movesOfDifferentElementsWhileBothAreOfflineConverge() throws Exception {
        try (RealmSyncClient a = client("moves-a", "moves"); RealmSyncClient b = client("moves-b", "moves")) {
            ObjectId id = basket(a, b, "moves", "a", "b", "c", "d");
            a.goOffline();
            b.goOffline();
            a.edit("Basket", id, "items", listMove(3, 0), listInsert(2, "from-a"));
            later();
            b.edit("Basket", id, "items", listMove(0, 2), listErase(1));
            a.goOnline();
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            a.waitForDownload();
            b.waitForDownload();
            // A: [a b c d] -> [d a b c] -> [d a from-a b c]; B: [a b c d] -> [b c a d] -> [b a d] (c erased).
            assertThat(new java.util.ArrayList<Object>(converged(a, b, id, 4))).containsExactlyInAnyOrder("a", "b", "d", "from-a");
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /**
     * B, offline, inserts into and erases from a set and puts keys into a dictionary while A later does the
     * same: set edits of different elements all apply, and of two edits of one dictionary key the later wins
     * (realm-core's SetInsert/SetErase and dictionary Update rules), on both clients and in MongoDB. Before
     * decision 0049 these merged as whole values and B's edits were lost.
     */
    @Test
    void concurrentSetAndDictionaryEditsMergeElementByElement() throws Exception {
        try (RealmSyncClient a = client("keyed-a", "keyed"); RealmSyncClient b = client("keyed-b", "keyed")) {
            ObjectId id = basket(a, b, "keyed");
            a.edit("Basket", id, "labels", setInsert("x"), setInsert("y"));
            a.edit("Basket", id, "sizes", dictionaryPut("s", "small"), dictionaryPut("m", "medium"));
            a.waitForUpload();
            assertThat(eventually(() -> b.collection("Basket", id, "sizes") instanceof Map<?, ?> m && m.size() == 2
                    && b.collection("Basket", id, "labels") instanceof List<?> l && l.size() == 2 ? "held" : null)).isEqualTo("held");
            b.goOffline();
            b.edit("Basket", id, "labels", setInsert("from-b"), setErase("x"));
            b.edit("Basket", id, "sizes", dictionaryPut("s", "b-small"), dictionaryPut("l", "large"));
            later();
            a.edit("Basket", id, "labels", setInsert("from-a"), setErase("y"));
            a.edit("Basket", id, "sizes", dictionaryPut("s", "a-small"), dictionaryErase("m"));
            a.waitForUpload();
            b.goOnline();
            b.waitForUpload();
            b.waitForDownload();
            a.waitForDownload();
            java.util.Set<Object> labels = java.util.Set.of("from-a", "from-b");
            Map<String, Object> sizes = Map.of("s", "a-small", "l", "large");
            Object converged = eventually(() -> {
                Document doc = SERVER.host().database().database("shop").getCollection("baskets").find(new Document("_id", id)).first();
                return a.collection("Basket", id, "labels") instanceof List<?> la && labels.equals(new java.util.HashSet<>(la))
                        && b.collection("Basket", id, "labels") instanceof List<?> lb && labels.equals(new java.util.HashSet<>(lb))
                        && sizes.equals(a.collection("Basket", id, "sizes")) && sizes.equals(b.collection("Basket", id, "sizes"))
                        && doc != null && labels.equals(new java.util.HashSet<Object>(doc.getList("labels", Object.class)))
                        && sizes.equals(new java.util.HashMap<>(doc.get("sizes", Document.class))) ? "yes" : null;
            });
            assertThat(converged).as("A %s %s, B %s %s, errors A %s B %s", a.collection("Basket", id, "labels"), a.collection("Basket", id, "sizes"),
                    b.collection("Basket", id, "labels"), b.collection("Basket", id, "sizes"), a.syncErrors(), b.syncErrors()).isEqualTo("yes");
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /**
     * Inserts at one index with the same origin timestamp: realm-core orders them by (timestamp, file
     * identity), the lower file first, on its clients as the server does. B, offline, inserts into two
     * lists in one transaction; just before the server integrates B's upload, a protocol-level client
     * integrates an insert at the same index of each list with B's own timestamp, one from a file older
     * than B's and one from a newer file. B receives those edits before its upload is acknowledged and
     * transforms them against its own by the client's rule; it must end where the server and A are.
     */
    @Test
    void insertsAtOneIndexInTheSameMillisecondAreOrderedByFileIdentityOnClientsAndServer() throws Exception {
        SyncRouteTest.Frames olderFrames = new SyncRouteTest.Frames();
        RawSession older = RawSession.open(olderFrames); // a file identity issued before B's
        try (RealmSyncClient a = client("tie-a", "tie"); RealmSyncClient b = client("tie-b", "tie")) {
            SyncRouteTest.Frames newerFrames = new SyncRouteTest.Frames();
            RawSession newer = RawSession.open(newerFrames); // and one issued after B's
            ObjectId first = basket(a, b, "tie", "x", "y");
            ObjectId second = basket(a, b, "tie", "x", "y");
            Map<ObjectId, RawSession> injectInto = new java.util.concurrent.ConcurrentHashMap<>(Map.of(first, older, second, newer));
            java.util.concurrent.atomic.AtomicLong bFile = new java.util.concurrent.atomic.AtomicLong();
            SyncConnection.beforeUploadForTests = (service, fileIdent, batch) -> {
                for (SyncService.ParsedUpload u : batch) {
                    for (Instruction i : u.instructions()) {
                        if (i instanceof Instruction.CollectionEdit e && e.pk().isObjectId()
                                && injectInto.remove(e.pk().asObjectId().getValue()) instanceof RawSession raw) {
                            bFile.set(fileIdent);
                            raw.insert(e.pk().asObjectId().getValue(), 1, "from-" + raw.fileIdent, 2, u.upload().timestamp(),
                                    service.currentServerVersion());
                        }
                    }
                }
            };
            try {
                b.goOffline();
                b.edit("Basket", first, "items", listInsert(1, "from-b"));
                b.edit("Basket", second, "items", listInsert(1, "from-b"));
                b.goOnline();
                b.waitForUpload();
                b.waitForDownload();
                a.waitForDownload();
                assertThat(injectInto).as("both same-millisecond inserts were integrated just before B's").isEmpty();
                assertThat(older.fileIdent).isLessThan(bFile.get());
                assertThat(newer.fileIdent).isGreaterThan(bFile.get());
                assertThat(converged(a, b, first, 4)).isEqualTo(List.of("x", "from-" + older.fileIdent, "from-b", "y"));
                assertThat(converged(a, b, second, 4)).isEqualTo(List.of("x", "from-b", "from-" + newer.fileIdent, "y"));
                assertThat(b.syncErrors()).isEmpty();
            } finally {
                SyncConnection.beforeUploadForTests = null;
                older.ws.abort();
                newer.ws.abort();
            }
        }
    }

    /** A protocol-level sync session (bound, empty query) that uploads hand-made changesets. */
    record RawSession(java.net.http.WebSocket ws, SyncRouteTest.Frames frames, long fileIdent) {
        static RawSession open(SyncRouteTest.Frames frames) throws Exception {
            return open(SERVER, frames);
        }

        /** As {@link #open(SyncRouteTest.Frames)}, on another test class's server. */
        static RawSession open(SyncServer server, SyncRouteTest.Frames frames) throws Exception {
            java.net.URI uri = java.net.URI.create(server.host().baseUrl().replaceFirst("^http", "ws") + "/api/client/v2.0/app/"
                    + server.host().app().clientAppId() + "/realm-sync?baas_at=" + token(server));
            java.net.http.WebSocket ws = SyncRouteTest.http.newWebSocketBuilder().subprotocols(SyncRoute.SUBPROTOCOL)
                    .buildAsync(uri, frames).get(30, TimeUnit.SECONDS);
            String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
            SyncRouteTest.send(ws, "bind 1 " + bind.length() + " 0 1 0\n" + bind);
            String[] ident = frames.next().trim().split(" ");
            SyncRouteTest.send(ws, "ident 1 " + ident[2] + " " + ident[3] + " 0 0 0 0 0 2\n{}");
            assertThat(frames.next()).startsWith("download 1 ");
            return new RawSession(ws, frames, Long.parseLong(ident[2]));
        }

        private static String token(SyncServer server) {
            return server.host().auth().login("anon-user", new Document(), "127.0.0.1", null).accessToken();
        }

        /** Uploads one ArrayInsert into Basket.items (client version 1) and waits for its acknowledgement. */
        void insert(ObjectId basket, long index, String value, long priorSize, long timestamp, long serverVersionSeen) {
            org.bson.BsonObjectId pk = new org.bson.BsonObjectId(basket);
            upload(List.of(new Instruction.CreateObject("Basket", pk), new Instruction.CollectionEdit("Basket", pk, "items",
                    Instruction.ARRAY_INSERT, index, null, new org.bson.BsonString(value), -1, priorSize)), timestamp, serverVersionSeen);
        }

        /** Uploads one changeset (client version 1) with this origin timestamp and waits for its acknowledgement. */
        void upload(List<Instruction> instructions, long timestamp, long serverVersionSeen) {
            byte[] changeset = Changesets.encode(instructions);
            byte[] head = ("1 " + serverVersionSeen + " " + timestamp + " 0 " + changeset.length + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] body = java.util.Arrays.copyOf(head, head.length + changeset.length);
            System.arraycopy(changeset, 0, body, head.length, changeset.length);
            byte[] header = ("upload 1 0 " + body.length + " 0 1 " + serverVersionSeen + " 0\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] message = java.util.Arrays.copyOf(header, header.length + body.length);
            System.arraycopy(body, 0, message, header.length, body.length);
            try {
                ws.sendBinary(java.nio.ByteBuffer.wrap(message), true).get(30, TimeUnit.SECONDS);
                String answer;
                do {
                    answer = frames.next();
                } while (!answer.startsWith("download 1 "));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Two clients online, with the live delivery of B's edit to A held (a gate on the server's change
     * worker) until A's own upload has been integrated after it and acknowledged: B's edit must still reach
     * A before that acknowledgement, naming the uploads of A it was merged past, or A applies it
     * untransformed and keeps a list nobody else has (decision record "sync types", online race).
     */
    @Test
    void anEditIntegratedBeforeAnOnlineUploadReachesTheUploaderBeforeItsAcknowledgement() throws Exception {
        try (RealmSyncClient a = client("race-a", "race"); RealmSyncClient b = client("race-b", "race")) {
            ObjectId id = basket(a, b, "race", "a", "b", "c");

            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean armed = new AtomicBoolean(true);
            SyncService.beforeDeliveryForTests = changes -> {
                if (changes.stream().anyMatch(c -> c.table().equals("Basket")) && armed.compareAndSet(true, false)) {
                    held.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            try {
                b.edit("Basket", id, "items", listErase(2)); // B drops "c"
                b.waitForUpload();
                assertThat(held.await(60, TimeUnit.SECONDS)).as("B's edit on its way to A is held").isTrue();
                // A has not seen B's erase: it inserts before "b"; the server merges the insert past the erase.
                a.edit("Basket", id, "items", listInsert(1, "from-a"));
                // Integrated while the live delivery of B's edit is still held (its acknowledgement waits for that delivery).
                assertThat(eventually(() -> List.of("a", "from-a", "b").equals(mongoItems(id)) ? "merged" : null))
                        .as("MongoDB %s", mongoItems(id)).isNotNull();
            } finally {
                release.countDown();
            }
            a.waitForDownload();
            b.waitForDownload();
            // Untransformed on A, B's "erase index 2" would drop "b" there instead of "c": [a, from-a, c].
            assertThat(converged(a, b, id, 3)).isEqualTo(List.of("a", "from-a", "b"));
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }

    /**
     * The edits sent ahead of an acknowledgement are at a newer server version than another object's change whose
     * live delivery is still held: the session must not tell the client it is at that version before it was sent
     * the held change, or a client that drops the connection then resumes after it and never gets it
     * (decision record "sync watermark").
     */
    @Test
    void aClientThatDropsTheConnectionAfterEditsSentAheadOfItsAcknowledgementStillGetsTheChangesHeldBeforeThem() throws Exception {
        try (RealmSyncClient a = client("mark-a", "mark"); RealmSyncClient b = client("mark-b", "mark")) {
            ObjectId id = basket(a, b, "mark", "a", "b", "c");
            ObjectId other = basket(a, b, "mark", "x");
            ObjectId markerId = new ObjectId();

            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch marker = new CountDownLatch(1);
            AtomicBoolean armed = new AtomicBoolean(true);
            SyncService.beforeDeliveryForTests = changes -> {
                if (changes.stream().anyMatch(c -> c.table().equals("Basket")) && armed.compareAndSet(true, false)) {
                    held.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else if (changes.stream().anyMatch(c -> c.table().equals("Basket") && c.pk().equals(
                        new org.bson.BsonObjectId(markerId)))) {
                    marker.countDown();
                }
            };
            try {
                b.edit("Basket", other, "items", listInsert(1, "held")); // its delivery to A is held
                b.waitForUpload();
                assertThat(held.await(60, TimeUnit.SECONDS)).as("B's edit of the other basket on its way to A is held").isTrue();
                b.edit("Basket", id, "items", listErase(2)); // B drops "c", at a newer server version
                b.waitForUpload();
                AtomicBoolean parked = new AtomicBoolean();
                SyncConnection.downloadParkedForTests = parked::set;
                a.edit("Basket", id, "items", listInsert(1, "from-a"));
                assertThat(eventually(() -> List.of("a", "from-a", "b").equals(mongoItems(id)) ? "merged" : null)).isNotNull();
                // B's erase goes ahead of the acknowledgement (at its newer server version): A has it, or it waits for the held change.
                assertThat(eventually(() -> parked.get() || List.of("a", "from-a", "b").equals(a.collection("Basket", id, "items"))
                        ? "sent or parked" : null)).isNotNull();
                a.goOffline();
            } finally {
                release.countDown();
            }
            // Once a change made after them is handed on, the held changes were dropped with A's old session.
            SERVER.host().database().database("shop").getCollection("baskets")
                    .insertOne(new Document("_id", markerId).append("owner_id", "nobody"));
            assertThat(marker.await(60, TimeUnit.SECONDS)).isTrue();
            a.goOnline();
            a.waitForDownload();
            assertThat(eventually(() -> List.of("x", "held").equals(a.collection("Basket", other, "items")) ? "held" : null))
                    .as("A holds %s", a.collection("Basket", other, "items")).isNotNull();
            assertThat(converged(a, b, id, 3)).isEqualTo(List.of("a", "from-a", "b"));
            assertThat(a.syncErrors()).isEmpty();
            assertThat(b.syncErrors()).isEmpty();
        }
    }
}
