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

    /**
     * The warm-up's call (decision record 0047): what {@link #callFunction} does for a client's call, with the
     * engine's built-in warm-up function as a synthetic user that is no app user, and the log record not stored
     * in the app's logs. Only the function engine's warm-up may run it: on its own thread, or on the request thread
     * answering its loopback call, whose caller is the warm-up's ({@code AuthService.Authenticated#warmUp}, decision
     * record 0075).
     */
    default BsonValue warmUpCall(BsonArray arguments, CallInfo info) {
        throw new UnsupportedOperationException("no warm-up call here");
    }

    /** The warm-up ended: let go of what its calls left (decision record 0071: the log records' scratch collection). */
    default void warmUpEnded() {
    }

    /** Where a call came from, for {@code context.request} and the log record. */
    record CallInfo(String method, String url, String remoteAddress, java.util.Map<String, java.util.List<String>> headers,
                    String rawQueryString) {
    }
}
