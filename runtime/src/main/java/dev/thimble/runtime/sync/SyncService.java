package dev.thimble.runtime.sync;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.OperationType;
import dev.thimble.runtime.changes.Subscription;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.RuleContext;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One app's Device Sync state: client file identities (with salts) and each client's upload
 * progress, persisted in the app's state database; the ordered server history (a version per
 * integrated changeset, persisted); the open sessions; and the bridge to MongoDB: uploads become
 * writes, and every change from the app's one change-event source (including writes made by other
 * means) becomes a download for the sessions whose subscriptions see the document.
 */
public final class SyncService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);
    /** The file identity the server's own changesets (from MongoDB changes) carry as their origin. */
    static final long SERVER_FILE_IDENT = 1;
    /** Sync timestamps count milliseconds from 2015-01-01T00:00:00Z. */
    private static final long SYNC_EPOCH_MILLIS = 1_420_070_400_000L;

    private final Supplier<AppModel> app;
    private final Database database;
    private final SyncRules rules;
    private final MongoCollection<Document> counters;
    private final MongoCollection<Document> clients;
    /** The ordered server history ({@code sync_history}). */
    private final SyncHistory history;
    private final SyncStamps stamps;
    /** Element edits of lists and counters' increments as integrated, per object field and server version. */
    private final RecordedListEdits listEdits;
    /** Others' list edits as each client file holds them after its integrated changesets (decision record 0058). */
    private final ReciprocalHistory reciprocalHistory;
    private final SyncLog log;
    private final Clock clock;
    private final Set<SyncConnection.Session> sessions = ConcurrentHashMap.newKeySet();
    /**
     * Document → the uploads that wrote it, oldest first, until their change events arrive: those
     * events carry the upload's server version and origin (the uploader's session gets no echo).
     */
    private final Map<String, java.util.Deque<OwnWrite>> uploadedBy = new ConcurrentHashMap<>();
    private final Subscription changes;
    /** What people see of the open sessions (workbench, admin API). */
    private final SyncSessions syncSessions;
    /** Client file identities, their progress, the columns they declared and the bootstraps they may hold. */
    private final ClientFiles clientFiles;
    /** Objects' stored state, list edits and counters' changes as the changesets a client receives. */
    private final ObjectDownloads objectDownloads;

    private SyncService(Supplier<AppModel> app, Database database, MongoDatabase state, Clock clock, SyncRules rules,
                        dev.thimble.runtime.logs.LogService logs) {
        this.log = new SyncLog(logs, clock);
        this.app = app;
        this.database = database;
        this.rules = rules;
        this.counters = state.getCollection("sync_counters");
        this.clients = state.getCollection("sync_clients");
        this.history = new SyncHistory(state.getCollection("sync_history"), counters, this::currentServerVersion, this::clientAppId);
        this.stamps = new SyncStamps(state.getCollection("sync_objects"));
        this.reciprocalHistory = new ReciprocalHistory(state.getCollection("sync_reciprocal"));
        this.clientFiles = new ClientFiles(clients, () -> next("file_ident"), reciprocalHistory);
        this.listEdits = new RecordedListEdits(state.getCollection("sync_list_ops"), clients, counters, history, reciprocalHistory, clock,
                this::clientAppId);
        this.objectDownloads = new ObjectDownloads(this, stamps, clientFiles, history, listEdits);
        this.clock = clock;
        this.syncSessions = new SyncSessions(clock);
        String syncedDb = schema().map(SyncSchema::database).orElse("");
        this.changes = database.changeEvents().subscribe(ChangeFilter.database(syncedDb), this::onChange);
    }

    /**
     * Starts sync for the app when its bundle enables flexible sync; otherwise returns null.
     *
     * @param rules the app's rules, applied to every download and upload of a session's user
     */
    public static SyncService startIfEnabled(Supplier<AppModel> app, Database database, MongoDatabase state, Clock clock,
                                             SyncRules rules) {
        return startIfEnabled(app, database, state, clock, rules, null);
    }

    /** As {@link #startIfEnabled(Supplier, Database, MongoDatabase, Clock, SyncRules)}, with a log record per sync event in {@code logs}. */
    public static SyncService startIfEnabled(Supplier<AppModel> app, Database database, MongoDatabase state, Clock clock,
                                             SyncRules rules, dev.thimble.runtime.logs.LogService logs) {
        return SyncSchema.of(app.get()).isPresent() ? new SyncService(app, database, state, clock, rules, logs) : null;
    }

    SyncLog log() {
        return log;
    }

    SyncRules rules() {
        return rules;
    }

    String clientAppId() {
        return app.get().clientAppId();
    }

    Optional<SyncSchema> schema() {
        return SyncSchema.of(app.get());
    }

    SyncSchema requireSchema() {
        return schema().orElseThrow(() -> new SyncMessage.ProtocolException(114,
                "Device Sync was turned off for this app (sync/config.json)"));
    }

    /** The sessions open now (for the workbench and tests). */
    public int openSessions() {
        return sessions.size();
    }

    /** The open sessions with their users, subscriptions and traffic, for the workbench and the admin API. */
    public SyncSessions syncSessions() {
        return syncSessions;
    }

    void opened(SyncConnection.Session session) {
        sessions.add(session);
    }

    void closed(SyncConnection.Session session) {
        sessions.remove(session);
        syncSessions.closed(session);
    }

    SyncHistory history() {
        return history;
    }

    RecordedListEdits listEdits() {
        return listEdits;
    }

    ObjectDownloads objectDownloads() {
        return objectDownloads;
    }

    ClientFiles clientFiles() {
        return clientFiles;
    }

    long syncTimestamp() {
        return clock.millis() - SYNC_EPOCH_MILLIS;
    }

    // ---- server versions --------------------------------------------------------------------------

    long currentServerVersion() {
        Document doc = counters.find(new Document("_id", "server_version")).first();
        return doc == null ? 1 : Math.max(1, doc.get("seq", Number.class).longValue());
    }

    private long next(String counter) {
        Document doc = counters.findOneAndUpdate(new Document("_id", counter), Updates.inc("seq", 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return doc.get("seq", Number.class).longValue();
    }

    /** The next server version (version 1 is the empty initial state). */
    synchronized long nextServerVersion() {
        if (counters.find(new Document("_id", "server_version")).first() == null) {
            next("server_version");
        }
        return next("server_version");
    }

    /**
     * Appends a changeset to the server history and returns its server version. {@code objects} are the
     * objects it changed ({@link HistoryObject}), which a reconnecting client is brought up to date on.
     */
    long appendHistory(long originFileIdent, long clientVersion, byte[] changeset, List<HistoryObject> objects) {
        long version = nextServerVersion();
        history.insert(SyncHistory.entry(version, originFileIdent, clientVersion, syncTimestamp(), changeset, objects));
        return version;
    }

    /** An object a history entry changed: its class and primary key. */
    record HistoryObject(String table, BsonValue pk) {
        Document toDocument() {
            return new Document("table", table).append("pk", new BsonDocument("k", pk));
        }

        static HistoryObject of(Document d) {
            return new HistoryObject(d.getString("table"),
                    d.get("pk", Document.class).toBsonDocument(BsonDocument.class, com.mongodb.MongoClientSettings.getDefaultCodecRegistry()).get("k"));
        }
    }

    // ---- uploads become MongoDB writes -----------------------------------------------------------

    /** One uploaded changeset with its header: client version, the server version its client had integrated, origin timestamp. */
    record Upload(long clientVersion, long serverVersionSeen, long timestamp, byte[] changeset) {
    }

    /**
     * Applies one uploaded changeset to MongoDB: CreateObject becomes an upsert, field Updates a
     * {@code $set}, EraseObject a delete, after merging with the writes the client had not seen the way
     * realm-core's transform does (so the client, transforming the same writes the other way, ends
     * in the same state): an erase the client had not seen wins over its create and updates; of two
     * concurrent updates of one field the later wins (origin timestamp, then origin file identity);
     * a default value loses to a concurrent real one.
     *
     * <p>Every remaining object write is judged by the app's rules for the session's user first (an
     * insert when the document does not exist, else an update of the stored document to the written
     * one, or a delete); the allowed ones are written, the denied ones are not and are returned, for
     * the session to send compensating writes. The changeset is appended to the history at a new
     * server version, which the written fields are stamped with.
     *
     * @return the upload's server version, what was written, and the object writes the rules denied
     * @throws BadChangesetException for instructions this slice does not support, before anything is written
     */
    synchronized UploadResult applyUpload(long fileIdent, RuleContext ctx, Upload upload, List<Instruction> instructions) {
        checkUpload(instructions);
        return applyUploads(fileIdent, ctx, List.of(new ParsedUpload(upload, instructions))).getFirst();
    }

    /** An uploaded changeset with its parsed instructions (checked with {@link #checkUpload}). */
    record ParsedUpload(Upload upload, List<Instruction> instructions) {
    }

    /**
     * Refuses a changeset with anything this server cannot apply as the client meant it, before
     * anything of it is written.
     *
     * @throws BadChangesetException naming the instruction and why
     */
    void checkUpload(List<Instruction> instructions) {
        SyncSchema schema = requireSchema();
        for (Instruction i : instructions) {
            UploadChecks.check(schema, i);
        }
    }

    /**
     * Applies the changesets of one upload message in order, as {@link #applyUpload} does for one, and
     * writes them together: the stored documents and stamps are read once for the whole message, each
     * changeset is merged and judged against the state the earlier ones leave, and then the stamps
     * take one bulk write, each collection one ordered bulk write, and the history one insert. Each
     * changeset keeps its own server version and history entry. Nothing is acknowledged to the client
     * before all of it is written (the caller reports progress after this returns).
     */
    synchronized List<UploadResult> applyUploads(long fileIdent, RuleContext ctx, List<ParsedUpload> uploads) {
        if (uploads.isEmpty()) {
            return List.of();
        }
        SyncSchema schema = requireSchema();
        for (ParsedUpload u : uploads) {
            clientFiles.recordColumns(fileIdent, u.instructions());
        }
        List<Map<String, PendingWrite>> perUpload = new ArrayList<>();
        List<PendingWrite> everyWrite = new ArrayList<>();
        for (ParsedUpload u : uploads) {
            Map<String, PendingWrite> writes = pendingWrites(schema, u.instructions());
            perUpload.add(writes);
            everyWrite.addAll(writes.values());
        }
        // The state the message starts from, read once; then kept up to date as each changeset is applied.
        List<String> keys = everyWrite.stream().map(w -> objectKey(schema, w.table, w.pk)).distinct().toList();
        Map<String, SyncStamps.ObjectStamps> stampState = new java.util.HashMap<>(stamps.get(keys));
        Map<String, BsonDocument> documents = new java.util.HashMap<>(storedDocuments(schema, everyWrite));
        long firstVersion = reserveServerVersions(uploads.size());
        // Others' concurrent list edits as this client holds them after each of its changesets, also those of its
        // earlier messages (realm-core's reciprocal history, decision record 0058).
        ReciprocalHistory.Message reciprocal = reciprocalHistory.forMessage(fileIdent);
        Staged staged = new Staged();
        List<UploadResult> results = new ArrayList<>();
        List<Document> entries = new ArrayList<>();
        for (int k = 0; k < uploads.size(); k++) {
            Upload upload = uploads.get(k).upload();
            long version = firstVersion + k;
            SyncStamps.Stamp stamp = new SyncStamps.Stamp(upload.timestamp(), fileIdent, version);
            List<PendingWrite> merged = new ArrayList<>();
            for (PendingWrite w : perUpload.get(k).values()) {
                String key = objectKey(schema, w.table, w.pk);
                w.before = documents.get(key);
                mergeListOps(schema, key, fileIdent, upload.serverVersionSeen(), stamp, w, stampState.getOrDefault(key, SyncStamps.ObjectStamps.NONE),
                        reciprocal);
                if (merge(key, fileIdent, upload.serverVersionSeen(), stamp, w, stampState.getOrDefault(key, SyncStamps.ObjectStamps.NONE))) {
                    merged.add(w);
                }
            }
            // Judge every object write before writing any, so a rule that reads other documents sees the state before the upload.
            List<Rejected> rejected = new ArrayList<>();
            List<PendingWrite> allowed = new ArrayList<>();
            for (PendingWrite w : merged) {
                Rejected r = check(schema, ctx, w);
                if (r == null) {
                    allowed.add(w);
                } else {
                    rejected.add(r);
                }
            }
            List<HistoryObject> written = staged.add(schema, fileIdent, version, stamp, allowed);
            for (PendingWrite w : allowed) {
                String key = objectKey(schema, w.table, w.pk);
                documents.put(key, w.after);
                SyncStamps.ObjectStamps old = stampState.getOrDefault(key, SyncStamps.ObjectStamps.NONE);
                if (w.erase) {
                    stampState.put(key, new SyncStamps.ObjectStamps(Map.of(), stamp));
                } else {
                    Map<String, SyncStamps.Stamp> fields = new java.util.HashMap<>(old.fields());
                    w.writtenFields().forEach(f -> fields.put(f, stamp.asDefault(w.defaults.contains(f))));
                    stampState.put(key, new SyncStamps.ObjectStamps(fields, old.erased()));
                }
            }
            Map<HistoryObject, BsonDocument> before = new java.util.HashMap<>();
            allowed.forEach(w -> before.putIfAbsent(new HistoryObject(w.table, w.pk), w.before));
            entries.add(SyncHistory.entry(version, fileIdent, upload.clientVersion(), upload.timestamp(), upload.changeset(), written, before));
            results.add(new UploadResult(version, written, rejected));
        }
        staged.write(schema, fileIdent);
        history.insertAll(entries);
        reciprocal.save();
        history.compact();
        if (!staged.listOpRecords.isEmpty()) {
            listEdits.compact();
        }
        return results;
    }

    /**
     * Element edits of a list of scalars or links (inserts, erases, moves, element updates; no Clear)
     * are merged element by element, as realm-core merges them: transformed past the element edits other
     * clients made concurrently ({@link ListMerge}), applied at the resulting indexes, and recorded as
     * integrated so later uploads and downloads can use them. They do not stamp the field: its stamp
     * stays that of the last whole write (a Clear, a write by other means), which discards concurrent
     * element edits as before.
     */
    private void mergeListOps(SyncSchema schema, String key, long fileIdent, long seen, SyncStamps.Stamp stamp, PendingWrite w,
                              SyncStamps.ObjectStamps stored, ReciprocalHistory.Message reciprocal) {
        if (w.erase) {
            return;
        }
        SyncSchema.SyncClass c = classFor(schema, w.table);
        for (Map.Entry<String, List<Instruction.CollectionEdit>> field : w.edits.entrySet()) {
            String name = field.getKey();
            if (!opMergedList(c, name)) {
                continue;
            }
            if (SyncStamps.concurrent(stored.fields().get(name), fileIdent, seen)) {
                continue; // replaced as a whole concurrently: the collection rules decide (decision record 0033)
            }
            java.util.function.Supplier<List<ListMerge.Concurrent>> integrated = () -> listEdits.concurrent(key, name, seen, fileIdent);
            if (!ListMerge.mergeable(field.getValue())) {
                // A Clear: a whole write, stamped and sent as Clear + content; it discards concurrent element edits, on
                // the server and on the client, so the client's later changesets no longer meet them.
                reciprocal.cleared(key, name, seen, integrated);
                continue;
            }
            // As this client holds them: transformed past its earlier changesets, in this message or an earlier one.
            List<ListMerge.Concurrent> concurrent = reciprocal.of(key, name, seen, integrated);
            List<ListMerge.Op> ops = field.getValue().stream().map(ListMerge.Op::of).toList();
            List<ListMerge.Op> merged = concurrent.isEmpty() ? ops : ListMerge.transformBoth(ops, stamp.timestamp(), fileIdent, concurrent);
            if (!concurrent.isEmpty()) {
                LOG.debug("Sync: list {}.{} of file {}: {} merged past {} concurrent edits into {}", w.table, name, fileIdent, ops,
                        concurrent.size(), merged);
            }
            field.setValue(new ArrayList<>(merged.stream().map(o -> o.edit(w.table, w.pk, name)).toList()));
            w.listOps.put(name, merged);
        }
    }

    /**
     * Whether a field is a collection whose element edits are merged element by element: a list, set or
     * dictionary of scalars or links, or a list of embedded objects (its elements' inserts, erases and moves, and
     * updates of their sub-fields, decision record "sync counters"); a dictionary of embedded objects still merges
     * as a whole value (decision 0033).
     */
    static boolean opMergedList(SyncSchema.SyncClass c, String field) {
        SyncSchema.CollectionField collection = c.collectionOf(field);
        return collection != null && (c.embeddedClass(field) == null || collection.kind() == SyncSchema.Collection.LIST);
    }

    /** Another client's element edits of one list of an object, as {@link ObjectDownloads#concurrentListOpsBefore} finds them. */
    record ListOpDownload(String table, BsonValue pk, String field, Download download) {
    }

    /** One changeset's instructions as object writes: one write per object, so nobody sees half of an uploaded object. */
    private Map<String, PendingWrite> pendingWrites(SyncSchema schema, List<Instruction> instructions) {
        Map<String, PendingWrite> writes = new java.util.LinkedHashMap<>();
        for (Instruction i : instructions) {
            switch (i) {
                case Instruction.CreateObject c -> pending(writes, c.table(), c.pk()).erase = false;
                case Instruction.Update u when classFor(schema, u.table()).singleEmbedded(u.field()) -> {
                    // Creating (ObjectValue) or deleting (Null) an embedded object: an edit of the field, like a collection's.
                    PendingWrite w = pending(writes, u.table(), u.pk());
                    w.erase = false;
                    w.singleEmbedded.add(u.field());
                    w.edits.computeIfAbsent(u.field(), f -> new ArrayList<>())
                            .add(new Instruction.CollectionEdit(u.table(), u.pk(), u.field(), Instruction.UPDATE, -1, null, u.value(), -1, -1));
                }
                case Instruction.Update u -> {
                    PendingWrite w = pending(writes, u.table(), u.pk());
                    w.erase = false;
                    w.increments.remove(u.field()); // a set after an increment of the same transaction replaces it
                    w.set.put(u.field(), Changesets.isLink(u.value()) && classFor(schema, u.table()).mixed(u.field())
                            ? MixedLinks.stored(schema, u.value()) : Changesets.stored(u.value()));
                    if (u.isDefault()) {
                        w.defaults.add(u.field());
                    } else {
                        w.defaults.remove(u.field());
                    }
                }
                case Instruction.CollectionEdit e0 -> {
                    Instruction.CollectionEdit e = e0;
                    SyncSchema.CollectionField kind = classFor(schema, e.table()).collectionOf(e.field());
                    if (e.value() != null && Changesets.isLink(e.value()) && kind != null && "mixed".equals(kind.itemType()) && e.sub() == null) {
                        e = new Instruction.CollectionEdit(e.table(), e.pk(), e.field(), e.type(), e.index(), e.key(),
                                MixedLinks.stored(schema, e.value()), e.to(), e.priorSize());
                    }
                    PendingWrite w = pending(writes, e.table(), e.pk());
                    w.erase = false;
                    if (classFor(schema, e.table()).singleEmbedded(e.field())) {
                        w.singleEmbedded.add(e.field());
                    }
                    w.edits.computeIfAbsent(e.field(), f -> new ArrayList<>()).add(e);
                }
                case Instruction.AddInteger a -> {
                    PendingWrite w = pending(writes, a.table(), a.pk());
                    w.erase = false;
                    BsonValue setBefore = w.set.get(a.field());
                    if (setBefore != null && !w.defaults.contains(a.field())) {
                        // Set and then incremented in one transaction: the increment folds into the set (it meets every
                        // concurrent write with the set's timestamp, and a null absorbs it as on the client).
                        w.set.put(a.field(), Counters.plus(setBefore, a.delta()));
                    } else {
                        // After a default value it stays apart: it survives a concurrent set the default loses to.
                        w.increments.merge(a.field(), a.delta(), Long::sum);
                    }
                }
                case Instruction.EraseObject e -> {
                    PendingWrite w = pending(writes, e.table(), e.pk());
                    w.erase = true;
                    w.set.clear();
                    w.edits.clear();
                    w.increments.clear();
                }
                default -> {
                    // Schema instructions: the app's schema is the server's; nothing to write.
                }
            }
        }
        return writes;
    }

    /**
     * The writes of one upload message, gathered in order and then written together: the stamps in one
     * bulk write first (a session that reads a document after the write must find them), then one
     * ordered bulk write per collection. Writes that change nothing raise no change event, so they
     * leave no marker for their event ({@link #uploadedBy}); which ones those are is known from the
     * documents as they were before each write.
     */
    private final class Staged {
        final List<SyncStamps.Write> stampWrites = new ArrayList<>();
        final Map<String, List<com.mongodb.client.model.WriteModel<BsonDocument>>> models = new java.util.LinkedHashMap<>();
        final Map<String, Integer> expectedEvents = new java.util.HashMap<>();
        final List<Document> listOpRecords = new ArrayList<>();

        /** Adds one changeset's allowed writes; returns the objects written. */
        List<HistoryObject> add(SyncSchema schema, long fileIdent, long version, SyncStamps.Stamp stamp, List<PendingWrite> allowed) {
            List<HistoryObject> written = new ArrayList<>();
            UpdateOptions upsert = new UpdateOptions().upsert(true);
            for (PendingWrite w : allowed) {
                String key = objectKey(schema, w.table, w.pk);
                stampWrites.add(new SyncStamps.Write(key, w.erase ? null : w.writtenFields(), stamp, w.defaults));
                BsonDocument id = new BsonDocument("_id", w.pk);
                com.mongodb.client.model.WriteModel<BsonDocument> model;
                boolean raisesEvent;
                if (w.erase) {
                    model = new com.mongodb.client.model.DeleteOneModel<>(id);
                    raisesEvent = w.before != null;
                } else if (w.set.isEmpty() && w.unset.isEmpty() && w.increments.isEmpty()) {
                    model = new com.mongodb.client.model.UpdateOneModel<>(id, new BsonDocument("$setOnInsert", id), upsert);
                    raisesEvent = w.before == null;
                } else {
                    BsonDocument update = new BsonDocument();
                    BsonDocument set = w.set.clone();
                    Map<String, Long> increments = new java.util.LinkedHashMap<>(w.increments);
                    // A default value and an increment of one field (a new object's counter): one write of their sum.
                    for (String f : List.copyOf(increments.keySet())) {
                        if (set.containsKey(f)) {
                            set.put(f, Counters.plus(set.get(f), increments.remove(f)));
                        }
                    }
                    if (!set.isEmpty()) {
                        update.put("$set", set);
                    }
                    if (!w.unset.isEmpty()) {
                        BsonDocument fields = new BsonDocument();
                        w.unset.forEach(f -> fields.put(f, new org.bson.BsonString("")));
                        update.put("$unset", fields);
                    }
                    if (!increments.isEmpty()) {
                        BsonDocument fields = new BsonDocument();
                        increments.forEach((f, d) -> fields.put(f, new BsonInt64(d)));
                        update.put("$inc", fields);
                    }
                    model = new com.mongodb.client.model.UpdateOneModel<>(id, update, upsert);
                    raisesEvent = w.before == null || w.set.entrySet().stream().anyMatch(f -> !f.getValue().equals(w.before.get(f.getKey())))
                            || w.unset.stream().anyMatch(w.before::containsKey)
                            || w.increments.values().stream().anyMatch(d -> d != 0);
                }
                String collection = classFor(schema, w.table).collection();
                models.computeIfAbsent(collection, k -> new ArrayList<>()).add(model);
                if (raisesEvent) {
                    uploadedBy.computeIfAbsent(key, k -> new java.util.concurrent.ConcurrentLinkedDeque<>()).add(new OwnWrite(fileIdent, version));
                    expectedEvents.merge(collection, 1, Integer::sum);
                }
                written.add(new HistoryObject(w.table, w.pk));
                if (!w.erase) {
                    java.util.stream.Stream.of(w.increments, w.nullIncrements).forEach(increments -> increments.forEach((field, delta) -> {
                        if (delta != 0) {
                            listOpRecords.add(Counters.record(key, field, version, stamp, delta));
                            listEdits.incrementRecorded();
                        }
                    }));
                    w.listOps.forEach((field, ops) -> listOpRecords.add(new Document("key", key).append("field", field).append("v", version)
                            .append("ts", stamp.timestamp()).append("o", fileIdent).append("ops", ListMerge.opsDocument(ops))));
                }
            }
            return written;
        }

        void write(SyncSchema schema, long fileIdent) {
            stamps.writeAll(stampWrites);
            if (!listOpRecords.isEmpty()) {
                listEdits.insertAll(listOpRecords);
            }
            models.forEach((collection, batch) -> {
                var result = database.database(schema.database()).getCollection(collection, BsonDocument.class)
                        .bulkWrite(batch, new com.mongodb.client.model.BulkWriteOptions().ordered(true));
                int changed = result.getModifiedCount() + result.getUpserts().size() + result.getDeletedCount();
                if (changed != expectedEvents.getOrDefault(collection, 0)) {
                    LOG.warn("Sync: upload of file {} to {}.{} changed {} documents where {} were expected to change;"
                            + " the echo bookkeeping of this upload may be off", fileIdent, schema.database(), collection, changed,
                            expectedEvents.getOrDefault(collection, 0));
                }
            });
        }
    }

    /** The stored documents of the objects an upload writes, by object key: one query per collection. */
    private Map<String, BsonDocument> storedDocuments(SyncSchema schema, java.util.Collection<PendingWrite> writes) {
        Map<String, List<BsonValue>> idsByClass = new java.util.LinkedHashMap<>();
        for (PendingWrite w : writes) {
            idsByClass.computeIfAbsent(w.table, t -> new ArrayList<>()).add(w.pk);
        }
        Map<String, BsonDocument> out = new java.util.HashMap<>();
        idsByClass.forEach((table, ids) -> {
            SyncSchema.SyncClass c = classFor(schema, table);
            List<BsonValue> lookup = new ArrayList<>(ids);
            for (BsonValue id : ids) {
                if (id instanceof BsonInt64 l && l.getValue() == (int) l.getValue()) {
                    lookup.add(new org.bson.BsonInt32((int) l.getValue())); // an _id the driver stored as int32
                }
            }
            for (BsonDocument doc : collection(schema, table).find(new BsonDocument("_id", new BsonDocument("$in", new org.bson.BsonArray(lookup))))) {
                out.put(key(c.database(), c.collection(), doc.get("_id")), doc);
            }
        });
        return out;
    }

    /** What an upload did: its server version, the objects written, and the object writes the rules denied. */
    record UploadResult(long serverVersion, List<HistoryObject> written, List<Rejected> rejected) {
    }

    /**
     * Merges one uploaded object write with the stored writes its client had not seen (realm-core's
     * transform rules for CreateObject, EraseObject and Update): drops the fields that lose.
     *
     * @return whether anything of the write remains to be written
     */
    private boolean merge(String key, long fileIdent, long seen, SyncStamps.Stamp stamp, PendingWrite w, SyncStamps.ObjectStamps stored) {
        if (w.erase) {
            return true; // an erase wins over concurrent creates and updates
        }
        if (SyncStamps.concurrent(stored.erased(), fileIdent, seen)) {
            LOG.debug("Sync: upload of file {} dropped: {} {} was erased concurrently", fileIdent, w.table, w.pk);
            return false;
        }
        w.set.keySet().removeIf(field -> {
            SyncStamps.Stamp other = stored.fields().get(field);
            if (!SyncStamps.concurrent(other, fileIdent, seen)) {
                return false;
            }
            // realm-core: of a default value and a real set the real one wins whatever the timestamps; of two of a kind, the later.
            boolean isDefault = w.defaults.contains(field);
            return isDefault == other.dflt() ? !SyncStamps.wins(stamp, seen, other) : isDefault;
        });
        // Counters (realm-core's AddInteger-versus-Update rule, decision record "sync counters"): a set gains the
        // increments others made concurrently that survive it (later than it, or it is a default value); an increment
        // survives a concurrent set when it is later or the set is a default. Concurrent increments all count. Increments
        // leave the field's stamp alone and are recorded, to be sent as AddInteger with their writer's timestamp.
        Map<String, List<Counters.Increment>> concurrentIncrements = listEdits.concurrentIncrements(key, w.set.keySet(), seen, fileIdent);
        concurrentIncrements.forEach((field, increments) -> {
            long gained = Counters.gained(stamp.asDefault(w.defaults.contains(field)), increments);
            if (gained != 0) {
                LOG.debug("Sync: set of {}.{} by file {} gains {} from concurrent increments", w.table, field, fileIdent, gained);
                w.set.put(field, Counters.plus(w.set.get(field), gained));
            }
        });
        w.increments.keySet().removeIf(field -> {
            SyncStamps.Stamp other = stored.fields().get(field);
            if (SyncStamps.concurrent(other, fileIdent, seen) && !Counters.survives(stamp, other)) {
                return true;
            }
            if (!w.set.containsKey(field) && w.before != null
                    && !Counters.changes(w.before.get(field), clientFiles.holdsNullWhenAbsent(fileIdent, classFor(requireSchema(), w.table), field))) {
                // An increment of a null changes nothing (as on the client; MongoDB's $inc would refuse it), but it is
                // recorded: a concurrent earlier set that arrives later gains it, as realm-core's transform adds it.
                w.nullIncrements.merge(field, w.increments.get(field), Long::sum);
                return true;
            }
            return false;
        });
        // A collection another writer changed concurrently reached (or will reach) this client as a Clear
        // and its whole content; realm-core discards edits inside a cleared collection, and of two clears
        // keeps the later one. The server does the same (decision record "sync collections").
        w.edits.entrySet().removeIf(field -> {
            SyncStamps.Stamp other = stored.fields().get(field.getKey());
            if (!SyncStamps.concurrent(other, fileIdent, seen)) {
                return false;
            }
            List<Instruction.CollectionEdit> edits = field.getValue();
            if (w.singleEmbedded.contains(field.getKey())) {
                List<Instruction.CollectionEdit> kept = EmbeddedObjects.merge(classFor(requireSchema(), w.table).embeddedClass(field.getKey()),
                        edits, w.before == null ? null : w.before.get(field.getKey()), SyncStamps.wins(stamp, seen, other));
                if (kept == null) {
                    LOG.debug("Sync: edits of embedded {}.{} by file {} dropped: a concurrent write wins", w.table, field.getKey(), fileIdent);
                    return true;
                }
                List<Instruction.CollectionEdit> keep = List.copyOf(kept);
                edits.clear();
                edits.addAll(keep);
                return false;
            }
            int firstClear = java.util.stream.IntStream.range(0, edits.size()).filter(k -> edits.get(k).clear()).findFirst().orElse(-1);
            if (firstClear < 0 || !SyncStamps.wins(stamp, seen, other)) {
                LOG.debug("Sync: edits of {}.{} by file {} dropped: the collection was replaced concurrently", w.table, field.getKey(), fileIdent);
                return true;
            }
            edits.subList(0, firstClear).clear();
            return false;
        });
        return true;
    }
    /**
     * An object write the rules denied: not written. {@code stored} is the document as it is in MongoDB
     * (null if none); {@code erase} says the client erased the object.
     */
    record Rejected(SyncSchema.SyncClass syncClass, BsonValue pk, BsonDocument stored, boolean erase, Decision decision) {
        String reason() {
            return "write to " + syncClass.name() + " " + new BsonDocument("_id", pk).toJson() + " not allowed by the rules: "
                    + decision.describe().replace("\n  ", "; ")
                    + (decision.role() == null ? "; no role of " + syncClass.database() + "." + syncClass.collection()
                    + " applies to this user" : "");
        }
    }

    /**
     * Judges one object write against the rules: the stored document (if any) before, and after it
     * the stored document with the uploaded fields set (or nothing, for an erase).
     */
    private Rejected check(SyncSchema schema, RuleContext ctx, PendingWrite w) {
        SyncSchema.SyncClass c = classFor(schema, w.table);
        BsonDocument before = w.before;
        if (!w.erase) {
            // Collection and embedded object edits become the field's new whole value, written with the fields.
            w.edits.forEach((field, edits) -> {
                BsonValue current = before == null ? null : before.get(field);
                BsonValue value = c.singleEmbedded(field) ? EmbeddedObjects.applySingle(c.embeddedClass(field), current, edits)
                        : CollectionEdits.apply(c.collectionOf(field), current, edits);
                if (c.singleEmbedded(field) && value.isNull()) {
                    w.unset.add(field); // a deleted embedded object leaves no field (a schema's "object" type does not allow null)
                } else {
                    w.set.put(field, value);
                }
            });
        }
        BsonDocument after;
        if (w.erase) {
            if (before == null) {
                return null; // nothing to delete: nothing is written
            }
            after = null;
        } else {
            after = before == null ? new BsonDocument("_id", w.pk) : before.clone();
            w.set.forEach(after::put);
            w.unset.forEach(after::remove);
            w.increments.forEach((field, delta) -> {
                BsonValue current = after.get(field);
                long base = current != null && current.isNumber() ? current.asNumber().longValue() : 0;
                after.put(field, current instanceof org.bson.BsonInt32 && (int) (base + delta) == base + delta
                        ? new org.bson.BsonInt32((int) (base + delta)) : new BsonInt64(base + delta));
            });
        }
        w.after = after;
        Decision decision = SyncAccess.checkWrite(schema, c, rules, ctx, before, after);
        return decision.allowed() ? null : new Rejected(c, w.pk, before, w.erase, decision);
    }

    /** The fields an upload sets on one object, or its deletion. */
    private static final class PendingWrite {
        final String table;
        final BsonValue pk;
        final BsonDocument set = new BsonDocument();
        final Set<String> defaults = new java.util.HashSet<>();
        /** Fields the write removes from the document (a deleted embedded object: absent, as App Services left it). */
        final Set<String> unset = new java.util.LinkedHashSet<>();
        /** Edits of collection fields and embedded objects, per field in upload order. */
        final Map<String, List<Instruction.CollectionEdit>> edits = new java.util.LinkedHashMap<>();
        /** List fields written by element edits merged element by element: recorded, not stamped. */
        final Map<String, List<ListMerge.Op>> listOps = new java.util.LinkedHashMap<>();
        /** Counter increments (AddInteger) per field, written with {@code $inc} and not stamped. */
        final Map<String, Long> increments = new java.util.LinkedHashMap<>();
        /** Increments of a stored null: nothing is written (no change event either), only recorded (decision record "sync counters"). */
        final Map<String, Long> nullIncrements = new java.util.LinkedHashMap<>();
        /** The fields among {@link #edits} that hold one embedded object. */
        final Set<String> singleEmbedded = new java.util.HashSet<>();
        /** The document as MongoDB held it before this write (null if none), and as the write leaves it. */
        BsonDocument before;
        BsonDocument after;
        boolean erase;

        /** The fields this write sets or removes (what its stamp covers). */
        List<String> writtenFields() {
            List<String> out = new ArrayList<>(set.keySet());
            out.addAll(unset);
            out.removeAll(listOps.keySet());
            return out;
        }

        PendingWrite(String table, BsonValue pk) {
            this.table = table;
            this.pk = pk;
        }
    }

    private static PendingWrite pending(Map<String, PendingWrite> writes, String table, BsonValue pk) {
        return writes.computeIfAbsent(table + "/" + new BsonDocument("k", pk).toJson(), k -> new PendingWrite(table, pk));
    }

    static String stripClassPrefix(String table) {
        return table.startsWith("class_") ? table.substring(6) : table;
    }

    static SyncSchema.SyncClass classFor(SyncSchema schema, String table) {
        SyncSchema.SyncClass c = schema.classes().get(stripClassPrefix(table));
        if (c == null && schema.embeddedClass(stripClassPrefix(table)) != null) {
            throw new BadChangesetException("embedded class " + table + " has no objects of its own: its objects are written through"
                    + " their parent's field");
        }
        if (c == null) {
            throw new BadChangesetException("class " + table + " is not in this app's sync schema (a collection rule with schema title \""
                    + table + "\" in database " + schema.database() + ")");
        }
        return c;
    }

    /** Runs {@code read} with no upload being applied meanwhile (uploads hold the same lock while they write). */
    synchronized <T> T atomically(Supplier<T> read) {
        return read.get();
    }

    /** The synced class a table names (with or without realm-core's {@code class_} prefix). */
    SyncSchema.SyncClass syncClass(String table) {
        return classFor(requireSchema(), table);
    }

    private MongoCollection<BsonDocument> collection(SyncSchema schema, String table) {
        SyncSchema.SyncClass c = classFor(schema, table);
        return database.database(c.database()).getCollection(c.collection(), BsonDocument.class);
    }

    /** An upload's write of one document, until its change event arrives. */
    private record OwnWrite(long origin, long version, long registeredNanos) {
        OwnWrite(long origin, long version) {
            this(origin, version, System.nanoTime());
        }
    }

    /**
     * How long an upload's expected change event may hold the delivered watermark back ({@code thimble.sync.eventWaitMillis}):
     * an event that never comes (the write's bookkeeping was off) must not hold every session's downloads forever.
     */
    private static final long EVENT_WAIT_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Long.getLong("thimble.sync.eventWaitMillis", 30_000L));

    String objectKey(SyncSchema schema, String table, BsonValue pk) {
        SyncSchema.SyncClass c = classFor(schema, table);
        return key(c.database(), c.collection(), pk);
    }

    static String key(String db, String coll, BsonValue id) {
        return db + "." + coll + "/" + new BsonDocument("k", Changesets.realmValue(id)).toJson();
    }

    // ---- MongoDB changes become downloads --------------------------------------------------------

    /**
     * Change events wait here for the one worker that turns them into history and downloads in
     * batches: one version reservation, one stamps bulk write and one history insert per batch, and
     * one download per session per batch (instead of four round trips and a download per change).
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<ChangeEvent> pendingChanges = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.ExecutorService changeWorker = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("thimble-sync-changes").factory());
    /** The most change events turned into history and downloads at once. */
    static final int CHANGE_BATCH = 500;

    private void onChange(ChangeEvent event) {
        pendingChanges.add(event);
        if (draining.compareAndSet(false, true)) {
            changeWorker.execute(this::drainChanges);
        }
    }

    private void drainChanges() {
        while (true) {
            List<ChangeEvent> batch = new ArrayList<>();
            for (ChangeEvent e; batch.size() < CHANGE_BATCH && (e = pendingChanges.poll()) != null; ) {
                batch.add(e);
            }
            if (batch.isEmpty()) {
                draining.set(false);
                // An event added after the poll and before the flag was cleared must not wait for the next one.
                if (pendingChanges.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            try {
                processChanges(batch);
            } catch (RuntimeException e) {
                LOG.warn("Sync: could not turn {} changes into downloads: {}", batch.size(), e.toString());
            }
        }
    }

    /**
     * Tests only: runs on the change worker before a batch of changes is handed to a session, so a test
     * can hold the live delivery of another client's change (and reproduce an ordering race) with a gate.
     */
    static volatile java.util.function.Consumer<List<Change>> beforeDeliveryForTests;

    /** One change as sessions receive it. */
    record Change(String table, BsonValue pk, BsonDocument before, Set<String> changed, boolean erase, long version, long origin) {
    }

    private void processChanges(List<ChangeEvent> events) {
        SyncSchema schema = schema().orElse(null);
        if (schema == null) {
            return;
        }
        List<ChangeEvent> relevant = new ArrayList<>();
        List<OwnWrite> uploads = new ArrayList<>();
        int byOtherMeans = 0;
        for (ChangeEvent event : events) {
            Optional<SyncSchema.SyncClass> syncClass = schema.classOf(event.ns().db(), event.ns().coll());
            if (syncClass.isEmpty()) {
                continue;
            }
            String key = key(event.ns().db(), event.ns().coll(), event.documentId());
            java.util.Deque<OwnWrite> own = uploadedBy.get(key);
            OwnWrite upload = own == null ? null : own.pollFirst();
            if (own != null && own.isEmpty()) {
                uploadedBy.remove(key, own);
            }
            relevant.add(event);
            uploads.add(upload);
            if (upload == null) {
                byOtherMeans++;
            }
        }
        if (relevant.isEmpty()) {
            return;
        }
        long nextVersion = byOtherMeans == 0 ? 0 : reserveServerVersions(byOtherMeans);
        List<SyncStamps.Write> stampWrites = new ArrayList<>();
        List<Document> historyEntries = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        long now = syncTimestamp();
        for (int i = 0; i < relevant.size(); i++) {
            ChangeEvent event = relevant.get(i);
            OwnWrite upload = uploads.get(i);
            SyncSchema.SyncClass syncClass = schema.classOf(event.ns().db(), event.ns().coll()).orElseThrow();
            String key = key(event.ns().db(), event.ns().coll(), event.documentId());
            String table = syncClass.name();
            BsonValue pk = Changesets.realmValue(event.documentId());
            boolean erase = event.operationType() == OperationType.DELETE || event.fullDocument() == null;
            Set<String> changed = erase ? Set.of() : changedFields(event, syncClass);
            long version;
            long origin;
            if (upload != null) {
                version = upload.version(); // stamped and in the history already
                origin = upload.origin();
            } else {
                // A write by other means (the driver, realm-web, functions, triggers, the data browser).
                version = nextVersion++;
                origin = SERVER_FILE_IDENT;
                SyncStamps.Stamp stamp = new SyncStamps.Stamp(now, SERVER_FILE_IDENT, version);
                stampWrites.add(new SyncStamps.Write(key, erase ? null : changed, stamp));
                // The state before the change where the event says it (an insert: none; a pre-image), for catch-ups.
                HistoryObject object = new HistoryObject(table, pk);
                Map<HistoryObject, BsonDocument> before = new java.util.HashMap<>();
                if (event.operationType() == OperationType.INSERT) {
                    before.put(object, null);
                } else if (event.fullDocumentBeforeChange() != null) {
                    before.put(object, event.fullDocumentBeforeChange());
                }
                historyEntries.add(SyncHistory.entry(version, SERVER_FILE_IDENT, 0, now, null, List.of(object), before));
            }
            changes.add(new Change(table, pk, event.fullDocumentBeforeChange(), changed, erase, version, origin));
        }
        stamps.writeAll(stampWrites);
        if (!historyEntries.isEmpty()) {
            history.insertAll(historyEntries);
            history.compact();
        }
        for (SyncConnection.Session session : sessions) {
            List<Change> forSession = changes.stream().filter(c -> c.origin() != session.fileIdent()).toList();
            if (!forSession.isEmpty()) {
                java.util.function.Consumer<List<Change>> hook = beforeDeliveryForTests;
                if (hook != null) {
                    hook.accept(forSession);
                }
                session.deliver(forSession); // the client that uploaded a change has it already
            }
        }
        publishWatermark();
    }

    /**
     * The server version up to which every change has been handed to the sessions (or needs no delivery): below
     * the oldest upload whose change event has not reached the worker yet, else the current server version. Writes
     * by other means get their versions on the worker as their events are handed on; compensating writes change
     * nothing in MongoDB. Synchronized with {@link #applyUploads}, which takes a version and registers its
     * expected event together. Decision record "sync watermark".
     */
    synchronized long deliveredWatermark() {
        long oldestPending = Long.MAX_VALUE;
        for (java.util.Deque<OwnWrite> writes : uploadedBy.values()) {
            for (OwnWrite w : writes) {
                if (System.nanoTime() - w.registeredNanos() < EVENT_WAIT_NANOS) {
                    oldestPending = Math.min(oldestPending, w.version());
                }
            }
        }
        long current = currentServerVersion();
        return oldestPending == Long.MAX_VALUE ? current : Math.min(current, oldestPending - 1);
    }

    /** Tells every session how far the changes handed on go; on the change worker, after the hand-offs it covers. */
    private void publishWatermark() {
        long watermark = deliveredWatermark();
        for (SyncConnection.Session session : sessions) {
            session.advance(watermark);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean watermarkQueued = new java.util.concurrent.atomic.AtomicBoolean();

    /** A session holds a download back until the watermark passes it: have the worker publish it (after what it is doing). */
    void requestWatermark() {
        if (!watermarkQueued.compareAndSet(false, true)) {
            return; // one publication queued answers every request made before it runs
        }
        try {
            changeWorker.execute(() -> {
                watermarkQueued.set(false);
                try {
                    publishWatermark();
                } catch (RuntimeException e) {
                    LOG.warn("Sync: could not publish the delivered watermark: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: nothing more is sent
        }
    }

    /** Reserves {@code n} consecutive server versions; returns the first. */
    synchronized long reserveServerVersions(int n) {
        if (counters.find(new Document("_id", "server_version")).first() == null) {
            next("server_version");
        }
        Document doc = counters.findOneAndUpdate(new Document("_id", "server_version"), Updates.inc("seq", (long) n),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return doc.get("seq", Number.class).longValue() - n + 1;
    }

    /** The class's top-level fields a change set (all of them for an insert or replacement). */
    private static Set<String> changedFields(ChangeEvent event, SyncSchema.SyncClass c) {
        Set<String> out = new java.util.LinkedHashSet<>();
        if (event.operationType() == OperationType.UPDATE && event.updateDescription() != null) {
            event.updateDescription().updatedFields().keySet().forEach(f -> out.add(f.split("\\.", 2)[0]));
            event.updateDescription().removedFields().forEach(f -> out.add(f.split("\\.", 2)[0]));
        } else if (event.fullDocument() != null) {
            out.addAll(event.fullDocument().keySet());
        }
        out.retainAll(c.fieldTypes().keySet());
        out.remove("_id");
        return out;
    }

    /** A changeset as downloaded: its origin timestamp and origin file identity, which clients merge by. */
    record Download(long timestamp, long origin, byte[] changeset, long version, long lastIntegratedClientVersion) {
        Download(long timestamp, long origin, byte[] changeset) {
            this(timestamp, origin, changeset, 0);
        }

        Download(long timestamp, long origin, byte[] changeset, long version) {
            this(timestamp, origin, changeset, version, -1);
        }

        /** The same changeset, noting the newest server version its state contains. */
        Download at(long serverVersion) {
            return new Download(timestamp, origin, changeset, serverVersion, lastIntegratedClientVersion);
        }
    }

    /** Changesets that bring a client to the given state of some objects, and the newest server version they contain. */
    record ObjectState(List<Download> changesets, long version) {
    }

    /** The document with this primary key as MongoDB holds it now, or null. */
    BsonDocument document(String table, BsonValue pk) {
        SyncSchema schema = requireSchema();
        MongoCollection<BsonDocument> coll = collection(schema, table);
        BsonDocument doc = coll.find(new BsonDocument("_id", pk)).first();
        if (doc == null && pk instanceof BsonInt64 l && l.getValue() == (int) l.getValue()) {
            doc = coll.find(new BsonDocument("_id", new org.bson.BsonInt32((int) l.getValue()))).first();
        }
        return doc;
    }

    /** How a session's user may read a class under a subscription query (the app's current rules). */
    SyncAccess.ClassView view(String table, Rql.Query query, RuleContext ctx) {
        SyncSchema schema = requireSchema();
        return SyncAccess.view(schema, classFor(schema, table), rules, ctx, query.filter());
    }

    /** The documents of a view that its user may read, for a bootstrap. */
    List<BsonDocument> matching(SyncAccess.ClassView view) {
        if (view.empty()) {
            return List.of();
        }
        MongoCollection<BsonDocument> coll = collection(requireSchema(), view.syncClass().name());
        List<BsonDocument> out = new ArrayList<>();
        for (BsonDocument doc : coll.find(view.bootstrapFilter())) {
            if (view.readable(doc)) {
                out.add(doc);
            }
        }
        return out;
    }

    @Override
    public void close() {
        changes.close();
        changeWorker.shutdown();
        sessions.forEach(SyncConnection.Session::closeConnection);
    }

    static BsonInt64 int64(long v) {
        return new BsonInt64(v);
    }
}
