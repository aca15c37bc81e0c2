package dev.thimble.runtime.functions;

import java.time.Duration;
import java.util.Objects;

/**
 * Who asks for an execution and in answer to what.
 *
 * @param caller    the identity the call comes from (the function's run-as options may change it)
 * @param request   the HTTP request shown as {@code context.request}; {@link RequestInfo#NONE} if none
 * @param timeLimit this execution's time limit, or null for the engine's default
 */
public record ExecutionRequest(Caller caller, RequestInfo request, Duration timeLimit) {

    public ExecutionRequest {
        Objects.requireNonNull(caller, "caller");
        request = request == null ? RequestInfo.NONE : request;
    }

    public static ExecutionRequest asUser(FunctionUser user) {
        return new ExecutionRequest(Caller.user(user), RequestInfo.NONE, null);
    }

    /** Triggers and the admin "run as system" path. */
    public static ExecutionRequest asSystem() {
        return new ExecutionRequest(Caller.system(), RequestInfo.NONE, null);
    }

    public ExecutionRequest withRequest(RequestInfo request) {
        return new ExecutionRequest(caller, request, timeLimit);
    }

    public ExecutionRequest withTimeLimit(Duration timeLimit) {
        return new ExecutionRequest(caller, request, timeLimit);
    }
}
