package dev.thimble.runtime.sync;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import org.bson.BsonArray;
import org.bson.Document;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Other clients' list edits as one client file holds them after its own integrated changesets (realm-core's
 * "reciprocal history", kept per client file on its server), persisted in the app's state database
 * ({@code sync_reciprocal}: client file, object key, field, server version, ops).
 *
 * <p>A client uploads its changesets in order, each based on the server version it had integrated when it
 * made it, and may split them over several upload messages (realm-core's client ends a message at about
 * 128 KB), all based on one old server version. Each changeset after the first must be merged past the
 * concurrent edits as its client will apply them: already transformed past the client's earlier
 * changesets, not as they were integrated (decision record 0058). So the transformed edits outlive the
 * message, and a server restart between two messages, here. An entry at server version v is needed only
 * while the client may still upload a changeset based on a version below v: it is trimmed once the
 * client's uploads are based on v or later, and with the recorded list edits' compaction.
 */
final class ReciprocalHistory {
    private final MongoCollection<Document> entries;
    /**
     * Per client file, the newest server version among its entries (0: it has none), once known; a file that is not
     * here is looked up on its first trim, so the uploads of the many clients that hold no entries cost no write.
     */
    private final Map<Long, Long> newestEntry = new java.util.concurrent.ConcurrentHashMap<>();

    ReciprocalHistory(MongoCollection<Document> entries) {
        this.entries = entries;
    }

    /** The reciprocal edits of one upload message: loaded per list on first use, saved when the message is integrated. */
    Message forMessage(long file) {
        return new Message(file);
    }

    /** Deletes a client file's entries at or below server version {@code through} (its uploads are now based on it or later). */
    synchronized void trim(long file, long through) {
        Long newest = newestEntry.get(file);
        if (newest != null && newest == 0) {
            return;
        }
        entries.deleteMany(new Document("file", file).append("v", new Document("$lte", through)));
        if (newest == null) {
            Document left = entries.find(new Document("file", file)).sort(new Document("v", -1)).first();
            newestEntry.put(file, left == null ? 0 : left.get("v", Number.class).longValue());
        } else if (newest <= through) {
            newestEntry.put(file, 0L);
        }
    }

    /** Deletes every client file's entries at or below server version {@code through} (no client can still need them). */
    synchronized void compact(long through) {
        entries.deleteMany(new Document("v", new Document("$lte", through)));
        newestEntry.replaceAll((file, newest) -> newest <= through ? 0L : newest);
    }

    private synchronized void written(long file, long newest) {
        newestEntry.computeIfPresent(file, (f, known) -> Math.max(known, newest));
    }

    /** One client file's reciprocal edits while one of its upload messages is merged. */
    final class Message {
        private final long file;
        private final Map<ListId, List<ListMerge.Concurrent>> byList = new HashMap<>();
        /** What each loaded entry held (its ops as stored), so only the entries a changeset changed are written back. */
        private final Map<ListId, Map<Long, BsonArray>> loaded = new HashMap<>();

        private Message(long file) {
            this.file = file;
        }

        /**
         * The concurrent edits of a list as this client holds them, newer than {@code seen}: on first use the
         * {@code integrated} ones (as the server integrated them, oldest first) with the stored reciprocal
         * version of each in their place; afterwards as the message's earlier changesets left them. The caller
         * transforms them in place ({@link ListMerge#transformBoth}).
         */
        List<ListMerge.Concurrent> of(String key, String field, long seen, Supplier<List<ListMerge.Concurrent>> integrated) {
            List<ListMerge.Concurrent> out = byList.computeIfAbsent(new ListId(key, field), k -> load(k, seen, integrated.get()));
            out.removeIf(c -> c.version() <= seen);
            return out;
        }

        /**
         * A changeset of this client cleared the list (a whole write): realm-core discards every concurrent edit
         * inside a cleared collection, so none of them is left for the client's later changesets to meet.
         */
        void cleared(String key, String field, long seen, Supplier<List<ListMerge.Concurrent>> integrated) {
            for (ListMerge.Concurrent c : of(key, field, seen, integrated)) {
                c.ops().clear();
            }
        }

        private List<ListMerge.Concurrent> load(ListId list, long seen, List<ListMerge.Concurrent> integrated) {
            Map<Long, List<ListMerge.Op>> stored = new HashMap<>();
            for (Document d : entries.find(new Document("file", file).append("key", list.key()).append("field", list.field())
                    .append("v", new Document("$gt", seen)))) {
                stored.put(d.get("v", Number.class).longValue(), ListMerge.opsOf(d));
            }
            List<ListMerge.Concurrent> out = new ArrayList<>();
            Map<Long, BsonArray> before = new HashMap<>();
            for (ListMerge.Concurrent c : integrated) {
                List<ListMerge.Op> ops = stored.get(c.version());
                ListMerge.Concurrent held = ops == null ? c.copy() : new ListMerge.Concurrent(c.timestamp(), c.origin(), new ArrayList<>(ops), c.version());
                out.add(held);
                before.put(c.version(), ListMerge.opsDocument(live(held.ops())));
            }
            loaded.put(list, before);
            return out;
        }

        /**
         * Writes back the entries this message's changesets transformed (an entry whose edits were all discarded
         * is kept, empty: the client will not apply them, so later changesets must not meet them).
         */
        void save() {
            List<WriteModel<Document>> writes = new ArrayList<>();
            long newest = 0;
            for (Map.Entry<ListId, List<ListMerge.Concurrent>> list : byList.entrySet()) {
                Map<Long, BsonArray> before = loaded.getOrDefault(list.getKey(), Map.of());
                for (ListMerge.Concurrent c : list.getValue()) {
                    BsonArray now = ListMerge.opsDocument(live(c.ops()));
                    if (now.equals(before.get(c.version()))) {
                        continue;
                    }
                    newest = Math.max(newest, c.version());
                    Document id = new Document("file", file).append("key", list.getKey().key()).append("field", list.getKey().field())
                            .append("v", c.version());
                    writes.add(new ReplaceOneModel<>(id, new Document(id).append("ops", now), new ReplaceOptions().upsert(true)));
                }
            }
            if (!writes.isEmpty()) {
                entries.bulkWrite(writes);
                written(file, newest);
            }
        }
    }

    private static List<ListMerge.Op> live(List<ListMerge.Op> ops) {
        return ops.stream().filter(o -> !o.discarded).toList();
    }

    /** One list of one object. */
    private record ListId(String key, String field) {
    }
}
