package dev.thimble.workbench.explorer;

import dev.thimble.runtime.apps.AppItems;
import dev.thimble.runtime.apps.EditableItem;

import java.util.List;

/**
 * One row of the explorer tree.
 *
 * @param label    what the row says
 * @param category the group it belongs to (decides its icon); null for the app's root row
 * @param item     what double-clicking it opens; null for group rows
 * @param hint     a short note shown after the label (e.g. "private", "no local value"), or ""
 */
public record ExplorerNode(String label, AppItems.Category category, EditableItem item, String hint, List<ExplorerNode> children) {
    public ExplorerNode {
        children = List.copyOf(children);
    }

    public boolean isGroup() {
        return item == null;
    }
}
