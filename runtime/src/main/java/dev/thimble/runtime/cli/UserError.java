package dev.thimble.runtime.cli;

/** A failure caused by the input, with a message that says what to do; exits with code 1, no stack trace. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message, null, false, false);
    }
}
