package dev.thimble.runtime.triggers;

import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.functions.ExecutionOrigin;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.functions.TooManyExecutionsException;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a trigger's function as the system user and leaves one log record of the run: the trigger's
 * own type when it succeeds, {@code TRIGGER_FAILURE} when it fails, {@code TRIGGER_ERROR_HANDLER}
 * for an error handler's run; with duration, console output, error and the event as its argument.
 */
final class TriggerRuns {
    /** A function that could not start because the engine is at its limit is retried for this long. */
    private static final long BUSY_RETRY_MILLIS = 60_000;

    /**
     * How a run ended.
     *
     * @param error     the error's message (without its stack), null on success
     * @param errorName the JS error's name ({@code Error}, {@code TypeError}) or the failure's code
     */
    record Outcome(boolean succeeded, String error, String errorName) {
    }

    /** Called when a function starts running (the benchmark's probe); does nothing by default. */
    interface StartProbe {
        void started(TriggerDef trigger);
    }

    private final Supplier<FunctionEngine> engine;
    private final LogService logs;
    private final Clock clock;
    volatile StartProbe probe = trigger -> { };

    TriggerRuns(Supplier<FunctionEngine> engine, LogService logs, Clock clock) {
        this.engine = engine;
        this.logs = logs;
        this.clock = clock;
    }

    Outcome run(TriggerDef trigger, LogType type, String functionName, List<BsonValue> arguments, String namespace) {
        FunctionEngine functions = engine.get();
        LogRecord.Builder log = LogRecord.start(type, clock)
                .trigger(trigger.config().text("id", ""), trigger.name())
                .namespace(namespace);
        Optional<FunctionDef> function = functions.app().function(functionName);
        log.function(functionName, function.map(f -> f.config().text("id", "")).orElse(""))
                .arguments(new BsonArray(List.copyOf(arguments)), function.map(f -> f.config().bool("disable_arg_logs", false)).orElse(false));
        probe.started(trigger);
        FunctionResult result = execute(functions, functionName, arguments, origin(trigger, type, arguments));
        if (result == null) {
            String error = "the function engine stayed busy for " + BUSY_RETRY_MILLIS / 1000 + " s; the run was given up";
            logs.append(failure(log, type, error, "TooManyRequests"));
            return new Outcome(false, error, "TooManyRequests");
        }
        log.messages(result.messages());
        if (result.succeeded()) {
            logs.append(log.result(result.value(), function.map(f -> f.config().bool("disable_arg_logs", false)).orElse(false))
                    .finish(LogStatus.SUCCESS));
            return new Outcome(true, null, null);
        }
        String code = result.error().code();
        logs.append(failure(log, type, result.error().describe(), code));
        return new Outcome(false, result.error().message(), result.error().name());
    }

    /** The failed run's record: a trigger's own run is re-typed TRIGGER_FAILURE (an error handler's keeps its type). */
    private static LogRecord failure(LogRecord.Builder log, LogType type, String error, String code) {
        LogRecord done = log.error(error, code).finish(LogStatus.ERROR);
        return type == LogType.TRIGGER_ERROR_HANDLER ? done : done.withType(LogType.TRIGGER_FAILURE);
    }

    /** A trigger stopped for a reason other than a run (its position left the log, its event stream failed): one TRIGGER_FAILURE record. */
    void suspended(TriggerDef trigger, String namespace, String reason) {
        logs.append(LogRecord.start(LogType.TRIGGER_FAILURE, clock)
                .trigger(trigger.config().text("id", ""), trigger.name())
                .namespace(namespace)
                .function(trigger.functionName(), "")
                .error("trigger suspended: " + reason, "TriggerSuspended")
                .finish(LogStatus.ERROR));
    }

    /** What the debugger shows beside a paused trigger run: the trigger, and the event it handles. */
    private static ExecutionOrigin origin(TriggerDef trigger, LogType type, List<BsonValue> arguments) {
        BsonDocument detail = !arguments.isEmpty() && arguments.getFirst().isDocument() ? arguments.getFirst().asDocument() : new BsonDocument();
        String what = type == LogType.TRIGGER_ERROR_HANDLER ? "error handler of trigger " : trigger.type().toLowerCase(java.util.Locale.ROOT) + " trigger ";
        return new ExecutionOrigin(ExecutionOrigin.Kind.TRIGGER, what + trigger.name(), detail);
    }

    private static FunctionResult execute(FunctionEngine functions, String name, List<BsonValue> arguments, ExecutionOrigin origin) {
        long giveUp = System.currentTimeMillis() + BUSY_RETRY_MILLIS;
        long backoff = 5;
        while (true) {
            try {
                return functions.execute(name, arguments, ExecutionRequest.asSystem().withOrigin(origin));
            } catch (TooManyExecutionsException e) {
                if (System.currentTimeMillis() > giveUp) {
                    return null;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                backoff = Math.min(backoff * 2, 200);
            }
        }
    }
}
