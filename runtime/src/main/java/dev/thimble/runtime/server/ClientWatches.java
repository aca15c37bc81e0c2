package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.changes.Subscription;
import org.bson.BsonDocument;

import java.util.function.Function;

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
        void event(ClientEvent event);

        /** The watch ended with an error; nothing follows. */
        void error(Failure error);
    }

    /**
     * One change event as a caller receives it. The same instance may go to every stream whose caller sees the
     * event alike (decision 0061), so the frame a sink encodes from it is kept on it for the others. Read-only.
     */
    final class ClientEvent {
        private final BsonDocument document;
        private volatile byte[] frame;

        public ClientEvent(BsonDocument document) {
            this.document = document;
        }

        /** The event as the client receives it (full or compact); shared: never change it. */
        public BsonDocument document() {
            return document;
        }

        /** The encoded frame: made by the first sink that asks (two at once may both make it: equal bytes), then kept. */
        public byte[] frame(Function<BsonDocument, byte[]> encoder) {
            byte[] bytes = frame;
            if (bytes == null) {
                bytes = encoder.apply(document);
                frame = bytes;
            }
            return bytes;
        }
    }
}
