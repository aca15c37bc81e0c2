package dev.thimble.debugger;

/**
 * A variable, property or array element as it was at a pause.
 *
 * @param name       the variable name, property key or {@code [i]}
 * @param type       the JS type or class, e.g. {@code number}, {@code Object}, {@code Array}
 * @param display    a short rendering of the value
 * @param ref        a handle for {@link PausedExecution#children(long)}; 0 when there is nothing to expand
 */
public record VariableSnapshot(String name, String type, String display, long ref) {

    public boolean expandable() {
        return ref != 0;
    }
}
