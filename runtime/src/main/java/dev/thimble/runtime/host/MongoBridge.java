package dev.thimble.runtime.host;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.data.MongoActions;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.MongoServiceClient;
import dev.thimble.runtime.functions.ServiceCallException;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code context.services.get("mongodb-atlas")} inside functions: the same rule-applying actions the
 * SDKs use, run as the function's caller (or as system for system functions). Each call's rule
 * decisions, or its refusal with its code, go to the calling request's trail
 * ({@link DatabaseCallTrails}) for the function's log record.
 */
final class MongoBridge implements MongoServiceClient {
    private final MongoActions actions;
    private final RuleContexts contexts;
    private final DatabaseCallTrails trails;
    private final boolean inProcess;

    /** @param inProcess the database is the embedded one ({@link MongoServiceClient#inProcess()}) */
    MongoBridge(MongoActions actions, RuleContexts contexts, DatabaseCallTrails trails, boolean inProcess) {
        this.inProcess = inProcess;
        this.actions = actions;
        this.contexts = contexts;
        this.trails = trails;
    }

    @Override
    public boolean inProcess() {
        return inProcess;
    }

    @Override
    public BsonValue call(String service, String action, BsonDocument arguments, Caller caller) {
        try {
            MongoActions.ActionResult result = actions.execute(service, action, arguments, contexts.forCaller(caller));
            trails.succeeded(caller, service, action, arguments, result.decisions(), result.decisionsOmitted());
            return result.value();
        } catch (Failure e) {
            // the function sees the message; the function's log record keeps the code and the decision
            trails.refused(caller, service, action, arguments, e);
            throw new ServiceCallException(e.getMessage());
        }
    }
}
