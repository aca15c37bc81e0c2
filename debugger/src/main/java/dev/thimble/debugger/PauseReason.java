package dev.thimble.debugger;

/** Why a function stopped where it did. */
public enum PauseReason {
    /** A line breakpoint hit. */
    BREAKPOINT,
    /** A step finished. */
    STEP,
    /** An exception was thrown and exception breakpoints are on. */
    EXCEPTION,
    /** Entry to a function chosen for "break on entry". */
    ENTRY,
    /** The developer paused a running function. */
    PAUSE
}
