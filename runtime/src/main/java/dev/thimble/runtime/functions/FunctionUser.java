package dev.thimble.runtime.functions;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.util.Objects;

/**
 * The user a function sees as {@code context.user}: {@code {id, type, data, identities, custom_data}}.
 * {@code type} is {@code normal}, {@code server} (API key) or {@code system}.
 */
public record FunctionUser(String id, String type, BsonDocument data, BsonArray identities, BsonDocument customData) {

    /** The user of executions that have no calling user (triggers, admin "run as system"). */
    public static final FunctionUser SYSTEM = new FunctionUser("", "system", new BsonDocument(), new BsonArray(), new BsonDocument());

    public FunctionUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        data = data == null ? new BsonDocument() : data.clone();
        identities = identities == null ? new BsonArray() : identities.clone();
        customData = customData == null ? new BsonDocument() : customData.clone();
    }

    /** A normal user known only by id (e.g. a {@code run_as_user_id} target no directory could resolve). */
    public static FunctionUser ofId(String id) {
        return new FunctionUser(id, "normal", null, null, null);
    }

    public BsonDocument toBson() {
        return new BsonDocument("id", new BsonString(id))
                .append("type", new BsonString(type))
                .append("data", data.clone())
                .append("identities", identities.clone())
                .append("custom_data", customData.clone());
    }
}
