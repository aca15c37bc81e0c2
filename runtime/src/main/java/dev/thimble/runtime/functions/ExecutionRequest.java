package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import java.time.Duration;
import java.util.Objects;

/**
 * Who asks for an execution and in answer to what.
 *
 * @param caller    the identity the call comes from (the function's run-as options may change it)
 * @param request   the HTTP request shown as {@code context.request}; {@link RequestInfo#NONE} if none
 * @param timeLimit this execution's time limit, or null for the engine's default
 * @param origin    what started it (an SDK call, a trigger, ...), shown by the debugger
 */
public record ExecutionRequest(Caller caller, RequestInfo request, Duration timeLimit, ExecutionOrigin origin) {

    public ExecutionRequest {
        Objects.requireNonNull(caller, "caller");
        request = request == null ? RequestInfo.NONE : request;
        origin = origin == null ? ExecutionOrigin.SERVER : origin;
    }

    public ExecutionRequest(Caller caller, RequestInfo request, Duration timeLimit) {
        this(caller, request, timeLimit, ExecutionOrigin.SERVER);
    }

    public static ExecutionRequest asUser(Principal user) {
        return new ExecutionRequest(Caller.user(user), RequestInfo.NONE, null);
    }

    /** Triggers and the admin "run as system" path. */
    public static ExecutionRequest asSystem() {
        return new ExecutionRequest(Caller.system(), RequestInfo.NONE, null);
    }

    public ExecutionRequest withRequest(RequestInfo request) {
        return new ExecutionRequest(caller, request, timeLimit, origin);
    }

    public ExecutionRequest withTimeLimit(Duration timeLimit) {
        return new ExecutionRequest(caller, request, timeLimit, origin);
    }

    public ExecutionRequest withOrigin(ExecutionOrigin origin) {
        return new ExecutionRequest(caller, request, timeLimit, origin);
    }
}
