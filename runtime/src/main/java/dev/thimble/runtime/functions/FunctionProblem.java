package dev.thimble.runtime.functions;

/** A function the engine cannot run as loaded, e.g. its source does not parse. {@code line} is 0 when unknown. */
public record FunctionProblem(String functionName, String sourcePath, int line, String message) {
}
