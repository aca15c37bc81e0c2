package dev.thimble.runtime.functions;

/** A failed execution, for callers that prefer exceptions to inspecting {@link FunctionResult#error()}. */
public class FunctionExecutionException extends RuntimeException {
    private final FunctionError error;

    public FunctionExecutionException(FunctionError error) {
        super(error.describe());
        this.error = error;
    }

    public FunctionError error() {
        return error;
    }
}
