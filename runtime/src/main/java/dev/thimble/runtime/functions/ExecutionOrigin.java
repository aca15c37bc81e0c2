package dev.thimble.runtime.functions;

import org.bson.BsonDocument;

import java.util.Objects;

/**
 * What started an execution, for the debugger and for people reading about it: an SDK call, a rule,
 * a trigger and its event, a webhook and its payload, the console, a login, or a replay.
 *
 * @param kind    the way the function was reached
 * @param summary one line for people, e.g. {@code "functions/call addItem by user 5f…"}
 * @param detail  the event, payload or request behind it (read-only copy); empty when there is none
 */
public record ExecutionOrigin(Kind kind, String summary, BsonDocument detail) {

    /** The ways a function runs. */
    public enum Kind { SDK_CALL, RULE, TRIGGER, WEBHOOK, ENDPOINT, CONSOLE, AUTH, REPLAY, SERVER }

    /** Executions that say nothing about their origin: another server-side caller. */
    public static final ExecutionOrigin SERVER = new ExecutionOrigin(Kind.SERVER, "server-side call", new BsonDocument());

    public ExecutionOrigin {
        Objects.requireNonNull(kind, "kind");
        summary = summary == null ? "" : summary;
        detail = detail == null ? new BsonDocument() : detail.clone();
    }

    public static ExecutionOrigin of(Kind kind, String summary) {
        return new ExecutionOrigin(kind, summary, new BsonDocument());
    }

    @Override
    public BsonDocument detail() {
        return detail.clone();
    }
}
