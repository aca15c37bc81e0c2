package dev.thimble.runtime.apps;

/**
 * A save that was not done, with a message for the user saying why and what to do. Nothing was
 * written when this is thrown.
 */
public final class EditRefusedException extends RuntimeException {
    public EditRefusedException(String message) {
        super(message);
    }
}
