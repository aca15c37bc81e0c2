package dev.thimble.ruledesigner;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.rules.RuleCase;
import dev.thimble.runtime.principal.Principal;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

import java.util.Locale;
import java.util.Optional;

/**
 * Turns a logged MongoDB request (a log record with its namespace, action, arguments and decisions)
 * into a {@link SimulationCase}, so the request can be opened in the simulator: the same user (as the
 * user store has them now), action and namespace, and the document — the inserted one, or a live
 * document the logged query matches: the first on which the rules decide as they did for the request
 * (the {@code decidesAsLogged} test), else the first at all.
 */
public final class LogCases {
    private LogCases() {
    }

    /** How many live documents are tried for one that the rules decide on as they did for the request. */
    static final int CANDIDATES = 50;

    /** @throws DesignException when the record is not a MongoDB request or names no namespace */
    public static SimulationCase caseFor(LogRecord record, LiveData live) {
        return caseFor(record, live, c -> true);
    }

    /**
     * Like {@link #caseFor(LogRecord, LiveData)}, choosing among the live documents the logged query
     * matches the first one that {@code decidesAsLogged} accepts (e.g. one the saved rules let the user
     * read, for a read that succeeded): the first match alone may be another user's document.
     */
    public static SimulationCase caseFor(LogRecord record, LiveData live, java.util.function.Predicate<SimulationCase> decidesAsLogged) {
        if (record.serviceAction() == null || record.namespace() == null || !record.namespace().contains(".")
                || record.namespace().startsWith(".") || record.namespace().endsWith(".")) {
            throw new DesignException("log record", "this log record is not a MongoDB request (it has no namespace and action);"
                    + " pick a request of a mongodb-atlas service");
        }
        Action action = action(record.serviceAction());
        Principal user = record.userId() == null ? RuleCase.ANONYMOUS
                : live.user(record.userId()).map(LiveData.KnownUser::ruleUser).orElse(Principal.normal(record.userId()));
        BsonDocument argument = record.arguments() != null && !record.arguments().isEmpty() && record.arguments().get(0).isDocument()
                ? record.arguments().get(0).asDocument() : new BsonDocument();
        Document query = document(argument, "query").orElse(document(argument, "filter").orElse(null));
        Document doc;
        Document after = null;
        if (action == Action.INSERT) {
            doc = document(argument, "document").orElseGet(() -> firstOf(argument, "documents"));
        } else {
            if (action == Action.REPLACE) {
                after = document(argument, "replacement").orElse(null);
            }
            java.util.List<Document> candidates = live.find(record.namespace(), query == null ? new Document() : query, CANDIDATES);
            Action simulated = action == Action.QUERY && !candidates.isEmpty() ? Action.READ : action;
            for (Document candidate : candidates) {
                SimulationCase c = new SimulationCase(user, record.serviceName(), record.namespace(), simulated, candidate, after, query);
                if (decidesAsLogged.test(c)) {
                    return c;
                }
            }
            if (action == Action.QUERY) {
                // no live document the user could have received: show the query as the rules rewrite it
                return new SimulationCase(user, record.serviceName(), record.namespace(), Action.QUERY, null, after, query);
            }
            doc = candidates.isEmpty() ? null : candidates.getFirst();
            return new SimulationCase(user, record.serviceName(), record.namespace(), simulated, doc, after, query);
        }
        return new SimulationCase(user, record.serviceName(), record.namespace(), action, doc, after, query);
    }

    /** The rules action of a MongoDB service action ({@code findOne} → read, {@code updateMany} → update…). */
    static Action action(String serviceAction) {
        String a = serviceAction.toLowerCase(Locale.ROOT);
        if (a.startsWith("insert")) {
            return Action.INSERT;
        }
        if (a.startsWith("replace") || a.equals("findoneandreplace")) {
            return Action.REPLACE;
        }
        if (a.startsWith("update") || a.equals("findoneandupdate")) {
            return Action.UPDATE;
        }
        if (a.startsWith("delete") || a.equals("findoneanddelete")) {
            return Action.DELETE;
        }
        return a.equals("findone") ? Action.READ : Action.QUERY;
    }

    private static Optional<Document> document(BsonDocument argument, String field) {
        BsonValue v = argument.get(field);
        return v != null && v.isDocument() ? Optional.of(Document.parse(v.asDocument().toJson())) : Optional.empty();
    }

    private static Document firstOf(BsonDocument argument, String field) {
        BsonValue v = argument.get(field);
        return v != null && v.isArray() && !v.asArray().isEmpty() && v.asArray().get(0).isDocument()
                ? Document.parse(v.asArray().get(0).asDocument().toJson()) : null;
    }
}
