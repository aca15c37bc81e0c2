package dev.thimble.debugger;

/**
 * Told what the debugger's executions do. Methods are called on the execution's own thread (a
 * view-model hands them on with {@code Platform.runLater}); they must return quickly and not throw.
 */
public interface DebugListener {

    /** An execution stopped; its commands are at {@link FunctionDebugger#paused(long)}. */
    default void paused(PauseSnapshot snapshot) {
    }

    /** A paused execution runs again (a step, continue, or stop). */
    default void resumed(long executionId) {
    }

    /** The debugger was closed: functions run undebugged again. */
    default void sessionEnded() {
    }
}
