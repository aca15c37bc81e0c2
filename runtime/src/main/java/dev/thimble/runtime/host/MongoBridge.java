package dev.thimble.runtime.host;

import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.data.MongoActions;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.MongoServiceClient;
import dev.thimble.runtime.functions.ServiceCallException;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code context.services.get("mongodb-atlas")} inside functions: the same rule-applying actions the
 * SDKs use, run as the function's caller (or as system for system functions).
 */
final class MongoBridge implements MongoServiceClient {
    private final MongoActions actions;
    private final RuleContexts contexts;

    MongoBridge(MongoActions actions, RuleContexts contexts) {
        this.actions = actions;
        this.contexts = contexts;
    }

    @Override
    public BsonValue call(String service, String action, BsonDocument arguments, Caller caller) {
        try {
            return actions.execute(service, action, arguments, contexts.forCaller(caller)).value();
        } catch (ApiError e) {
            throw new ServiceCallException(e.getMessage());
        }
    }
}
