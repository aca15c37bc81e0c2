package dev.thimble.runtime.host;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.rules.Decision;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The database calls a client's function makes ({@code context.services.get("mongodb-atlas")}), with
 * their rule decisions or refusals, gathered for the function's one log record. A call is matched to
 * its request by the request's principal object ({@code Caller.requester}): the call service makes
 * one per request and the engine hands that same object to every database call of the run, also
 * when a function runs as system or as another user ({@code run_as_user_id}), so two requests of
 * one user never mix and a run-as function's calls land in the record of the request that ran it.
 */
final class DatabaseCallTrails {
    /** At most this many calls are kept per record; the rest are counted. */
    static final int MAX_CALLS = 50;

    private final Map<Principal, Trail> open = Collections.synchronizedMap(new IdentityHashMap<>());

    /** Starts gathering the calls made as {@code user} until the trail is closed. */
    Trail open(Principal user) {
        Trail trail = new Trail(user);
        open.put(user, trail);
        return trail;
    }

    /**
     * The calls gathered so far for the request running as {@code user} (a debugger paused inside it
     * shows them before the record is written): the record's {@code decision} shape; null when none
     * or when no trail is open for that user object.
     */
    BsonDocument soFar(Principal user) {
        Trail trail = open.get(user);
        return trail == null ? null : trail.toDocument();
    }

    void succeeded(Caller caller, String service, String action, BsonDocument arguments, List<Decision> decisions, long omitted) {
        Trail trail = open.get(caller.requester());
        if (trail != null) {
            BsonArray documents = new BsonArray();
            decisions.forEach(d -> documents.add(d.toDocument().toBsonDocument()));
            BsonDocument call = call(service, action, arguments).append("documents", documents);
            if (omitted > 0) {
                call.append("documents_omitted", new BsonInt64(omitted));
            }
            trail.add(call);
        }
    }

    void refused(Caller caller, String service, String action, BsonDocument arguments, Failure error) {
        Trail trail = open.get(caller.requester());
        if (trail != null) {
            trail.add(call(service, action, arguments).append("error", new BsonString(error.logMessage()))
                    .append("error_code", new BsonString(error.code())));
        }
    }

    private static BsonDocument call(String service, String action, BsonDocument arguments) {
        return new BsonDocument("service", new BsonString(service))
                .append("action", new BsonString(action))
                .append("namespace", new BsonString(text(arguments, "database") + "." + text(arguments, "collection")));
    }

    private static String text(BsonDocument document, String field) {
        BsonValue value = document.get(field);
        return value != null && value.isString() ? value.asString().getValue() : "";
    }

    /** The calls of one request's function run. */
    final class Trail implements AutoCloseable {
        private final Principal user;
        private final List<BsonDocument> calls = new ArrayList<>();
        private long omitted;

        private Trail(Principal user) {
            this.user = user;
        }

        private synchronized void add(BsonDocument call) {
            if (calls.size() < MAX_CALLS) {
                calls.add(call);
            } else {
                omitted++;
            }
        }

        /** The record's {@code decision}: {@code {database_calls: [{service, action, namespace, documents | error}]}}; null when none. */
        synchronized BsonDocument toDocument() {
            if (calls.isEmpty()) {
                return null;
            }
            BsonDocument document = new BsonDocument("database_calls", new BsonArray(new ArrayList<>(calls)));
            if (omitted > 0) {
                document.append("database_calls_omitted", new BsonInt64(omitted));
            }
            return document;
        }

        @Override
        public void close() {
            open.remove(user, this);
        }
    }
}
