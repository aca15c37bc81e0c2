package dev.thimble.runtime.functions;

import java.util.List;
import java.util.Objects;

/**
 * Why an execution failed, as the caller may show it: never Java internals.
 *
 * @param kind    what went wrong
 * @param name    the JS error's name ({@code Error}, {@code TypeError}, {@code RangeError}…) for
 *                {@link Kind#THROWN}; otherwise the kind's own label
 * @param message the message, without the name
 * @param stack   the user's own frames, innermost first, e.g.
 *                {@code at exports (functions/addItem/source.js:3:9)}; empty when there are none
 */
public record FunctionError(Kind kind, String name, String message, List<String> stack) {

    public enum Kind {
        /** No function of that name in the app. */
        NOT_FOUND("FunctionNotFound"),
        /** Private (called from a client) or refused by {@code can_evaluate}. */
        NOT_CALLABLE("FunctionNotCallable"),
        /** The source does not parse. */
        SYNTAX_ERROR("FunctionSyntaxError"),
        /** The source parses but does not assign a function to {@code exports}. */
        INVALID("FunctionInvalid"),
        /** The function threw, rejected, or returned something that cannot become BSON. */
        THROWN("FunctionExecutionError"),
        TIME_LIMIT("ExecutionTimeLimitExceeded"),
        STATEMENT_LIMIT("ExecutionTimeLimitExceeded"),
        MEMORY_LIMIT("FunctionExecutionError"),
        /** A developer stopped it in the debugger. */
        STOPPED("FunctionExecutionError"),
        /** A fault in Thimble itself; details are in the server log only. */
        INTERNAL("InternalServerError");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** The Stitch {@code error_code} for the client error body. */
        public String code() {
            return code;
        }
    }

    public FunctionError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        name = name == null ? "Error" : name;
        stack = stack == null ? List.of() : List.copyOf(stack);
    }

    static FunctionError of(Kind kind, String message) {
        return new FunctionError(kind, "Error", message, List.of());
    }

    public String code() {
        return kind.code();
    }

    /** {@code name: message} and the user's stack, one frame a line. */
    public String describe() {
        StringBuilder text = new StringBuilder(kind == Kind.THROWN ? name + ": " + message : message);
        for (String frame : stack) {
            text.append("\n    ").append(frame);
        }
        return text.toString();
    }
}
