package dev.thimble.runtime.rules;

import java.util.List;

/**
 * Runs an app function for {@code %function} in a rule expression and returns its result as a
 * BSON-compatible Java value. Errors propagate: a rule whose function fails is an error, not false.
 */
@FunctionalInterface
public interface FunctionCaller {
    Object call(String name, List<Object> arguments);

    /** The caller used until the functions module provides one: every call is an error that says so. */
    FunctionCaller UNAVAILABLE = (name, arguments) -> {
        throw new IllegalStateException("%function " + name + " cannot run: functions are not available yet");
    };
}
