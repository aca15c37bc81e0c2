package dev.thimble.runtime.functions;

/**
 * Told about every entry execution while installed ({@link FunctionEngine#observe}); both methods
 * run on the execution's own thread, so they must be quick and must not throw.
 */
public interface ExecutionObserver {

    void started(ExecutionHandle execution);

    void finished(ExecutionHandle execution, FunctionResult result);
}
