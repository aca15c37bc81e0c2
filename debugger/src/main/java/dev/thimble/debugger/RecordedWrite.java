package dev.thimble.debugger;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A database write a dry run would have made, and the answer the function got instead.
 *
 * @param service   the MongoDB service name
 * @param action    {@code insertOne}, {@code updateMany}, {@code aggregate} (with {@code $out}/{@code $merge}), ...
 * @param arguments the action's argument document as the function sent it
 * @param answer    what the function was told (e.g. the count of documents that match the update's query)
 * @param userId    whom the write would have run as; {@code ""} for the system
 */
public record RecordedWrite(String service, String action, BsonDocument arguments, BsonValue answer, String userId) {

    /** One line: {@code insertOne dbg.notes {"text": "a"}}. */
    public String describe() {
        String ns = arguments.isString("database") && arguments.isString("collection")
                ? arguments.getString("database").getValue() + "." + arguments.getString("collection").getValue() : "";
        BsonDocument shown = arguments.clone();
        shown.remove("database");
        shown.remove("collection");
        return action + " " + ns + " " + shown.toJson();
    }
}
