package dev.thimble.runtime.functions;

/** Thrown by host functions for mistakes in the calling JS code; becomes a JS error with this message. */
final class UserError extends RuntimeException {
    private final String jsName;

    UserError(String message) {
        this("Error", message);
    }

    UserError(String jsName, String message) {
        super(message, null, false, false);
        this.jsName = jsName;
    }

    String jsName() {
        return jsName;
    }
}
