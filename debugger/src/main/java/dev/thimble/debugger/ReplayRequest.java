package dev.thimble.debugger;

import dev.thimble.runtime.functions.ExecutionOrigin;
import dev.thimble.runtime.logs.LogRecord;
import org.bson.BsonArray;
import org.bson.BsonDocument;

import java.util.Objects;

/**
 * A function run to repeat under the debugger; every part can be edited before the run.
 *
 * @param functionName the function to run
 * @param userId       whom it runs as; {@code ""} for the system user
 * @param arguments    its arguments
 * @param dryRun       true: database writes are reported, not applied
 * @param origin       what the replayed run stood for (shown beside the stack)
 */
public record ReplayRequest(String functionName, String userId, BsonArray arguments, boolean dryRun, ExecutionOrigin origin) {

    public ReplayRequest {
        if (functionName == null || functionName.isBlank()) {
            throw new IllegalArgumentException("a replay needs the name of the function to run");
        }
        userId = userId == null ? "" : userId;
        arguments = arguments == null ? new BsonArray() : arguments.clone();
        origin = origin == null ? ExecutionOrigin.of(ExecutionOrigin.Kind.REPLAY, "replay of " + functionName) : origin;
    }

    /**
     * The call a log record describes, as its user, dry-run by default.
     *
     * @throws IllegalArgumentException when the record is not a function run, or its arguments were
     *                                  not logged ({@code disable_arg_logs}): give them with {@link #withArguments}
     */
    public static ReplayRequest fromLog(LogRecord record) {
        Objects.requireNonNull(record, "record");
        if (record.functionName() == null || record.functionName().isBlank()) {
            throw new IllegalArgumentException("log record " + record.id() + " is not a function run (" + record.type()
                    + "); only function calls, trigger runs and webhook calls can be replayed");
        }
        if (record.arguments() == null) {
            throw new IllegalArgumentException("log record " + record.id() + " of function " + record.functionName()
                    + " has no arguments: the function sets disable_arg_logs; enter the arguments to replay it");
        }
        String summary = "replay of " + record.functionName() + " called at " + record.started()
                + (record.userId() == null || record.userId().isEmpty() ? "" : " by user " + record.userId());
        BsonDocument detail = new BsonDocument("logRecord", new org.bson.BsonString(String.valueOf(record.id())));
        return new ReplayRequest(record.functionName(), record.userId(), record.arguments(), true,
                new ExecutionOrigin(ExecutionOrigin.Kind.REPLAY, summary, detail));
    }

    /** A trigger's function given a change event (or an auth or scheduled event) as its one argument, as the system. */
    public static ReplayRequest ofTriggerEvent(String functionName, BsonDocument event) {
        Objects.requireNonNull(event, "event");
        return new ReplayRequest(functionName, "", new BsonArray(java.util.List.of(event.clone())), true,
                new ExecutionOrigin(ExecutionOrigin.Kind.TRIGGER, "replay of a trigger event for " + functionName, event));
    }

    /** A webhook's function given its payload ({@code {query, headers, body}}) as its first argument, as the system. */
    public static ReplayRequest ofWebhookPayload(String functionName, BsonDocument payload) {
        Objects.requireNonNull(payload, "payload");
        return new ReplayRequest(functionName, "", new BsonArray(java.util.List.of(payload.clone())), true,
                new ExecutionOrigin(ExecutionOrigin.Kind.WEBHOOK, "replay of a webhook call of " + functionName, payload));
    }

    /**
     * An incoming webhook's own source given {@code payload} ({@code {query, headers, body}}) and a
     * fresh {@code response}, as the system (a webhook that runs as a user: set it with {@link #withUserId}).
     */
    public static ReplayRequest ofWebhook(String service, String webhook, BsonDocument payload) {
        Objects.requireNonNull(payload, "payload");
        return new ReplayRequest(dev.thimble.runtime.functions.FunctionEngine.webhookFunctionName(service, webhook), "",
                new BsonArray(java.util.List.of(payload.clone())), true,
                new ExecutionOrigin(ExecutionOrigin.Kind.WEBHOOK, "replay of webhook " + service + "/" + webhook, payload));
    }

    /** True when this replays an incoming webhook's source (run as a handler, with a {@code response} object). */
    public boolean isWebhook() {
        String sample = dev.thimble.runtime.functions.FunctionEngine.webhookFunctionName("s", "w");
        return functionName.startsWith(sample.substring(0, sample.length() - "s/w".length()));
    }

    public ReplayRequest withArguments(BsonArray value) {
        return new ReplayRequest(functionName, userId, value, dryRun, origin);
    }

    public ReplayRequest withUserId(String value) {
        return new ReplayRequest(functionName, value, arguments, dryRun, origin);
    }

    /** false to apply the writes for real. */
    public ReplayRequest withDryRun(boolean value) {
        return new ReplayRequest(functionName, userId, arguments, value, origin);
    }

    @Override
    public BsonArray arguments() {
        return arguments.clone();
    }
}
