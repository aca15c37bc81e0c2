package dev.thimble.runtime.sync;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The element edits of lists and the increments of counters as integrated, one record per object field and server
 * version ({@code sync_list_ops}, decision record "sync types": list merge): what later uploads are merged past, what
 * downloads send instead of a list's whole content, and their compaction once no client file can still need them.
 * It exists apart from {@link SyncService} so the store's queries and its compaction rule live in one place; turning
 * a record into a client's changeset stays with the service, which knows the schema and the receiving client.
 */
final class RecordedListEdits {
    private static final Logger LOG = LoggerFactory.getLogger(RecordedListEdits.class);

    private final MongoCollection<Document> listOps;
    private final MongoCollection<Document> clients;
    private final MongoCollection<Document> counters;
    private final SyncHistory history;
    /** Others' list edits as each client file holds them after its integrated changesets (decision record 0058). */
    private final ReciprocalHistory reciprocalHistory;
    private final Clock clock;
    private final Supplier<String> clientAppId;

    /** How often (at most) recorded list edits are compacted, in milliseconds (system property {@code thimble.sync.listOpsCompactMillis}). */
    private final long listOpsCompactMillis = Long.getLong("thimble.sync.listOpsCompactMillis", 10_000L);
    private long lastListOpsCompaction;

    /** {@link #compactedThrough()} once read (it only grows, and only here): -1 until then. */
    private volatile long listOpsCompacted = -1;

    /** Whether any increment was ever recorded (null until read): while none was, counters cost no look-ups. */
    private volatile Boolean incrementsRecorded;

    RecordedListEdits(MongoCollection<Document> listOps, MongoCollection<Document> clients, MongoCollection<Document> counters,
                      SyncHistory history, ReciprocalHistory reciprocalHistory, Clock clock, Supplier<String> clientAppId) {
        this.listOps = listOps;
        this.clients = clients;
        this.counters = counters;
        this.history = history;
        this.reciprocalHistory = reciprocalHistory;
        this.clock = clock;
        this.clientAppId = clientAppId;
    }

    /** The newest server version whose recorded list edits were deleted (0 while none were). */
    long compactedThrough() {
        long known = listOpsCompacted;
        if (known < 0) {
            Document doc = counters.find(new Document("_id", "list_ops_compacted_through")).first();
            known = doc == null ? 0 : doc.get("seq", Number.class).longValue();
            listOpsCompacted = known;
        }
        return known;
    }

    /**
     * The oldest server version a client file may still base an upload on, or that it may still resume
     * from: its upload cursor, the newest server version its uploads were based on, or the server version
     * of its last bootstrap, whichever is newest (a client uploads its changesets in order, each based on
     * a server version no older than the one before, and its download progress is never older than them).
     */
    private static long needsFrom(Document file) {
        long out = 0;
        for (String f : List.of("upload_cursor_server_version", "last_server_version", "bootstrap_server_version")) {
            Number n = file.get(f, Number.class);
            out = Math.max(out, n == null ? 0 : n.longValue());
        }
        return out;
    }

    /**
     * Deletes the recorded list edits no client can still need: those at or below the oldest server
     * version a client file may still base an upload on or resume from ({@link #needsFrom}). A file older
     * than the compacted history does not hold them back: the history can no longer catch it up, so it is
     * reset when it comes back (222, {@link #tooFarBehind}). Runs at most every {@link #listOpsCompactMillis}.
     */
    synchronized void compact() {
        long now = clock.millis();
        if (now - lastListOpsCompaction < listOpsCompactMillis) {
            return;
        }
        lastListOpsCompaction = now;
        long horizon = history.compactedThrough();
        long floor = Long.MAX_VALUE;
        for (Document file : clients.find().projection(new Document("upload_cursor_server_version", 1).append("last_server_version", 1)
                .append("bootstrap_server_version", 1))) {
            long needs = needsFrom(file);
            if (needs >= horizon) {
                floor = Math.min(floor, needs);
            }
        }
        if (floor == Long.MAX_VALUE) {
            floor = horizon; // no client file within the history: only what the history itself no longer covers
        }
        if (floor <= compactedThrough()) {
            return;
        }
        long deleted = listOps.deleteMany(new Document("v", new Document("$lte", floor))).getDeletedCount();
        reciprocalHistory.compact(floor);
        counters.updateOne(new Document("_id", "list_ops_compacted_through"), Updates.max("seq", floor), new UpdateOptions().upsert(true));
        listOpsCompacted = floor;
        if (deleted > 0) {
            LOG.debug("Sync: {} recorded list edits of {} compacted through server version {}", deleted, clientAppId.get(), floor);
        }
    }

    /**
     * Whether a returning client file (that has synced before) may hold unsynced list edits based on a
     * server version whose recorded list edits were compacted: they could no longer be merged as the
     * client merges them, so it is reset instead.
     */
    boolean tooFarBehind(Document file) {
        long through = compactedThrough();
        return through > 0 && needsFrom(file) < through;
    }

    /** The newest server version that edited a list element by element (0 if none). */
    long maxVersion() {
        Document last = listOps.find().sort(new Document("v", -1)).first();
        return Math.max(last == null ? 0 : last.get("v", Number.class).longValue(), compactedThrough());
    }

    /** Records the list edits and increments of an upload's objects (staged while it was integrated). */
    void insertAll(List<Document> records) {
        listOps.insertMany(records);
    }

    /** Notes that an increment is about to be recorded, so counters' look-ups start. */
    void incrementRecorded() {
        incrementsRecorded = true;
    }

    boolean incrementsRecorded() {
        Boolean known = incrementsRecorded;
        if (known == null) {
            known = listOps.find(new Document("inc", new Document("$exists", true))).first() != null;
            incrementsRecorded = known;
        }
        return known;
    }

    /** The element edits of a list that others integrated after server version {@code seen}, oldest first. */
    List<ListMerge.Concurrent> concurrent(String key, String field, long seen, long notBy) {
        List<ListMerge.Concurrent> out = new ArrayList<>();
        for (Document d : listOps.find(new Document("key", key).append("field", field).append("v", new Document("$gt", seen))
                .append("o", new Document("$ne", notBy))).sort(new Document("v", 1))) {
            out.add(new ListMerge.Concurrent(d.get("ts", Number.class).longValue(), d.get("o", Number.class).longValue(), ListMerge.opsOf(d),
                    d.get("v", Number.class).longValue()));
        }
        return out;
    }

    /** The increments of these fields of an object that others made after server version {@code after}, per field, oldest first. */
    Map<String, List<Counters.Increment>> concurrentIncrements(String key, Collection<String> fields, long after, long notBy) {
        Map<String, List<Counters.Increment>> out = new java.util.LinkedHashMap<>();
        if (fields.isEmpty() || !incrementsRecorded()) {
            return out;
        }
        for (Document d : listOps.find(new Document("key", key).append("field", new Document("$in", new ArrayList<>(fields)))
                .append("inc", new Document("$exists", true)).append("v", new Document("$gt", after))
                .append("o", new Document("$ne", notBy))).sort(new Document("v", 1))) {
            out.computeIfAbsent(d.getString("field"), f -> new ArrayList<>()).add(Counters.Increment.of(d));
        }
        return out;
    }

    /**
     * The records of one object field that others than {@code notBy} integrated after server version {@code since}
     * (or only the one of server version {@code onlyVersion}, when positive), oldest first.
     */
    List<Document> ofField(String key, String field, long since, long onlyVersion, long notBy) {
        Document filter = new Document("key", key).append("field", field).append("o", new Document("$ne", notBy));
        filter.append("v", onlyVersion > 0 ? (Object) onlyVersion : new Document("$gt", since));
        return listOps.find(filter).sort(new Document("v", 1)).into(new ArrayList<>());
    }

    /** The records of these objects that others than {@code notBy} integrated after server version {@code seen} and before {@code before}, oldest first. */
    List<Document> ofObjects(Collection<String> keys, long seen, long before, long notBy) {
        Document filter = new Document("key", new Document("$in", new ArrayList<>(keys)))
                .append("o", new Document("$ne", notBy)).append("v", new Document("$gt", seen).append("$lt", before));
        return listOps.find(filter).sort(new Document("v", 1)).into(new ArrayList<>());
    }

    /** The increments of one object field that others than {@code notBy} made after server version {@code after}, oldest first. */
    List<Document> increments(String key, String field, long after, long notBy) {
        List<Document> out = new ArrayList<>();
        listOps.find(new Document("key", key).append("field", field).append("inc", new Document("$exists", true))
                .append("v", new Document("$gt", after)).append("o", new Document("$ne", notBy)))
                .sort(new Document("v", 1)).into(out);
        return out;
    }
}
