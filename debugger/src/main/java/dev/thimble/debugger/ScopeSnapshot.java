package dev.thimble.debugger;

import java.util.List;

/** One scope of a frame (the function's locals, a block, the enclosing closure) and its variables. */
public record ScopeSnapshot(String name, List<VariableSnapshot> variables) {

    public ScopeSnapshot {
        variables = List.copyOf(variables);
    }
}
