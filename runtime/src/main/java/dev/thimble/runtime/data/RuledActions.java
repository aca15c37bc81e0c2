package dev.thimble.runtime.data;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.InvalidInput;
import dev.thimble.runtime.errors.Forbidden;
import dev.thimble.runtime.errors.Unavailable;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.UpdateResult;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.QueryPlan;
import dev.thimble.runtime.rules.ReadResult;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.rules.WriteCheck;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One action run as a user, with the rules of its namespace applied (see {@link MongoActions}).
 *
 * <p><b>After-images.</b> Update operators are never re-implemented here. The before-images of the
 * documents an update matched are copied into a per-call scratch collection ({@link ScratchSpace})
 * and the caller's update (or replacement) is applied there by the database; what comes out is the
 * after-image the rules judge. An upsert that inserts is computed the same way: the update is
 * applied with {@code upsert: true} to the empty scratch collection with the caller's query, and the
 * resulting document is judged as an insert. Only when every document of the request is allowed is
 * anything written to the real collection.
 *
 * <p><b>The race between check and write, and its guards.</b> Another writer could change a document
 * after it was read and judged but before it is written, so that the write lands on a document the
 * rules never saw. Two guards:
 * <ol>
 *   <li>Every write is a compare-and-set: it is addressed by {@code _id} <em>and</em> the
 *       before-image (every top-level field, and the number of fields; see {@link #unchanged}), so it
 *       matches only if the document is still what was judged; an update then applies the caller's own operators
 *       (so change streams see an update, and the result equals the judged after-image), a replace
 *       writes the judged after-image. A document that changed in between is not written: if nothing
 *       of the request was written yet, the whole request is read, judged and tried again (up to
 *       {@link #ATTEMPTS} times); if some documents of a multi-document request were already written,
 *       the request fails with 409 saying how many were written. There are no transactions (the
 *       embedded server has none), so such a request is not rolled back.</li>
 *   <li>User writes through {@code MongoActions} to one namespace take a per-namespace lock (striped,
 *       shared by every instance on the same {@link Database}), so user requests of this server never
 *       race each other at all, and an upsert's "nothing matched" cannot be invalidated by another user's
 *       insert. The lock is waited for at most {@link #LOCK_WAIT_MILLIS} ms (a rule's {@code %function}
 *       could itself write to the namespace from another thread); after that the write goes ahead with
 *       the compare-and-set guard alone. System callers and writers outside Thimble do not take the lock:
 *       against them the compare-and-set is the guard, and an upsert can still insert a second document
 *       matching the query unless a unique index forbids it (as in MongoDB itself).</li>
 * </ol>
 */
final class RuledActions {
    static final int ATTEMPTS = 3;
    static final long LOCK_WAIT_MILLIS = 2000;

    private static final ReentrantLock[] WRITE_LOCKS = new ReentrantLock[64];

    static {
        for (int i = 0; i < WRITE_LOCKS.length; i++) {
            WRITE_LOCKS[i] = new ReentrantLock();
        }
    }

    private static final Codec<Document> DOCUMENT_CODEC = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);
    private static final int MATERIALIZE_BATCH = 500;

    private final ActionArguments args;
    private final MongoCollection<BsonDocument> collection;
    /** Where the namespace's queries are read: the driver, or the embedded server in this process (decision 0066). */
    private final QueryCursor.Source reads;
    private final CollectionRules rules;
    private final RuleContext ctx;
    private final MongoActions.DecisionLog log;
    private final ScratchSpace scratch;
    private final ReentrantLock writeLock;
    private final String namespace;

    RuledActions(ActionArguments args, MongoCollection<BsonDocument> collection, QueryCursor.Source reads, CollectionRules rules,
                 RuleContext ctx, MongoActions.DecisionLog log, ScratchSpace scratch, ReentrantLock writeLock) {
        this.args = args;
        this.collection = collection;
        this.reads = reads;
        this.rules = rules;
        this.ctx = ctx;
        this.log = log;
        this.scratch = scratch;
        this.writeLock = writeLock;
        this.namespace = rules.namespace();
    }

    static ReentrantLock writeLock(Database database, String namespace) {
        int hash = 31 * System.identityHashCode(database) + namespace.hashCode();
        return WRITE_LOCKS[Math.floorMod(hash, WRITE_LOCKS.length)];
    }

    BsonValue run() {
        return switch (args.action()) {
            case "find" -> find();
            case "findOne" -> findOne();
            case "count" -> count();
            case "aggregate" -> aggregate();
            case "distinct" -> distinct();
            case "insertOne" -> insertOne();
            case "insertMany" -> insertMany();
            case "updateOne" -> update(false);
            case "updateMany" -> update(true);
            case "deleteOne" -> delete(false);
            case "deleteMany" -> delete(true);
            case "findOneAndUpdate" -> findOneAndModify(false);
            case "findOneAndReplace" -> args.has("update") ? findOneAndModify(true) : findOneAndDelete();
            case "findOneAndDelete" -> findOneAndDelete();
            default -> throw new IllegalStateException("unhandled action " + args.action());
        };
    }

    // ---- reads ---------------------------------------------------------------------------------

    private BsonValue find() {
        QueryPlan plan = plan(args.document("query"), args.optionalDocument("project"));
        return new BsonArray(visible(plan, args.optionalDocument("sort"), args.count("skip"), args.count("limit")));
    }

    private BsonValue findOne() {
        QueryPlan plan = plan(args.document("query"), args.optionalDocument("project"));
        List<BsonDocument> found = visible(plan, args.optionalDocument("sort"), args.count("skip"), 1);
        return found.isEmpty() ? BsonNull.VALUE : found.getFirst();
    }

    private BsonValue count() {
        QueryPlan plan = plan(args.document("query"), null);
        int skip = args.count("skip");
        int limit = args.count("limit");
        long visible = 0;
        long skipped = 0;
        try (QueryCursor cursor = reads.find(plan.query(), null)) {
            while (cursor.hasNext() && (limit == 0 || visible < limit)) {
                if (read(cursor.next(), plan) != null) {
                    if (skipped < skip) {
                        skipped++;
                    } else {
                        visible++;
                    }
                }
            }
        }
        return new BsonInt64(visible);
    }

    private BsonValue aggregate() {
        List<BsonDocument> pipeline = args.pipeline();
        refuseStages(pipeline, "pipeline");
        QueryPlan plan = plan(new BsonDocument(), null);
        try (ScratchSpace.Scratch s = scratch.open()) {
            materialize(s, plan);
            return new BsonArray(s.collection.aggregate(pipeline).into(new ArrayList<>()));
        }
    }

    private void refuseStages(List<BsonDocument> pipeline, String where) {
        for (int i = 0; i < pipeline.size(); i++) {
            BsonDocument stage = pipeline.get(i);
            if (stage.size() != 1) {
                throw args.invalid("InvalidParameter", "a pipeline stage (" + where + "[" + i + "]) is a document with exactly"
                        + " one field, the stage's name, e.g. {\"$match\": {...}}");
            }
            String name = stage.getFirstKey();
            if (MongoActions.REFUSED_STAGES.contains(name)) {
                throw args.invalid("InvalidParameter", "the stage " + name + " (" + where + "[" + i + "]) is not allowed for users:"
                        + " it reads or writes around the access rules. Run it in a system function, or drop it.");
            }
            if (name.equals("$facet") && stage.get(name).isDocument()) {
                for (Map.Entry<String, BsonValue> facet : stage.getDocument(name).entrySet()) {
                    if (facet.getValue().isArray()) {
                        List<BsonDocument> inner = new ArrayList<>();
                        for (BsonValue v : facet.getValue().asArray()) {
                            if (v.isDocument() && !v.asDocument().isEmpty()) {
                                inner.add(v.asDocument());
                            }
                        }
                        refuseStages(inner, where + "[" + i + "].$facet." + facet.getKey());
                    }
                }
            }
        }
    }

    private BsonValue distinct() {
        String field = MongoActions.distinctField(args);
        QueryPlan plan = plan(args.document("query"), null);
        try (ScratchSpace.Scratch s = scratch.open()) {
            materialize(s, plan);
            return new BsonArray(s.collection.distinct(field, BsonValue.class).into(new ArrayList<>()));
        }
    }

    /** Copies the documents the plan finds, as the caller may read them (filter projections applied), into the scratch collection. */
    private void materialize(ScratchSpace.Scratch s, QueryPlan plan) {
        DocumentProjection projection = projection(plan);
        List<BsonDocument> batch = new ArrayList<>();
        try (QueryCursor cursor = reads.find(plan.query(), null)) {
            while (cursor.hasNext()) {
                ReadResult r = read(cursor.next(), plan);
                if (r == null) {
                    continue;
                }
                batch.add(project(r.document(), projection));
                if (batch.size() == MATERIALIZE_BATCH) {
                    s.collection.insertMany(batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            s.collection.insertMany(batch);
        }
    }

    private QueryPlan plan(BsonDocument query, BsonDocument projection) {
        QueryPlan plan = rules.planQuery(ctx, toDocument(query), projection == null ? null : toDocument(projection));
        log.add(plan.decision());
        if (!plan.allowed()) {
            throw new Forbidden("NoMatchingRuleFound", "no rule exists for namespace \"" + namespace + "\"");
        }
        return plan;
    }

    /**
     * Sorting by a field reveals its order as surely as querying it does, so the sort's fields join the
     * query's: a document whose role cannot read a sort field does not match.
     */
    private static QueryPlan sortingCountsAsQuerying(QueryPlan plan, BsonDocument sort) {
        return sort == null ? plan : alsoQuerying(plan, sort.keySet());
    }

    /** The plan with more paths counted as queried (a sort's, an update's arrayFilters'). */
    private static QueryPlan alsoQuerying(QueryPlan plan, java.util.Collection<String> paths) {
        if (paths.isEmpty()) {
            return plan;
        }
        java.util.LinkedHashSet<String> fields = new java.util.LinkedHashSet<>(plan.queriedFields());
        fields.addAll(paths);
        return new QueryPlan(plan.allowed(), plan.query(), plan.projection(), List.copyOf(fields), plan.queryOpaque(), plan.decision());
    }

    /** The visible documents, read with rules then projected; skip and limit count visible documents. */
    private List<BsonDocument> visible(QueryPlan plan, BsonDocument sort, int skip, int limit) {
        plan = sortingCountsAsQuerying(plan, sort);
        DocumentProjection projection = projection(plan);
        List<BsonDocument> out = new ArrayList<>();
        int skipped = 0;
        try (QueryCursor cursor = reads.find(plan.query(), sort)) {
            while (cursor.hasNext() && (limit == 0 || out.size() < limit)) {
                ReadResult r = read(cursor.next(), plan);
                if (r == null) {
                    continue;
                }
                if (skipped < skip) {
                    skipped++;
                    continue;
                }
                out.add(project(r.document(), projection));
            }
        }
        return out;
    }

    /**
     * The document as the caller may read it, or null when invisible: no role, or the query names a
     * field the role cannot read in it (such a document does not match).
     */
    private ReadResult read(BsonDocument stored, QueryPlan plan) {
        ReadResult r = rules.applyRead(ctx, toDocument(stored), plan);
        log.add(r.decision());
        return r.visible() ? r : null;
    }

    private static DocumentProjection projection(QueryPlan plan) {
        return plan.projection() == null ? null : DocumentProjection.of(toBson(plan.projection()));
    }

    private static BsonDocument project(Document readable, DocumentProjection projection) {
        BsonDocument document = toBson(readable);
        return projection == null ? document : projection.apply(document);
    }

    // ---- writes --------------------------------------------------------------------------------

    /** A document a write matched: as stored, and as the rules read it. */
    private record Candidate(BsonDocument stored, Document asDocument, ReadResult read) {
        BsonValue id() {
            return stored.get("_id");
        }
    }

    /** A document the rules refused, for the error message. */
    private record Refusal(BsonValue id, Decision decision) { }

    /** A document changed between its check and its write; {@code written} documents of the request were already written. */
    private static final class Conflict extends RuntimeException {
        final BsonValue id;
        final int written;
        final int total;

        Conflict(BsonValue id, int written, int total) {
            super(null, null, false, false);
            this.id = id;
            this.written = written;
            this.total = total;
        }
    }

    /** The documents a write applies to: visible to the caller, matched by the planned query; at most {@code max} (0: all). */
    private List<Candidate> candidates(QueryPlan plan, BsonDocument sort, int max) {
        plan = sortingCountsAsQuerying(plan, sort);
        List<Candidate> out = new ArrayList<>();
        try (QueryCursor cursor = reads.find(plan.query(), sort)) {
            while (cursor.hasNext() && (max == 0 || out.size() < max)) {
                BsonDocument stored = cursor.next();
                Document document = toDocument(stored);
                ReadResult r = rules.applyRead(ctx, document, plan);
                log.add(r.decision());
                if (r.visible()) {
                    out.add(new Candidate(stored, document, r));
                }
            }
        }
        return out;
    }

    private BsonValue insertOne() {
        BsonDocument document = MongoActions.withId(args.requiredDocument("document", "give the document to insert"));
        checkInserts(List.of(document));
        collection.insertOne(document);
        return new BsonDocument("insertedId", document.get("_id"));
    }

    private BsonValue insertMany() {
        List<BsonDocument> documents = MongoActions.documentsToInsert(args);
        checkInserts(documents);
        collection.insertMany(documents);
        return MongoActions.insertedIds(documents);
    }

    private void checkInserts(List<BsonDocument> documents) {
        List<Refusal> refused = new ArrayList<>();
        for (BsonDocument document : documents) {
            WriteCheck check = rules.checkInsert(ctx, toDocument(document));
            log.add(check.decision());
            if (!check.allowed()) {
                refused.add(new Refusal(document.get("_id"), check.decision()));
            }
        }
        refuse(refused, documents.size());
    }

    private BsonValue update(boolean many) {
        BsonDocument query = args.document("query");
        BsonDocument update = args.updateOperators("update");
        boolean upsert = args.bool("upsert");
        List<BsonDocument> arrayFilters = args.documents("arrayFilters");
        List<String> names = WriteNames.ofUpdate(update);
        QueryPlan plan = alsoQuerying(plan(query, null), WriteNames.ofArrayFilters(arrayFilters, names));
        boolean positional = positional(update);
        return writing(() -> {
            List<Candidate> before = candidates(plan, null, many ? 0 : 1);
            if (before.isEmpty()) {
                if (!upsert) {
                    return MongoActions.updateResult(0, 0, null);
                }
                BsonDocument inserted = upserted(query, update, false, arrayFilters);
                checkNames(List.of(toDocument(inserted)), List.of(inserted.get("_id")), Decision.Action.INSERT, names, false);
                checkInserts(List.of(inserted));
                collection.insertOne(inserted);
                return MongoActions.updateResult(0, 0, inserted.get("_id"));
            }
            checkNames(before, Decision.Action.UPDATE, names, false);
            List<BsonDocument> after = afterImagesOrRefusal(before, query, update, false, arrayFilters, positional, names);
            checkUpdates(before, after, false, names);
            long modified = 0;
            int written = 0;
            for (int i = 0; i < before.size(); i++) {
                if (after.get(i).equals(before.get(i).stored())) {
                    continue;
                }
                UpdateOptions options = new UpdateOptions();
                if (arrayFilters != null) {
                    options.arrayFilters(arrayFilters);
                }
                UpdateResult r = collection.updateOne(unchanged(before.get(i).stored(), positional ? query : null), update, options);
                if (r.getMatchedCount() == 0) {
                    throw new Conflict(before.get(i).id(), written, before.size());
                }
                modified += r.getModifiedCount();
                written++;
            }
            return MongoActions.updateResult(before.size(), modified, null);
        });
    }

    private BsonValue findOneAndModify(boolean replace) {
        BsonDocument filter = MongoActions.filter(args);
        BsonDocument update = replace ? args.replacement("update") : args.updateOperators("update");
        BsonDocument sort = args.optionalDocument("sort");
        boolean upsert = args.bool("upsert");
        boolean returnNew = args.bool("returnNewDocument");
        List<BsonDocument> arrayFilters = replace ? null : args.documents("arrayFilters");
        List<String> names = replace ? WriteNames.ofReplacement(update) : WriteNames.ofUpdate(update);
        QueryPlan plan = alsoQuerying(plan(filter, args.optionalDocument("projection")), WriteNames.ofArrayFilters(arrayFilters, names));
        DocumentProjection projection = projection(plan);
        boolean positional = !replace && positional(update);
        return writing(() -> {
            List<Candidate> found = candidates(plan, sort, 1);
            if (found.isEmpty()) {
                if (!upsert) {
                    return BsonNull.VALUE;
                }
                BsonDocument inserted = upserted(filter, update, replace, arrayFilters);
                checkNames(List.of(toDocument(inserted)), List.of(inserted.get("_id")), Decision.Action.INSERT, names, false);
                checkInserts(List.of(inserted));
                collection.insertOne(inserted);
                return returnNew ? readBack(inserted, projection) : BsonNull.VALUE;
            }
            checkNames(found, replace ? Decision.Action.REPLACE : Decision.Action.UPDATE, names, replace);
            Candidate before = found.getFirst();
            BsonDocument after = afterImagesOrRefusal(found, filter, update, replace, arrayFilters, positional, names).getFirst();
            checkUpdates(found, List.of(after), replace, names);
            BsonDocument written = after;
            if (!after.equals(before.stored())) {
                Bson guard = unchanged(before.stored(), positional ? filter : null);
                ReturnDocument which = returnNew ? ReturnDocument.AFTER : ReturnDocument.BEFORE;
                if (replace) {
                    written = collection.findOneAndReplace(guard, after, new FindOneAndReplaceOptions().returnDocument(which));
                } else {
                    FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().returnDocument(which);
                    if (arrayFilters != null) {
                        options.arrayFilters(arrayFilters);
                    }
                    written = collection.findOneAndUpdate(guard, update, options);
                }
                if (written == null) {
                    throw new Conflict(before.id(), 0, 1);
                }
            }
            return returnNew ? readBack(written, projection) : project(before.read().document(), projection);
        });
    }

    private BsonValue findOneAndDelete() {
        BsonDocument filter = MongoActions.filter(args);
        BsonDocument sort = args.optionalDocument("sort");
        QueryPlan plan = plan(filter, args.optionalDocument("projection"));
        DocumentProjection projection = projection(plan);
        return writing(() -> {
            List<Candidate> found = candidates(plan, sort, 1);
            if (found.isEmpty()) {
                return BsonNull.VALUE;
            }
            checkNames(found, Decision.Action.DELETE, List.of(), true);
            checkDeletes(found);
            Candidate before = found.getFirst();
            if (collection.findOneAndDelete(unchanged(before.stored(), null)) == null) {
                throw new Conflict(before.id(), 0, 1);
            }
            return project(before.read().document(), projection);
        });
    }

    private BsonValue delete(boolean many) {
        QueryPlan plan = plan(args.document("query"), null);
        return writing(() -> {
            List<Candidate> found = candidates(plan, null, many ? 0 : 1);
            checkNames(found, Decision.Action.DELETE, List.of(), true);
            checkDeletes(found);
            int deleted = 0;
            for (Candidate candidate : found) {
                if (collection.deleteOne(unchanged(candidate.stored(), null)).getDeletedCount() == 0) {
                    throw new Conflict(candidate.id(), deleted, found.size());
                }
                deleted++;
            }
            return MongoActions.deleteResult(deleted);
        });
    }

    /** The check by name ({@link CollectionRules#checkNames}) of every document a write would touch, before any value is looked at. */
    private void checkNames(List<Candidate> found, Decision.Action action, List<String> names, boolean wholeDocument) {
        List<Document> documents = new ArrayList<>(found.size());
        List<BsonValue> ids = new ArrayList<>(found.size());
        for (Candidate candidate : found) {
            documents.add(candidate.asDocument());
            ids.add(candidate.id());
        }
        checkNames(documents, ids, action, names, wholeDocument);
    }

    private void checkNames(List<Document> documents, List<BsonValue> ids, Decision.Action action, List<String> names,
                            boolean wholeDocument) {
        List<Refusal> refused = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            WriteCheck check = rules.checkNames(ctx, action, documents.get(i), names, wholeDocument);
            log.add(check.decision());
            if (!check.allowed()) {
                refused.add(new Refusal(ids.get(i), check.decision()));
            }
        }
        refuse(refused, documents.size());
    }

    private void checkUpdates(List<Candidate> before, List<BsonDocument> after, boolean replace, List<String> names) {
        List<Refusal> refused = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            Document afterDocument = toDocument(after.get(i));
            WriteCheck check = rules.checkWrite(replace ? Decision.Action.REPLACE : Decision.Action.UPDATE, ctx,
                    before.get(i).asDocument(), afterDocument, names);
            log.add(check.decision());
            if (!check.allowed()) {
                refused.add(new Refusal(before.get(i).id(), check.decision()));
            }
        }
        refuse(refused, before.size());
    }

    private void checkDeletes(List<Candidate> found) {
        List<Refusal> refused = new ArrayList<>();
        for (Candidate candidate : found) {
            WriteCheck check = rules.checkDelete(ctx, candidate.asDocument());
            log.add(check.decision());
            if (!check.allowed()) {
                refused.add(new Refusal(candidate.id(), check.decision()));
            }
        }
        refuse(refused, found.size());
    }

    /**
     * The after-images, or, when the database refuses to apply the update (e.g. {@code $inc} on a
     * string), a refusal of the named fields the caller cannot read: the database's message would
     * tell them what such a field holds. An error about fields they can read is theirs to see.
     */
    private List<BsonDocument> afterImagesOrRefusal(List<Candidate> before, BsonDocument query, BsonDocument update, boolean replace,
                                                    List<BsonDocument> arrayFilters, boolean positional, List<String> names) {
        try {
            return afterImages(before, query, update, replace, arrayFilters, positional);
        } catch (com.mongodb.MongoException e) {
            List<Refusal> refused = new ArrayList<>();
            Decision.Action action = replace ? Decision.Action.REPLACE : Decision.Action.UPDATE;
            for (Candidate candidate : before) {
                WriteCheck check = rules.refuseUnreadable(ctx, action, candidate.asDocument(), names);
                log.add(check.decision());
                if (!check.allowed()) {
                    refused.add(new Refusal(candidate.id(), check.decision()));
                }
            }
            refuse(refused, before.size());
            throw e;
        }
    }

    /**
     * The after-images of an update or replacement, computed by the database: the before-images go
     * into a scratch collection and the update is applied there. With a positional {@code $} the
     * caller's query must take part (it says which array element); otherwise the documents are
     * addressed by {@code _id}, so queries that need an index ($text, $near) do not matter.
     */
    private List<BsonDocument> afterImages(List<Candidate> before, BsonDocument query, BsonDocument update, boolean replace,
                                           List<BsonDocument> arrayFilters, boolean positional) {
        try (ScratchSpace.Scratch s = scratch.open()) {
            List<BsonDocument> stored = new ArrayList<>(before.size());
            BsonArray ids = new BsonArray();
            for (Candidate candidate : before) {
                stored.add(candidate.stored());
                ids.add(candidate.id());
            }
            s.collection.insertMany(stored);
            BsonDocument byIds = new BsonDocument("_id", new BsonDocument("$in", ids));
            BsonDocument target = positional && !query.isEmpty()
                    ? new BsonDocument("$and", new BsonArray(List.of(byIds, query))) : byIds;
            long matched;
            if (replace) {
                matched = s.collection.replaceOne(target, update).getMatchedCount();
            } else {
                UpdateOptions options = new UpdateOptions();
                if (arrayFilters != null) {
                    options.arrayFilters(arrayFilters);
                }
                matched = s.collection.updateMany(target, update, options).getMatchedCount();
            }
            if (matched != before.size()) {
                throw new IllegalStateException("the update matched " + matched + " of " + before.size()
                        + " before-images in the scratch collection");
            }
            Map<BsonValue, BsonDocument> byId = new HashMap<>();
            for (BsonDocument document : s.collection.find()) {
                byId.put(document.get("_id"), document);
            }
            List<BsonDocument> out = new ArrayList<>(before.size());
            for (Candidate candidate : before) {
                out.add(byId.get(candidate.id()));
            }
            return out;
        }
    }

    /** The document an upsert would insert: the update applied with upsert to an empty scratch collection with the caller's query. */
    private BsonDocument upserted(BsonDocument query, BsonDocument update, boolean replace, List<BsonDocument> arrayFilters) {
        try (ScratchSpace.Scratch s = scratch.open()) {
            if (replace) {
                s.collection.replaceOne(query, update, new ReplaceOptions().upsert(true));
            } else {
                UpdateOptions options = new UpdateOptions().upsert(true);
                if (arrayFilters != null) {
                    options.arrayFilters(arrayFilters);
                }
                s.collection.updateOne(query, update, options);
            }
            BsonDocument inserted = s.collection.find().first();
            if (inserted == null) {
                throw new IllegalStateException("the upsert inserted nothing into the scratch collection");
            }
            return namesItsOwnId(query, update, replace) ? inserted : withNewObjectId(inserted);
        }
    }

    /** Whether an upsert's query or update gives the inserted document its {@code _id}; otherwise the server makes one up. */
    private static boolean namesItsOwnId(BsonDocument query, BsonDocument update, boolean replace) {
        if (query.containsKey("_id") || replace && update.containsKey("_id")) {
            return true;
        }
        for (String operator : List.of("$set", "$setOnInsert")) {
            if (update.get(operator) instanceof BsonDocument fields && fields.containsKey("_id")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The upserted document with a fresh ObjectId as its {@code _id}, first, as MongoDB gives it: the
     * embedded server's own upsert id is not a valid ObjectId (its timestamp decodes to 2072).
     */
    private static BsonDocument withNewObjectId(BsonDocument inserted) {
        BsonDocument out = new BsonDocument("_id", new org.bson.BsonObjectId(new org.bson.types.ObjectId()));
        inserted.forEach((key, value) -> {
            if (!key.equals("_id")) {
                out.append(key, value);
            }
        });
        return out;
    }

    /** The document after a write, as the caller may read it, projected; null when the caller may not read it. */
    private BsonValue readBack(BsonDocument document, DocumentProjection projection) {
        ReadResult r = rules.applyRead(ctx, toDocument(document));
        log.add(r.decision());
        return r.visible() ? project(r.document(), projection) : BsonNull.VALUE;
    }

    /**
     * The compare-and-set filter: the document by {@code _id}, only while it is still the judged
     * before-image; with the caller's query when a positional update needs it.
     *
     * <p>Each top-level field must still hold its value, and the document must have the same number
     * of fields. Scalars are compared with {@code $expr} ({@code $eq}, so {@code 1} and {@code 1.0}
     * count as the same); documents and arrays with query equality, which is exact for documents,
     * and for arrays also accepts an array that now contains the old array as an element. Fields
     * whose names a query cannot address (with a dot, or starting with {@code $}) are covered only
     * by the field count. These are the changes this guard misses. The one-clause form
     * {@code $expr: {$eq: ["$$ROOT", {$literal: before}]}} would be exact on MongoDB, but the embedded
     * server finds documents that contain empty arrays unequal to themselves.
     */
    static Bson unchanged(BsonDocument before, BsonDocument query) {
        BsonArray and = new BsonArray();
        and.add(new BsonDocument("_id", before.get("_id")));
        BsonArray expressions = new BsonArray();
        for (Map.Entry<String, BsonValue> field : before.entrySet()) {
            String name = field.getKey();
            if (name.equals("_id") || name.isEmpty() || name.contains(".") || name.startsWith("$")) {
                continue;
            }
            BsonValue value = field.getValue();
            if (value.isDocument() || value.isArray()) {
                and.add(new BsonDocument(name, new BsonDocument("$eq", value)));
            } else {
                expressions.add(new BsonDocument("$eq", new BsonArray(List.of(new BsonString("$" + name),
                        new BsonDocument("$literal", value)))));
            }
        }
        expressions.add(new BsonDocument("$eq", new BsonArray(List.of(
                new BsonDocument("$size", new BsonDocument("$objectToArray", new BsonString("$$ROOT"))),
                new BsonInt32(before.size())))));
        and.add(new BsonDocument("$expr", new BsonDocument("$and", expressions)));
        if (query != null && !query.isEmpty()) {
            and.add(query);
        }
        return new BsonDocument("$and", and);
    }

    /** True when an update names a path with the positional {@code $} (not {@code $[]} or {@code $[id]}). */
    private static boolean positional(BsonDocument update) {
        for (BsonValue fields : update.values()) {
            if (fields.isDocument()) {
                for (String path : fields.asDocument().keySet()) {
                    for (String segment : path.split("\\.")) {
                        if (segment.equals("$")) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Runs one write attempt under the namespace's write lock; retries a conflict that happened before anything was written. */
    private BsonValue writing(Supplier<BsonValue> attempt) {
        boolean locked;
        try {
            locked = writeLock.tryLock(LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("InternalServerError", args.action() + ": interrupted while waiting to write to " + namespace);
        }
        try {
            for (int i = 1; ; i++) {
                try {
                    return attempt.get();
                } catch (Conflict c) {
                    if (c.written == 0 && i < ATTEMPTS) {
                        continue;
                    }
                    throw new dev.thimble.runtime.errors.Conflict("MongoDBError", args.action() + ": document " + showId(c.id) + " in " + namespace
                            + " was changed by another writer while this request was being checked"
                            + (c.written == 0 ? " (tried " + i + " times)" : "; " + c.written + " of " + c.total
                            + " documents of this request were already written and stay written")
                            + ". Retry the request.");
                }
            }
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }

    // ---- refusals ------------------------------------------------------------------------------

    /**
     * Refuses the whole request when any document was refused; the message explains the first one. The
     * client's message names the namespace, the role and the fields the request named, never a value
     * the rules compared; the clause that was false (values left out) is its detail for development
     * servers, and the whole decision goes to the log record.
     */
    private void refuse(List<Refusal> refused, int total) {
        if (refused.isEmpty()) {
            return;
        }
        Refusal first = refused.getFirst();
        Decision d = first.decision();
        String document = "document " + showId(first.id());
        String role = d.role() == null ? "" : "role \"" + d.role() + "\"";
        String message = switch (d.reason()) {
            case FIELDS_NOT_WRITABLE -> {
                List<String> fields = new ArrayList<>();
                d.fieldsRejected().forEach(r -> fields.add("\"" + r.field() + "\""));
                if (d.fieldsRejected().stream().anyMatch(r -> r.field().equals(CollectionRules.EVERY_FIELD))) {
                    yield role + " may not write any field in " + namespace + " (" + document + ")";
                }
                if (d.fieldsRejected().stream().anyMatch(r -> r.field().equals(CollectionRules.HIDDEN_FIELDS))) {
                    yield role + " may not " + (d.action() == Decision.Action.DELETE ? "delete" : "replace") + " " + document
                            + " in " + namespace + ": that needs a role that can read every field of it";
                }
                if (d.action() == Decision.Action.DELETE) {
                    yield role + " may not delete from " + namespace + " (" + document + "): deleting needs write permission"
                            + " on every field, and it may not write " + String.join(", ", fields);
                }
                yield role + " may not write field" + (fields.size() == 1 ? " " : "s ") + String.join(", ", fields)
                        + " in " + namespace + " (" + document + ")";
            }
            case SCHEMA_INVALID -> {
                List<String> violations = new ArrayList<>();
                d.schemaViolations().forEach(v -> violations.add((v.field().isEmpty() ? "(document)" : "\"" + v.field() + "\"")
                        + " (" + v.keyword() + ")"));
                yield document + " does not match the schema of " + namespace + ": " + String.join(", ", violations);
            }
            case INSERT_NOT_ALLOWED -> role + " may not insert into " + namespace + " (" + document + "): its insert rule is false";
            case DELETE_NOT_ALLOWED -> role + " may not delete from " + namespace + " (" + document + "): its delete rule is false";
            case DOCUMENT_FILTER -> role + " may not write " + document + " in " + namespace
                    + ": its document_filters.write does not hold";
            case NO_ROLE -> "no role of " + namespace + " applies to " + document + " for this user";
            case NO_RULES -> "no rule exists for namespace \"" + namespace + "\"";
            default -> "the rules of " + namespace + " refuse it (" + d.reason() + ")";
        };
        if (refused.size() > 1) {
            message += "; " + (refused.size() - 1) + " more of the " + total + " documents of this request were refused too";
        }
        message = args.action() + ": " + message + ". Nothing was written.";
        boolean schema = d.reason() == Decision.Reason.SCHEMA_INVALID;
        Failure refusal = schema ? new InvalidInput("SchemaValidationFailedWrite", message) : new Forbidden("NoMatchingRuleFound", message);
        throw refusal.withDetails(clause(d), d.describe());
    }

    /** The clause that decided, values left out; null when no clause did (a field with no rule at all). */
    private static String clause(Decision d) {
        if (d.failure() != null) {
            return d.failure().describeWithoutValues();
        }
        if (d.reason() == Decision.Reason.NO_ROLE && !d.rolesTried().isEmpty()) {
            List<String> tried = new ArrayList<>();
            for (Decision.RoleTrial t : d.rolesTried()) {
                tried.add(t.failure() == null ? "\"" + t.role() + "\"" : t.failure().describeWithoutValues());
            }
            return String.join("; ", tried);
        }
        if (d.fieldsRejected() != null) {
            List<String> clauses = new ArrayList<>();
            for (Decision.FieldRejection r : d.fieldsRejected()) {
                if (r.failure() != null) {
                    clauses.add(r.field() + ": " + r.failure().describeWithoutValues());
                }
            }
            return clauses.isEmpty() ? null : String.join("; ", clauses);
        }
        return null;
    }

    static String showId(BsonValue id) {
        if (id == null) {
            return "(no _id)";
        }
        if (id.isObjectId()) {
            return id.asObjectId().getValue().toHexString();
        }
        if (id.isString()) {
            return "\"" + id.asString().getValue() + "\"";
        }
        String json = new BsonDocument("v", id).toJson();
        return json.substring("{\"v\": ".length(), json.length() - 1);
    }

    // ---- BSON conversions ----------------------------------------------------------------------

    /** BSON as the rules engine reads it ({@link Document}, lists, Java values). */
    static Document toDocument(BsonDocument bson) {
        return DOCUMENT_CODEC.decode(new BsonDocumentReader(bson), DecoderContext.builder().build());
    }

    static BsonDocument toBson(Document document) {
        BsonDocument out = new BsonDocument();
        DOCUMENT_CODEC.encode(new BsonDocumentWriter(out), document, EncoderContext.builder().build());
        return out;
    }
}
