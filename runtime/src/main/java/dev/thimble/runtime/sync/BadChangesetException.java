package dev.thimble.runtime.sync;

/** A changeset the server cannot read, or one with instructions it does not support yet (protocol error 212). */
final class BadChangesetException extends RuntimeException {
    BadChangesetException(String message) {
        super(message);
    }
}
