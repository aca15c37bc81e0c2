package dev.thimble.runtime.functions;

/** The execution ran past its time limit and was stopped. */
public class FunctionTimeoutException extends FunctionExecutionException {
    public FunctionTimeoutException(FunctionError error) {
        super(error);
    }
}
