package dev.thimble.debugger;

/**
 * The value of a watch or console expression in a frame, or why it has none.
 *
 * @param value the result, or null when evaluating it failed
 * @param error what went wrong (e.g. {@code ReferenceError: x is not defined}), or null
 */
public record EvaluationResult(String expression, VariableSnapshot value, String error) {

    public boolean failed() {
        return error != null;
    }

    /** One line: the value's rendering, or the error. */
    public String display() {
        return error != null ? error : value.display();
    }
}
