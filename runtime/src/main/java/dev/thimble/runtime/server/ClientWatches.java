package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.changes.Subscription;
import org.bson.BsonDocument;

/**
 * What the streaming {@code GET functions/call} reaches: a MongoDB service's {@code watch}
 * (CLIENT-PROTOCOL §5–6) for an authenticated caller, with the app's rules applied to every event.
 */
public interface ClientWatches {

    /**
     * Checks a watch request — the service, the namespace's rules, the arguments
     * {@code {database, collection, ids?, filter?, useCompactEvents?}} — for this caller. Opens
     * nothing: Stitch validates first ({@code stitch_validate=true}) and opens the stream after.
     *
     * @throws ApiError for anything the client should be told
     */
    Watch prepare(AuthService.Authenticated caller, String service, BsonDocument argument, ClientCalls.CallInfo info);

    /** A checked watch request. */
    interface Watch {
        /**
         * Starts delivering each event the caller may see to the sink, as the client receives it
         * (full or compact), in order, from a thread of the subscription's own.
         */
        Subscription start(WatchSink sink);
    }

    /** Where a running watch sends what it has. */
    interface WatchSink {
        void event(BsonDocument event);

        /** The watch ended with an error; nothing follows. */
        void error(Failure error);
    }
}
