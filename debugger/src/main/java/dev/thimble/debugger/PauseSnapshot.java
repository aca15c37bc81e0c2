package dev.thimble.debugger;

import dev.thimble.runtime.functions.ExecutionOrigin;

import java.util.List;

/**
 * What a paused function looked like when it stopped; immutable, safe on any thread.
 *
 * @param executionId   which execution ({@link FunctionDebugger#paused(long)} gives its commands)
 * @param entryFunction the function the execution was started with
 * @param userId        who it was called by ({@code ""} for the system)
 * @param origin        what started it: an SDK call, a trigger and its event, a webhook and its payload, ...
 * @param reason        why it stopped
 * @param stack         the user frames, innermost first, across nested {@code context.functions.execute} calls
 * @param scopes        the scopes of the innermost frame
 * @param watches       the watch expressions, evaluated in the innermost frame
 * @param exception     the exception it stopped on ({@link PauseReason#EXCEPTION}), or null
 */
public record PauseSnapshot(long executionId, String entryFunction, String userId, ExecutionOrigin origin,
                            PauseReason reason, List<FrameSnapshot> stack, List<ScopeSnapshot> scopes,
                            List<EvaluationResult> watches, String exception) {

    public PauseSnapshot {
        stack = List.copyOf(stack);
        scopes = List.copyOf(scopes);
        watches = List.copyOf(watches);
    }

    /** The innermost user frame: where the function stopped. */
    public FrameSnapshot top() {
        return stack.isEmpty() ? null : stack.getFirst();
    }
}
