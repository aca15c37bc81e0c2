package dev.thimble.runtime.functions;

import org.bson.BsonArray;
import org.bson.BsonValue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one execution.
 *
 * @param functionName  the function called
 * @param value         the returned value (a Promise's settled value), or null when it failed;
 *                      {@code BsonUndefined} when the function returned nothing
 * @param error         why it failed, or null
 * @param logs          {@code console.*} output, in order; capped (see {@link #logsTruncated()})
 * @param logsTruncated true when output past the cap was dropped (the last line says so)
 * @param duration      wall time from the start of the execution to its end
 * @param caller        whom the function ran as, after its run-as options
 * @param arguments     the arguments, for the log record; null when the function sets {@code disable_arg_logs}
 */
public record FunctionResult(String functionName, BsonValue value, FunctionError error, List<LogLine> logs,
                             boolean logsTruncated, Duration duration, Caller caller, BsonArray arguments) {

    public FunctionResult {
        logs = List.copyOf(logs);
    }

    public boolean succeeded() {
        return error == null;
    }

    /** False when {@code disable_arg_logs} keeps the arguments out of logs. */
    public boolean argumentsLogged() {
        return arguments != null;
    }

    public Optional<BsonArray> loggedArguments() {
        return Optional.ofNullable(arguments);
    }

    /** The log lines as the log record's {@code messages[]}. */
    public List<String> messages() {
        return logs.stream().map(LogLine::message).toList();
    }

    /** The value, or the error as an exception ({@link FunctionTimeoutException} for time limits). */
    public BsonValue orThrow() {
        if (error == null) {
            return value;
        }
        if (error.kind() == FunctionError.Kind.TIME_LIMIT) {
            throw new FunctionTimeoutException(error);
        }
        throw new FunctionExecutionException(error);
    }
}
