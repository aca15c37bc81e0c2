package dev.thimble.debugger.ui;

import dev.thimble.debugger.VariableSnapshot;

import java.util.List;
import java.util.function.Consumer;

/**
 * One row of the variables tree: a scope (no value) or a variable. Children of an expandable
 * variable are fetched from the paused function only when the row is opened.
 */
public final class VariableNode {
    private final String label;
    private final VariableSnapshot value;
    private final List<VariableNode> scopeVariables;
    private final DebuggerViewModel owner;

    VariableNode(String label, VariableSnapshot value, List<VariableNode> scopeVariables, DebuggerViewModel owner) {
        this.label = label;
        this.value = value;
        this.scopeVariables = scopeVariables;
        this.owner = owner;
    }

    /** A scope's name, or {@code name: display} for a variable. */
    public String text() {
        if (value == null) {
            return label;
        }
        String type = value.type().isEmpty() ? "" : " (" + value.type() + ")";
        return value.name() + " = " + value.display() + type;
    }

    public VariableSnapshot value() {
        return value;
    }

    public boolean isScope() {
        return value == null;
    }

    /** Whether opening the row can show anything. */
    public boolean hasChildren() {
        return value == null ? !scopeVariables.isEmpty() : value.expandable();
    }

    /** The children, fetched off the UI thread for a variable; delivered on the UI thread. */
    public void children(Consumer<List<VariableNode>> onUiThread) {
        if (value == null) {
            onUiThread.accept(scopeVariables);
            return;
        }
        owner.expand(this, onUiThread);
    }

    @Override
    public String toString() {
        return text();
    }
}
