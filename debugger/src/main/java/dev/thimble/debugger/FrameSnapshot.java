package dev.thimble.debugger;

/**
 * One frame of a paused function's call stack, innermost first.
 *
 * @param index        the frame's position, for {@link PausedExecution#scopes} and {@link PausedExecution#evaluate}
 * @param functionName the app function whose source it is in (the bundle name, never {@code exports})
 * @param frameName    the JS function's own name when it is an inner function; otherwise the same as functionName
 * @param path         the bundle path, e.g. {@code functions/addItem/source.js}
 * @param line         1-based line in the user's source
 * @param column       1-based column in the user's source
 */
public record FrameSnapshot(int index, String functionName, String frameName, String path, int line, int column) {

    /** What a call stack panel shows: {@code addItem (functions/addItem/source.js:4)}. */
    public String label() {
        String name = frameName.equals(functionName) ? functionName : frameName + " in " + functionName;
        return name + " (" + path + ":" + line + ")";
    }
}
