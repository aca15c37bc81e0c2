package dev.thimble.debugger;

import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.MongoServiceClient;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The database for a dry run: reads go to the real service (rules applied as usual), writes are
 * recorded and answered with what they would plausibly have returned, computed from a read with
 * the same query (matched and deleted counts, the document a findOneAnd* would have found, fresh
 * ids for inserts). The database is never changed; so a later read in the same run does not see
 * the withheld writes.
 */
final class DryRunMongo implements MongoServiceClient {
    private static final Set<String> WRITES = Set.of("insertOne", "insertMany", "updateOne", "updateMany", "deleteOne",
            "deleteMany", "findOneAndUpdate", "findOneAndReplace", "findOneAndDelete");

    private final MongoServiceClient real;
    private final List<RecordedWrite> writes = new CopyOnWriteArrayList<>();

    DryRunMongo(MongoServiceClient real) {
        this.real = real;
    }

    List<RecordedWrite> writes() {
        return List.copyOf(writes);
    }

    @Override
    public BsonValue call(String service, String action, BsonDocument arguments, Caller caller) {
        if (!WRITES.contains(action) && !(action.equals("aggregate") && writesOut(arguments))) {
            return real.call(service, action, arguments, caller);
        }
        BsonValue answer = answer(service, action, arguments, caller);
        writes.add(new RecordedWrite(service, action, arguments.clone(), answer, caller.isSystem() ? "" : caller.userId()));
        return answer;
    }

    private BsonValue answer(String service, String action, BsonDocument a, Caller caller) {
        return switch (action) {
            case "insertOne" -> new BsonDocument("insertedId", idOf(a.getDocument("document", new BsonDocument())));
            case "insertMany" -> {
                BsonArray ids = new BsonArray();
                a.getArray("documents", new BsonArray()).forEach(d -> ids.add(d.isDocument() ? idOf(d.asDocument()) : new BsonObjectId()));
                yield new BsonDocument("insertedIds", ids);
            }
            case "updateOne", "updateMany" -> {
                long matched = count(service, a, "query", action.equals("updateOne"), caller);
                BsonDocument result = new BsonDocument("matchedCount", new BsonInt64(matched)).append("modifiedCount", new BsonInt64(matched));
                if (matched == 0 && a.getBoolean("upsert", org.bson.BsonBoolean.FALSE).getValue()) {
                    result.append("upsertedId", new BsonObjectId(new ObjectId()));
                }
                yield result;
            }
            case "deleteOne", "deleteMany" -> new BsonDocument("deletedCount",
                    new BsonInt64(count(service, a, "query", action.equals("deleteOne"), caller)));
            case "findOneAndUpdate", "findOneAndReplace", "findOneAndDelete" -> {
                BsonDocument find = base(a).append("query", a.getDocument("filter", new BsonDocument()));
                if (a.containsKey("projection")) {
                    find.append("project", a.get("projection"));
                }
                if (a.containsKey("sort")) {
                    find.append("sort", a.get("sort"));
                }
                BsonValue found = real.call(service, "findOne", find, caller);
                yield found == null ? BsonNull.VALUE : found;
            }
            default -> new BsonArray(); // aggregate with $out/$merge: the pipeline's output is written, not returned
        };
    }

    private long count(String service, BsonDocument a, String queryField, boolean one, Caller caller) {
        BsonDocument count = base(a).append("query", a.getDocument(queryField, new BsonDocument()));
        if (one) {
            count.append("limit", new BsonInt32(1));
        }
        BsonValue n = real.call(service, "count", count, caller);
        return n != null && n.isNumber() ? n.asNumber().longValue() : 0;
    }

    private static BsonDocument base(BsonDocument a) {
        BsonDocument doc = new BsonDocument();
        for (String key : new String[] {"database", "collection"}) {
            if (a.containsKey(key)) {
                doc.append(key, a.get(key));
            }
        }
        return doc;
    }

    private static BsonValue idOf(BsonDocument document) {
        return document.containsKey("_id") ? document.get("_id") : new BsonObjectId(new ObjectId());
    }

    private static boolean writesOut(BsonDocument arguments) {
        for (BsonValue stage : arguments.getArray("pipeline", new BsonArray())) {
            if (stage.isDocument() && (stage.asDocument().containsKey("$out") || stage.asDocument().containsKey("$merge"))) {
                return true;
            }
        }
        return false;
    }
}
