package dev.thimble.debugger;

/** A debugger command could not be carried out (the function is no longer paused, or did not answer in time). */
public final class DebuggerException extends RuntimeException {
    public DebuggerException(String message) {
        super(message);
    }
}
