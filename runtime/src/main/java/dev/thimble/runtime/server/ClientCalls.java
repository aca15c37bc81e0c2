package dev.thimble.runtime.server;

import dev.thimble.runtime.auth.AuthService;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What {@code POST functions/call} reaches: a user's call of a function, or of a MongoDB service
 * action. Implementations apply run-as semantics and rules, write the log record, and throw
 * {@link dev.thimble.runtime.errors.ApiError} for anything the client should see.
 */
public interface ClientCalls {
    BsonValue callFunction(AuthService.Authenticated caller, String name, BsonArray arguments, CallInfo info);

    BsonValue callService(AuthService.Authenticated caller, String service, String action, BsonDocument argument, CallInfo info);

    /** Where a call came from, for {@code context.request} and the log record. */
    record CallInfo(String method, String url, String remoteAddress, java.util.Map<String, java.util.List<String>> headers,
                    String rawQueryString) {
    }
}
