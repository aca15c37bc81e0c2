package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.errors.Failure;

/**
 * The one place that decides what a client reads in an error: the {@link ApiError}'s message, which
 * names what was refused (the rule, the role, the fields the request used) and never a value the rules
 * compared; on a development server (the workbench, {@code thimble serve --verbose-errors}) followed by
 * its detail, the clause that was false with its values left out. The whole decision stays in the log.
 */
final class ClientErrors {
    private ClientErrors() {
    }

    static String message(Failure error, boolean verbose) {
        String detail = error.detail();
        return verbose && detail != null && !detail.isBlank() ? error.getMessage() + " [" + detail + "]" : error.getMessage();
    }
}
