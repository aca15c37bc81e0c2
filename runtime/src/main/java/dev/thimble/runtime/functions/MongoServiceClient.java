package dev.thimble.runtime.functions;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The database behind {@code context.services.get(<mongodb service>)}. The rules-applying
 * implementation lives in the data layer; the engine only marshals calls to it.
 *
 * <p>Actions and argument documents follow the SDK service protocol (CLIENT-PROTOCOL.md §5), so one
 * implementation serves both paths. Every argument document has {@code database} and
 * {@code collection} (except {@code getDBNames}); options the function left out are absent:
 * <ul>
 *   <li>{@code find}: {@code query}, {@code project}?, {@code sort}?, {@code limit}?, {@code skip}? → array</li>
 *   <li>{@code findOne}: {@code query}, {@code project}?, {@code sort}? → document or null</li>
 *   <li>{@code count}: {@code query}, {@code limit}?, {@code skip}? → number</li>
 *   <li>{@code aggregate}: {@code pipeline} → array</li>
 *   <li>{@code distinct}: {@code key}, {@code query} → array</li>
 *   <li>{@code insertOne}: {@code document} → {@code {insertedId}} (generate a missing {@code _id})</li>
 *   <li>{@code insertMany}: {@code documents} → {@code {insertedIds: [..]}}</li>
 *   <li>{@code updateOne}/{@code updateMany}: {@code query}, {@code update}, {@code upsert}?, {@code arrayFilters}?
 *       → {@code {matchedCount, modifiedCount, upsertedId?}}</li>
 *   <li>{@code deleteOne}/{@code deleteMany}: {@code query} → {@code {deletedCount}}</li>
 *   <li>{@code findOneAndUpdate}/{@code findOneAndReplace}: {@code filter}, {@code update} (the replacement),
 *       {@code projection}?, {@code sort}?, {@code upsert}?, {@code returnNewDocument}? → document or null</li>
 *   <li>{@code findOneAndDelete}: {@code filter}, {@code projection}?, {@code sort}? → document or null</li>
 *   <li>{@code getCollectionNames}: {@code database} → array of strings; {@code getDBNames}: {} → array</li>
 * </ul>
 *
 * <p>Called possibly concurrently: on an I/O thread, or, when {@link #inProcess()} and no debugger
 * watches, on the thread running the function's JavaScript (decision record 0042; a rule that calls a
 * function then runs it in another realm, as any nested entry call). Throw {@link ServiceCallException}
 * for errors the function should see (a rule denies, a duplicate key); anything else is logged and the
 * function gets a generic error.
 */
@FunctionalInterface
public interface MongoServiceClient {

    BsonValue call(String service, String action, BsonDocument arguments, Caller caller);

    /**
     * Whether calls are answered by this process (the embedded database): bounded local work, so a
     * function's call may run on its own thread without a hand-off. A remote deployment answers false:
     * its calls stay on an I/O thread, where the time limit does not wait for a slow query.
     */
    default boolean inProcess() {
        return false;
    }

    /** For engines with no database: every call fails with a clear message. */
    MongoServiceClient NONE = (service, action, arguments, caller) -> {
        throw new ServiceCallException("service '" + service + "' has no database connection in this runtime");
    };
}
