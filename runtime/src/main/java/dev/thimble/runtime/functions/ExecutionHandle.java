package dev.thimble.runtime.functions;

import org.bson.BsonArray;

/**
 * One running entry execution as an {@link ExecutionObserver} sees it. Everything but
 * {@link #stop()} and the getters is meant for the execution's own thread (a debugger's suspended
 * callback runs there).
 */
public interface ExecutionHandle {

    /** Unique within the process. */
    long id();

    /** The entry function (nested calls run inside the same execution). */
    String functionName();

    /** The identity it was asked to run as (before the function's run-as options). */
    Caller caller();

    /** Its arguments as called (also when {@code disable_arg_logs} keeps them out of the log). */
    BsonArray arguments();

    ExecutionOrigin origin();

    /** The thread running it. */
    Thread thread();

    /**
     * Stops counting the time limit (a debugger paused the function); {@link #resumeClock} starts it
     * again where it left off. Calls nest: the clock runs when every pause is matched by a resume.
     */
    void pauseClock();

    void resumeClock();

    /**
     * Marks the execution stopped by the debugger, so the caller gets "stopped in the debugger";
     * with {@code cancel} it also cancels its Context (for a function that is not suspended).
     */
    void stopByDebugger(boolean cancel);
}
