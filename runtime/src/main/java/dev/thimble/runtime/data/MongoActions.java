package dev.thimble.runtime.data;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.NotFound;
import dev.thimble.runtime.errors.InvalidInput;
import dev.thimble.runtime.errors.Forbidden;
import dev.thimble.runtime.errors.Conflict;
import dev.thimble.runtime.errors.InternalFailure;
import dev.thimble.runtime.errors.Unavailable;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.UpdateResult;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.DataSourceRules;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.rules.RuleEvaluationException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The MongoDB service actions of CLIENT-PROTOCOL §5 ("QueryAnywhere"), with the app's access rules
 * applied: what {@code POST functions/call} with a MongoDB {@code service} runs, and what
 * {@code context.services.get(<svc>).db(..).collection(..)} runs in functions.
 *
 * <p><b>System callers</b> ({@link RuleContext#isSystem()}) run the action directly with the driver.
 *
 * <p><b>Reads in this process.</b> On the embedded database, the queries of find, findOne and count (and the reads
 * under aggregate, distinct and every write's candidates; a system caller's find and findOne) go to the embedded
 * server's command entry in this process ({@link EmbeddedCommands}), not through the driver and its socket: the same
 * command and the same answers, errors included (decision 0066). Writes, aggregation stages and a database reached
 * by connection string use the driver, and so does a query while {@link EmbeddedCommands#QUERIES_AT_ONCE} others run
 * in process.
 *
 * <p><b>Users</b>: a namespace with no rule is refused (403 NoMatchingRuleFound). Reads run the
 * query the rules plan (filters ANDed in) over whole documents, drop documents the caller may not see
 * (no role, or the query names a field the role cannot read), strip unreadable fields, then apply
 * the caller's projection; {@code limit} and {@code skip} count visible documents. Writes compute
 * each document's after-image with MongoDB's own semantics in a scratch collection, check every
 * document, refuse the whole request if any document is refused (nothing is written), and then write
 * by {@code _id} guarded by the before-image (see {@link RuledActions} for the race). {@code aggregate}
 * refuses stages that read or write around the rules and runs the rest over the readable documents.
 *
 * <p>Errors are {@link Failure}s in the protocol's shape: 400 for bad input (naming the action and
 * field), 403 for rules, 404 for an unknown service, 409 for duplicate keys and write conflicts.
 * Thread-safe; one instance serves every request of an app.
 */
public final class MongoActions {

    /**
     * What an action returned, and the rules decisions taken for it, for the request's log record:
     * at most {@link #MAX_DECISIONS}, the first ones; {@code decisionsOmitted} counts the rest.
     */
    public record ActionResult(BsonValue value, List<Decision> decisions, long decisionsOmitted) {
        public ActionResult {
            Objects.requireNonNull(value, "value");
            decisions = List.copyOf(decisions);
        }

        public ActionResult(BsonValue value, List<Decision> decisions) {
            this(value, decisions, 0);
        }
    }

    /** The actions, in the order of CLIENT-PROTOCOL §5, then {@code distinct}. */
    public static final List<String> ACTIONS = List.of("find", "findOne", "aggregate", "count", "insertOne", "insertMany",
            "updateOne", "updateMany", "deleteOne", "deleteMany", "findOneAndUpdate", "findOneAndReplace",
            "findOneAndDelete", "distinct");

    /** Listing actions for functions; system callers only. */
    static final List<String> LISTING_ACTIONS = List.of("getDBNames", "getCollectionNames");

    /** Decisions kept per call. */
    public static final int MAX_DECISIONS = 100;

    /**
     * Aggregation stages a user may not run: they read other collections, write, or report on the
     * server, all around the rules. {@code $facet} sub-pipelines are checked too.
     */
    static final Set<String> REFUSED_STAGES = Set.of("$lookup", "$graphLookup", "$unionWith", "$out", "$merge",
            "$collStats", "$indexStats", "$currentOp", "$listSessions", "$listLocalSessions", "$planCacheStats",
            "$changeStream");

    /**
     * Whether reads on the embedded database run through its command entry in this process instead of the driver
     * and its socket (decision 0066); {@code -Dthimble.db.inProcessReads=false} forces the driver.
     */
    public static final boolean IN_PROCESS_READS = !"false".equals(System.getProperty("thimble.db.inProcessReads"));

    private final Database database;
    private final Function<String, DataSourceRules> rulesOfService;
    private final ScratchSpace scratch;
    /** The embedded server's command entry when reads go through it; null: every read goes through the driver. */
    private final EmbeddedCommands inProcess;

    /**
     * @param rulesOfService the compiled rules of a MongoDB service by name, or null when the app has
     *                       no MongoDB service of that name
     */
    public MongoActions(Database database, Function<String, DataSourceRules> rulesOfService) {
        this(database, rulesOfService, IN_PROCESS_READS);
    }

    /**
     * @param inProcessReads read an embedded database through its command entry in this process (decision 0066);
     *                       a database reached by connection string is always read through the driver
     */
    public MongoActions(Database database, Function<String, DataSourceRules> rulesOfService, boolean inProcessReads) {
        this.database = Objects.requireNonNull(database, "database");
        this.rulesOfService = Objects.requireNonNull(rulesOfService, "rulesOfService");
        this.scratch = new ScratchSpace(database);
        this.inProcess = inProcessReads && database instanceof EmbeddedDatabase embedded ? embedded.commands() : null;
        scratch.dropStale();
    }

    /** Whether this instance reads the embedded database in this process. */
    public boolean readsInProcess() {
        return inProcess != null;
    }

    private QueryCursor.Source reads(String db, String coll, MongoCollection<BsonDocument> collection) {
        if (inProcess == null) {
            return QueryCursor.Source.driver(collection);
        }
        QueryCursor.Source here = InProcessCursor.of(inProcess, db, coll);
        QueryCursor.Source driver = QueryCursor.Source.driver(collection);
        return (filter, sort) -> inProcess.enter() ? here.find(filter, sort) : driver.find(filter, sort);
    }

    /**
     * Runs one action.
     *
     * @param arguments the single argument document, {@code {database, collection, ...}}
     * @throws Failure for everything the caller should be told
     */
    public ActionResult execute(String serviceName, String action, BsonDocument arguments, RuleContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        DataSourceRules rules = serviceName == null ? null : rulesOfService.apply(serviceName);
        if (rules == null) {
            throw new NotFound("ServiceNotFound", "service \"" + serviceName + "\" not found: this app has no MongoDB"
                    + " service of that name (see services/<name>/config.json)");
        }
        if (action == null || !ACTIONS.contains(action) && !LISTING_ACTIONS.contains(action)) {
            throw new InvalidInput("ServiceCommandNotFound", "unknown MongoDB action \"" + action + "\"; the actions are "
                    + String.join(", ", ACTIONS));
        }
        ActionArguments args = new ActionArguments(action, arguments);
        DecisionLog log = new DecisionLog();
        try {
            if (LISTING_ACTIONS.contains(action)) {
                return log.result(listing(args, ctx));
            }
            String db = args.database();
            String coll = args.collection();
            ReservedNamespaces.requireReachable(ctx.isSystem(), db, coll, action);
            MongoCollection<BsonDocument> collection = database.database(db).getCollection(coll, BsonDocument.class);
            CollectionRules namespace = rules.forNamespace(db, coll);
            if (ctx.isSystem()) {
                log.add(namespace.planQuery(ctx, null, null).decision());
                return log.result(inProcess != null && IN_PROCESS_DIRECT.contains(action)
                        ? directInProcess(args, db, coll) : direct(args, collection));
            }
            if (namespace.source() == CollectionRules.Source.NONE) {
                throw new Forbidden("NoMatchingRuleFound", "no rule exists for namespace \"" + db + "." + coll
                        + "\"; add services/" + serviceName + "/rules/" + db + "." + coll + ".json");
            }
            BsonValue value = new RuledActions(args, collection, reads(db, coll, collection), namespace, ctx, log, scratch,
                    RuledActions.writeLock(database, db + "." + coll)).run();
            return log.result(value);
        } catch (MongoException e) {
            throw translate(action, e);
        } catch (DocumentProjection.Invalid e) {
            throw new InvalidInput("InvalidParameter", action + ": " + e.getMessage());
        } catch (RuleEvaluationException e) {
            // rules only run once database and collection were read
            throw new InternalFailure("InternalServerError", action + ": the rules of " + args.database() + "." + args.collection()
                    + " could not be evaluated: " + e.getMessage() + ". Fix the rule (or the function it calls).");
        } catch (IllegalArgumentException e) {
            // the driver's own checks of names and documents (e.g. a collection name with '$')
            throw new InvalidInput("InvalidParameter", action + ": " + e.getMessage());
        }
    }

    // ---- system callers ------------------------------------------------------------------------

    private BsonValue listing(ActionArguments args, RuleContext ctx) {
        if (!ctx.isSystem()) {
            throw new Forbidden("NoMatchingRuleFound", args.action() + " is only available to system functions");
        }
        BsonArray out = new BsonArray();
        Iterable<String> names = args.action().equals("getDBNames") ? database.client().listDatabaseNames()
                : database.database(args.database()).listCollectionNames();
        for (String name : names) {
            if (!name.equals(ScratchSpace.DATABASE)) {
                out.add(new BsonString(name));
            }
        }
        return out;
    }

    /** A system caller's actions that read the embedded database in this process (decision 0066). */
    private static final java.util.Set<String> IN_PROCESS_DIRECT = java.util.Set.of("find", "findOne");

    /** A system caller's find or findOne as the driver would send it ({@code first()}: one document, one batch). */
    private BsonValue directInProcess(ActionArguments a, String db, String coll) {
        boolean one = a.action().equals("findOne");
        InProcessCursor.Options options = new InProcessCursor.Options(a.optionalDocument("project"), a.optionalDocument("sort"),
                a.has("skip") ? a.count("skip") : 0, one ? 1 : a.has("limit") ? a.count("limit") : 0, one);
        if (!inProcess.enter()) {
            return direct(a, database.database(db).getCollection(coll, BsonDocument.class));
        }
        try (InProcessCursor cursor = new InProcessCursor(inProcess, db, coll, a.document("query"), options)) {
            if (one) {
                return cursor.hasNext() ? cursor.next() : BsonNull.VALUE;
            }
            BsonArray out = new BsonArray();
            cursor.forEachRemaining(out::add);
            return out;
        }
    }

    private static BsonValue direct(ActionArguments a, MongoCollection<BsonDocument> c) {
        return switch (a.action()) {
            case "find" -> {
                FindIterable<BsonDocument> found = c.find(a.document("query"));
                if (a.has("project")) found = found.projection(a.optionalDocument("project"));
                if (a.has("sort")) found = found.sort(a.optionalDocument("sort"));
                if (a.has("skip")) found = found.skip(a.count("skip"));
                if (a.has("limit")) found = found.limit(a.count("limit"));
                yield new BsonArray(found.into(new ArrayList<>()));
            }
            case "findOne" -> {
                FindIterable<BsonDocument> found = c.find(a.document("query"));
                if (a.has("project")) found = found.projection(a.optionalDocument("project"));
                if (a.has("sort")) found = found.sort(a.optionalDocument("sort"));
                if (a.has("skip")) found = found.skip(a.count("skip"));
                yield orNull(found.first());
            }
            case "count" -> {
                CountOptions options = new CountOptions();
                if (a.has("limit")) options.limit(a.count("limit"));
                if (a.has("skip")) options.skip(a.count("skip"));
                yield new BsonInt64(c.countDocuments(a.document("query"), options));
            }
            case "aggregate" -> new BsonArray(c.aggregate(a.pipeline()).into(new ArrayList<>()));
            case "distinct" -> new BsonArray(c.distinct(distinctField(a), a.document("query"), BsonValue.class).into(new ArrayList<>()));
            case "insertOne" -> {
                BsonDocument document = withId(a.requiredDocument("document", "give the document to insert"));
                c.insertOne(document);
                yield new BsonDocument("insertedId", document.get("_id"));
            }
            case "insertMany" -> {
                List<BsonDocument> documents = documentsToInsert(a);
                c.insertMany(documents);
                yield insertedIds(documents);
            }
            case "updateOne", "updateMany" -> {
                BsonDocument query = a.document("query");
                BsonDocument update = a.bool("upsert") ? objectIdOnInsert(query, a.updateOperators("update")) : a.updateOperators("update");
                UpdateOptions options = new UpdateOptions().upsert(a.bool("upsert"));
                List<BsonDocument> arrayFilters = a.documents("arrayFilters");
                if (arrayFilters != null) options.arrayFilters(arrayFilters);
                UpdateResult r = a.action().equals("updateOne") ? c.updateOne(query, update, options) : c.updateMany(query, update, options);
                yield updateResult(r.getMatchedCount(), r.getModifiedCount(), r.getUpsertedId());
            }
            case "deleteOne" -> deleteResult(c.deleteOne(a.document("query")).getDeletedCount());
            case "deleteMany" -> deleteResult(c.deleteMany(a.document("query")).getDeletedCount());
            case "findOneAndUpdate" -> {
                FindOneAndUpdateOptions o = new FindOneAndUpdateOptions().upsert(a.bool("upsert"))
                        .returnDocument(a.bool("returnNewDocument") ? ReturnDocument.AFTER : ReturnDocument.BEFORE);
                if (a.has("projection")) o.projection(a.optionalDocument("projection"));
                if (a.has("sort")) o.sort(a.optionalDocument("sort"));
                List<BsonDocument> arrayFilters = a.documents("arrayFilters");
                if (arrayFilters != null) o.arrayFilters(arrayFilters);
                BsonDocument update = a.bool("upsert") ? objectIdOnInsert(filter(a), a.updateOperators("update")) : a.updateOperators("update");
                yield orNull(c.findOneAndUpdate(filter(a), update, o));
            }
            case "findOneAndReplace" -> {
                if (!a.has("update")) {
                    yield findOneAndDelete(a, c); // realm-web 2.0.1 sends findOneAndDelete as this
                }
                FindOneAndReplaceOptions o = new FindOneAndReplaceOptions().upsert(a.bool("upsert"))
                        .returnDocument(a.bool("returnNewDocument") ? ReturnDocument.AFTER : ReturnDocument.BEFORE);
                if (a.has("projection")) o.projection(a.optionalDocument("projection"));
                if (a.has("sort")) o.sort(a.optionalDocument("sort"));
                yield orNull(c.findOneAndReplace(filter(a), a.replacement("update"), o));
            }
            case "findOneAndDelete" -> findOneAndDelete(a, c);
            default -> throw new IllegalStateException("unhandled action " + a.action());
        };
    }

    private static BsonValue findOneAndDelete(ActionArguments a, MongoCollection<BsonDocument> c) {
        FindOneAndDeleteOptions o = new FindOneAndDeleteOptions();
        if (a.has("projection")) o.projection(a.optionalDocument("projection"));
        if (a.has("sort")) o.sort(a.optionalDocument("sort"));
        return orNull(c.findOneAndDelete(filter(a), o));
    }

    // ---- shared helpers ------------------------------------------------------------------------

    /** The findOneAnd* query: {@code filter}, or {@code query} from clients that send that name. */
    static BsonDocument filter(ActionArguments a) {
        return a.has("filter") || !a.has("query") ? a.document("filter") : a.document("query");
    }

    /** distinct's field: {@code key} (the driver's name) or {@code field}. */
    static String distinctField(ActionArguments a) {
        return a.has("key") || !a.has("field") ? a.string("key") : a.string("field");
    }

    static List<BsonDocument> documentsToInsert(ActionArguments a) {
        List<BsonDocument> documents = a.documents("documents");
        if (documents == null || documents.isEmpty()) {
            throw a.invalid(documents == null ? "MissingParameter" : "InvalidParameter",
                    "\"documents\" must be a non-empty array of documents to insert");
        }
        List<BsonDocument> out = new ArrayList<>(documents.size());
        for (BsonDocument document : documents) {
            out.add(withId(document));
        }
        return out;
    }

    /** The document with an {@code _id}: its own, or a new ObjectId put first (realm-web sends none). */
    static BsonDocument withId(BsonDocument document) {
        if (document.containsKey("_id")) {
            return document;
        }
        BsonDocument out = new BsonDocument("_id", new BsonObjectId(new ObjectId()));
        out.putAll(document);
        return out;
    }

    static BsonDocument insertedIds(List<BsonDocument> documents) {
        BsonArray ids = new BsonArray();
        for (BsonDocument document : documents) {
            ids.add(document.get("_id"));
        }
        return new BsonDocument("insertedIds", ids);
    }

    /**
     * An upsert's update with {@code $setOnInsert: {_id: <new ObjectId>}} added when neither the query
     * nor the update names the {@code _id}: the embedded server's own upsert id is not a valid ObjectId
     * (its timestamp decodes to 2072), and clients expect the ObjectId MongoDB would make.
     */
    static BsonDocument objectIdOnInsert(BsonDocument query, BsonDocument update) {
        if (query.containsKey("_id")) {
            return update;
        }
        for (Map.Entry<String, BsonValue> operator : update.entrySet()) {
            if (operator.getValue() instanceof BsonDocument fields
                    && fields.keySet().stream().anyMatch(f -> f.equals("_id") || f.startsWith("_id."))) {
                return update;
            }
        }
        BsonDocument out = update.clone();
        BsonDocument onInsert = out.get("$setOnInsert") instanceof BsonDocument existing ? existing : new BsonDocument();
        onInsert.put("_id", new org.bson.BsonObjectId(new org.bson.types.ObjectId()));
        out.put("$setOnInsert", onInsert);
        return out;
    }

    static BsonDocument updateResult(long matched, long modified, BsonValue upsertedId) {
        BsonDocument out = new BsonDocument("matchedCount", new BsonInt64(matched))
                .append("modifiedCount", new BsonInt64(modified));
        if (upsertedId != null) {
            out.append("upsertedId", upsertedId);
        }
        return out;
    }

    static BsonDocument deleteResult(long deleted) {
        return new BsonDocument("deletedCount", new BsonInt64(deleted));
    }

    static BsonValue orNull(BsonDocument document) {
        return document == null ? BsonNull.VALUE : document;
    }

    /** A driver error as the protocol error: the server's message, 409 for duplicate keys, 503 when the database cannot be reached. */
    static Failure translate(String action, MongoException e) {
        int code;
        String message;
        if (e instanceof MongoWriteException w) {
            code = w.getError().getCode();
            message = w.getError().getMessage();
        } else if (e instanceof MongoBulkWriteException b && !b.getWriteErrors().isEmpty()) {
            BulkWriteError first = b.getWriteErrors().getFirst();
            code = first.getCode();
            message = first.getMessage() + (b.getWriteResult().getInsertedCount() > 0
                    ? " (" + b.getWriteResult().getInsertedCount() + " document(s) before it were inserted)" : "");
        } else if (e instanceof MongoCommandException c) {
            code = c.getErrorCode();
            message = c.getErrorMessage();
        } else if (e instanceof MongoServerException s) {
            code = s.getCode();
            message = s.getMessage();
        } else {
            return new Unavailable("MongoDBError", action + ": the database is not reachable: " + e.getMessage());
        }
        if (code == 11000 || code == 11001) {
            return new Conflict("MongoDBError", message.startsWith("E1100") ? message.substring(message.indexOf(' ') + 1) : message);
        }
        return new InvalidInput("MongoDBError", message);
    }

    /** Decisions of one call, bounded. */
    static final class DecisionLog {
        private final List<Decision> kept = new ArrayList<>();
        private long omitted;

        void add(Decision decision) {
            if (kept.size() < MAX_DECISIONS) {
                kept.add(decision);
            } else {
                omitted++;
            }
        }

        ActionResult result(BsonValue value) {
            return new ActionResult(value, kept, omitted);
        }
    }
}
