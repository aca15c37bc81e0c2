package dev.thimble.runtime.functions;

import com.mongodb.MongoException;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.InsertManyResult;
import com.mongodb.client.result.UpdateResult;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A plain {@link MongoServiceClient} over the MongoDB driver, without rules: what the tests run
 * functions against. Records every call (service, action, caller) so tests can see who ran it.
 */
final class DriverMongoServiceClient implements MongoServiceClient {
    record Call(String service, String action, BsonDocument arguments, Caller caller) {
    }

    private final MongoClient client;
    private final boolean inProcess;
    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    DriverMongoServiceClient(MongoClient client) {
        this(client, false);
    }

    /** @param inProcess what {@link #inProcess()} answers: true lets functions run their calls in place (decision 0042) */
    DriverMongoServiceClient(MongoClient client, boolean inProcess) {
        this.client = client;
        this.inProcess = inProcess;
    }

    @Override
    public boolean inProcess() {
        return inProcess;
    }

    @Override
    public BsonValue call(String service, String action, BsonDocument args, Caller caller) {
        calls.add(new Call(service, action, args.clone(), caller));
        try {
            return switch (action) {
                case "getDBNames" -> strings(client.listDatabaseNames().into(new ArrayList<>()));
                case "getCollectionNames" -> strings(client.getDatabase(args.getString("database").getValue())
                        .listCollectionNames().into(new ArrayList<>()));
                default -> collectionAction(collection(args), action, args);
            };
        } catch (MongoException e) {
            throw new ServiceCallException(e.getMessage(), e);
        }
    }

    private MongoCollection<BsonDocument> collection(BsonDocument args) {
        return client.getDatabase(args.getString("database").getValue())
                .getCollection(args.getString("collection").getValue(), BsonDocument.class);
    }

    private static BsonValue collectionAction(MongoCollection<BsonDocument> c, String action, BsonDocument a) {
        return switch (action) {
            case "find" -> {
                FindIterable<BsonDocument> found = c.find(doc(a, "query"));
                if (a.containsKey("project")) found = found.projection(doc(a, "project"));
                if (a.containsKey("sort")) found = found.sort(doc(a, "sort"));
                if (a.containsKey("limit")) found = found.limit(a.getNumber("limit").intValue());
                if (a.containsKey("skip")) found = found.skip(a.getNumber("skip").intValue());
                yield new BsonArray(found.into(new ArrayList<>()));
            }
            case "findOne" -> {
                FindIterable<BsonDocument> found = c.find(doc(a, "query"));
                if (a.containsKey("project")) found = found.projection(doc(a, "project"));
                if (a.containsKey("sort")) found = found.sort(doc(a, "sort"));
                BsonDocument first = found.first();
                yield first == null ? BsonNull.VALUE : first;
            }
            case "count" -> {
                CountOptions options = new CountOptions();
                if (a.containsKey("limit")) options.limit(a.getNumber("limit").intValue());
                if (a.containsKey("skip")) options.skip(a.getNumber("skip").intValue());
                yield new BsonInt64(c.countDocuments(doc(a, "query"), options));
            }
            case "aggregate" -> new BsonArray(c.aggregate(docs(a.getArray("pipeline"))).into(new ArrayList<>()));
            case "distinct" -> new BsonArray(c.distinct(a.getString("key").getValue(), doc(a, "query"), BsonValue.class).into(new ArrayList<>()));
            case "insertOne" -> {
                BsonDocument document = a.getDocument("document");
                yield new BsonDocument("insertedId", c.insertOne(document).getInsertedId());
            }
            case "insertMany" -> {
                List<BsonDocument> documents = docs(a.getArray("documents"));
                InsertManyResult result = c.insertMany(documents);
                BsonArray ids = new BsonArray();
                for (int i = 0; i < documents.size(); i++) ids.add(result.getInsertedIds().get(i));
                yield new BsonDocument("insertedIds", ids);
            }
            case "updateOne", "updateMany" -> {
                UpdateOptions options = new UpdateOptions().upsert(a.getBoolean("upsert", org.bson.BsonBoolean.FALSE).getValue());
                if (a.containsKey("arrayFilters")) options.arrayFilters(docs(a.getArray("arrayFilters")));
                UpdateResult r = action.equals("updateOne")
                        ? c.updateOne(doc(a, "query"), doc(a, "update"), options)
                        : c.updateMany(doc(a, "query"), doc(a, "update"), options);
                BsonDocument out = new BsonDocument("matchedCount", new BsonInt64(r.getMatchedCount()))
                        .append("modifiedCount", new BsonInt64(r.getModifiedCount()));
                if (r.getUpsertedId() != null) out.append("upsertedId", r.getUpsertedId());
                yield out;
            }
            case "deleteOne" -> new BsonDocument("deletedCount", new BsonInt64(c.deleteOne(doc(a, "query")).getDeletedCount()));
            case "deleteMany" -> new BsonDocument("deletedCount", new BsonInt64(c.deleteMany(doc(a, "query")).getDeletedCount()));
            case "findOneAndUpdate" -> {
                FindOneAndUpdateOptions o = new FindOneAndUpdateOptions()
                        .upsert(a.getBoolean("upsert", org.bson.BsonBoolean.FALSE).getValue())
                        .returnDocument(a.getBoolean("returnNewDocument", org.bson.BsonBoolean.FALSE).getValue() ? ReturnDocument.AFTER : ReturnDocument.BEFORE);
                if (a.containsKey("projection")) o.projection(doc(a, "projection"));
                if (a.containsKey("sort")) o.sort(doc(a, "sort"));
                yield orNull(c.findOneAndUpdate(doc(a, "filter"), doc(a, "update"), o));
            }
            case "findOneAndReplace" -> {
                FindOneAndReplaceOptions o = new FindOneAndReplaceOptions()
                        .upsert(a.getBoolean("upsert", org.bson.BsonBoolean.FALSE).getValue())
                        .returnDocument(a.getBoolean("returnNewDocument", org.bson.BsonBoolean.FALSE).getValue() ? ReturnDocument.AFTER : ReturnDocument.BEFORE);
                if (a.containsKey("projection")) o.projection(doc(a, "projection"));
                if (a.containsKey("sort")) o.sort(doc(a, "sort"));
                yield orNull(c.findOneAndReplace(doc(a, "filter"), a.getDocument("update"), o));
            }
            case "findOneAndDelete" -> {
                FindOneAndDeleteOptions o = new FindOneAndDeleteOptions();
                if (a.containsKey("projection")) o.projection(doc(a, "projection"));
                if (a.containsKey("sort")) o.sort(doc(a, "sort"));
                yield orNull(c.findOneAndDelete(doc(a, "filter"), o));
            }
            default -> throw new ServiceCallException("unknown action " + action);
        };
    }

    private static BsonDocument doc(BsonDocument a, String key) {
        return a.containsKey(key) && a.get(key).isDocument() ? a.getDocument(key) : new BsonDocument();
    }

    private static List<BsonDocument> docs(BsonArray array) {
        List<BsonDocument> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asDocument()));
        return out;
    }

    private static BsonValue orNull(BsonDocument d) {
        return d == null ? BsonNull.VALUE : d;
    }

    private static BsonArray strings(List<String> names) {
        BsonArray out = new BsonArray();
        names.forEach(n -> out.add(new BsonString(n)));
        return out;
    }

}
