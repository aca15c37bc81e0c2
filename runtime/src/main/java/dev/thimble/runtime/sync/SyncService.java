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

import java.security.SecureRandom;
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
    private final MongoCollection<Document> history;
    private final Clock clock;
    private final Set<SyncConnection.Session> sessions = ConcurrentHashMap.newKeySet();
    /** Document → the client file whose upload just wrote it: that file's session does not get the echo. */
    private final Map<String, Long> uploadedBy = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Subscription changes;

    private SyncService(Supplier<AppModel> app, Database database, MongoDatabase state, Clock clock, SyncRules rules) {
        this.app = app;
        this.database = database;
        this.rules = rules;
        this.counters = state.getCollection("sync_counters");
        this.clients = state.getCollection("sync_clients");
        this.history = state.getCollection("sync_history");
        this.clock = clock;
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
        return SyncSchema.of(app.get()).isPresent() ? new SyncService(app, database, state, clock, rules) : null;
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

    void opened(SyncConnection.Session session) {
        sessions.add(session);
    }

    void closed(SyncConnection.Session session) {
        sessions.remove(session);
    }

    long syncTimestamp() {
        return clock.millis() - SYNC_EPOCH_MILLIS;
    }

    // ---- client files and progress --------------------------------------------------------------

    /** A new client file identity (from 2 up: 1 is the server's own) with a random positive salt. */
    long[] newClientFile(String userId) {
        long ident = Math.max(SERVER_FILE_IDENT, next("file_ident")) + 1;
        long salt = random.nextLong(1, Long.MAX_VALUE >> 1);
        clients.insertOne(new Document("_id", ident).append("salt", salt).append("user_id", userId)
                .append("last_integrated_client_version", 0L).append("last_server_version", 0L));
        return new long[]{ident, salt};
    }

    /** The client file's record, or null if this server never issued it. */
    Document clientFile(long ident) {
        return clients.find(new Document("_id", ident)).first();
    }

    void recordUploadProgress(long ident, long clientVersion, long lastIntegratedServerVersion) {
        clients.updateOne(new Document("_id", ident), Updates.combine(
                Updates.max("last_integrated_client_version", clientVersion),
                Updates.max("last_server_version", lastIntegratedServerVersion)));
    }

    long currentServerVersion() {
        Document doc = counters.find(new Document("_id", "server_version")).first();
        return doc == null ? 1 : Math.max(1, doc.get("seq", Number.class).longValue());
    }

    private long next(String counter) {
        Document doc = counters.findOneAndUpdate(new Document("_id", counter), Updates.inc("seq", 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return doc.get("seq", Number.class).longValue();
    }

    /** Appends a changeset to the server history and returns its server version. */
    synchronized long appendHistory(long originFileIdent, long clientVersion, byte[] changeset) {
        if (counters.find(new Document("_id", "server_version")).first() == null) {
            next("server_version"); // version 1 is the empty initial state
        }
        long version = next("server_version");
        history.insertOne(new Document("_id", version).append("origin_file_ident", originFileIdent)
                .append("client_version", clientVersion).append("timestamp", syncTimestamp())
                .append("changeset", new org.bson.types.Binary(changeset)));
        return version;
    }

    // ---- uploads become MongoDB writes -----------------------------------------------------------

    /**
     * Applies one uploaded changeset to MongoDB: CreateObject becomes an upsert, field Updates a
     * {@code $set} (last writer wins per field), EraseObject a delete.
     *
     * <p>Every object write is judged by the app's rules for the session's user first (an insert when
     * the document does not exist, else an update of the stored document to the written one, or a
     * delete); the allowed ones are written, the denied ones are not and are returned, for the
     * session to send compensating writes.
     *
     * @return the object writes the rules denied (empty when all were allowed)
     * @throws BadChangesetException for instructions this slice does not support, before anything is written
     */
    List<Rejected> applyUpload(long fileIdent, RuleContext ctx, List<Instruction> instructions) {
        SyncSchema schema = requireSchema();
        for (Instruction i : instructions) {
            if (i instanceof Instruction.Unsupported u) {
                throw new BadChangesetException(u.name() + " on " + u.table() + (u.field() == null ? "" : "." + u.field())
                        + " is not supported by this server yet (lists, sets, dictionaries, embedded objects and links are refused)");
            }
            if (i instanceof Instruction.AddTable t && t.embedded()) {
                throw new BadChangesetException("embedded object class " + t.table() + " is not supported by this server yet");
            }
            if (i instanceof Instruction.AddColumn c && c.collectionType() != 0) {
                throw new BadChangesetException("collection property " + c.table() + "." + c.field() + " is not supported by this server yet");
            }
            if (!(i instanceof Instruction.AddTable || i instanceof Instruction.AddColumn)) {
                classFor(schema, i.table());
            }
        }
        // One write per object, so other clients and change listeners never see half of an uploaded object.
        Map<String, PendingWrite> writes = new java.util.LinkedHashMap<>();
        for (Instruction i : instructions) {
            switch (i) {
                case Instruction.CreateObject c -> pending(writes, c.table(), c.pk()).erase = false;
                case Instruction.Update u -> {
                    PendingWrite w = pending(writes, u.table(), u.pk());
                    w.erase = false;
                    w.set.put(u.field(), u.value());
                }
                case Instruction.EraseObject e -> {
                    PendingWrite w = pending(writes, e.table(), e.pk());
                    w.erase = true;
                    w.set.clear();
                }
                default -> {
                    // Schema instructions: the app's schema is the server's; nothing to write.
                }
            }
        }
        // Judge every object write before writing any, so a rule that reads other documents sees the state before the upload.
        List<Rejected> rejected = new ArrayList<>();
        List<PendingWrite> allowed = new ArrayList<>();
        for (PendingWrite w : writes.values()) {
            Rejected r = check(schema, ctx, w);
            if (r == null) {
                allowed.add(w);
            } else {
                rejected.add(r);
            }
        }
        for (PendingWrite w : allowed) {
            MongoCollection<BsonDocument> coll = collection(schema, w.table);
            markOwnWrite(fileIdent, schema, w.table, w.pk);
            BsonDocument id = new BsonDocument("_id", w.pk);
            if (w.erase) {
                coll.deleteOne(id);
            } else if (w.set.isEmpty()) {
                coll.updateOne(id, new BsonDocument("$setOnInsert", id), new UpdateOptions().upsert(true));
            } else {
                coll.updateOne(id, new BsonDocument("$set", w.set), new UpdateOptions().upsert(true));
            }
        }
        return rejected;
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
        BsonDocument before = collection(schema, w.table).find(new BsonDocument("_id", w.pk)).first();
        BsonDocument after;
        if (w.erase) {
            if (before == null) {
                return null; // nothing to delete: nothing is written
            }
            after = null;
        } else {
            after = before == null ? new BsonDocument("_id", w.pk) : before.clone();
            w.set.forEach(after::put);
        }
        Decision decision = SyncAccess.checkWrite(schema, c, rules, ctx, before, after);
        return decision.allowed() ? null : new Rejected(c, w.pk, before, w.erase, decision);
    }

    /** The fields an upload sets on one object, or its deletion. */
    private static final class PendingWrite {
        final String table;
        final BsonValue pk;
        final BsonDocument set = new BsonDocument();
        boolean erase;

        PendingWrite(String table, BsonValue pk) {
            this.table = table;
            this.pk = pk;
        }
    }

    private static PendingWrite pending(Map<String, PendingWrite> writes, String table, BsonValue pk) {
        return writes.computeIfAbsent(table + "/" + new BsonDocument("k", pk).toJson(), k -> new PendingWrite(table, pk));
    }

    private SyncSchema.SyncClass classFor(SyncSchema schema, String table) {
        SyncSchema.SyncClass c = schema.classes().get(table.startsWith("class_") ? table.substring(6) : table);
        if (c == null) {
            throw new BadChangesetException("class " + table + " is not in this app's sync schema (a collection rule with schema title \""
                    + table + "\" in database " + schema.database() + ")");
        }
        return c;
    }

    private MongoCollection<BsonDocument> collection(SyncSchema schema, String table) {
        SyncSchema.SyncClass c = classFor(schema, table);
        return database.database(c.database()).getCollection(c.collection(), BsonDocument.class);
    }

    private void markOwnWrite(long fileIdent, SyncSchema schema, String table, BsonValue pk) {
        SyncSchema.SyncClass c = classFor(schema, table);
        uploadedBy.put(key(c.database(), c.collection(), pk), fileIdent);
    }

    private static String key(String db, String coll, BsonValue id) {
        return db + "." + coll + "/" + new BsonDocument("k", id).toJson();
    }

    // ---- MongoDB changes become downloads --------------------------------------------------------

    private void onChange(ChangeEvent event) {
        try {
            SyncSchema schema = schema().orElse(null);
            if (schema == null) {
                return;
            }
            Optional<SyncSchema.SyncClass> syncClass = schema.classOf(event.ns().db(), event.ns().coll());
            if (syncClass.isEmpty()) {
                return;
            }
            String key = key(event.ns().db(), event.ns().coll(), event.documentId());
            Long origin = uploadedBy.remove(key);
            List<Instruction> instructions = new ArrayList<>();
            String table = syncClass.get().name();
            BsonValue pk = Changesets.realmValue(event.documentId());
            BsonDocument after = event.fullDocument();
            if (event.operationType() == OperationType.DELETE || after == null) {
                instructions.add(new Instruction.EraseObject(table, pk));
            } else {
                instructions.addAll(objectInstructions(table, after));
            }
            byte[] changeset = Changesets.encode(instructions);
            long version = appendHistory(SERVER_FILE_IDENT, 0, changeset);
            for (SyncConnection.Session session : sessions) {
                if (origin != null && origin == session.fileIdent()) {
                    continue; // the client that uploaded this change has it already
                }
                session.deliver(table, event.fullDocumentBeforeChange(), after, version, changeset, instructions);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sync: could not turn a change of {} into a download: {}", event.ns(), e.toString());
        }
    }

    /** CreateObject plus one Update per scalar field the class has. */
    List<Instruction> objectInstructions(String table, BsonDocument doc) {
        SyncSchema.SyncClass c = requireSchema().classes().get(table);
        BsonValue pk = Changesets.realmValue(doc.get("_id"));
        List<Instruction> out = new ArrayList<>();
        out.add(new Instruction.CreateObject(table, pk));
        for (Map.Entry<String, BsonValue> field : doc.entrySet()) {
            String name = field.getKey();
            if (name.equals("_id") || (c != null && !c.fieldTypes().containsKey(name))) {
                continue;
            }
            BsonValue value = Changesets.realmValue(field.getValue());
            switch (value.getBsonType()) {
                case NULL, INT64, BOOLEAN, STRING, DOUBLE, DATE_TIME, OBJECT_ID -> out.add(new Instruction.Update(table, pk, name, value, false));
                case BINARY -> {
                    if (((BsonBinary) value).getType() == 4) {
                        out.add(new Instruction.Update(table, pk, name, value, false));
                    }
                }
                default -> {
                    // Arrays, embedded documents and other types are not synced in this slice (decision record).
                }
            }
        }
        return out;
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
        sessions.forEach(SyncConnection.Session::closeConnection);
    }

    static BsonInt64 int64(long v) {
        return new BsonInt64(v);
    }
}
