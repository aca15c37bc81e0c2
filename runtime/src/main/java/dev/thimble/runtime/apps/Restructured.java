package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.AppModel;

import java.util.List;

/**
 * A completed structural change (create, duplicate, rename or delete of an item).
 *
 * @param item         the item as it is now (a rename's new identity; a deleted item's old one)
 * @param changed      the bundle-relative files written or deleted
 * @param references   for a rename, every reference rewritten ({@code file: field}, {@code file:line: call});
 *                     for a delete, what still refers to the deleted item; empty otherwise
 * @param notRewritten for a rename, the places that may refer to the old name but could not be rewritten
 *                     (a name computed at run time): check them by hand
 * @param validation   the saved bundle's problems
 */
public record Restructured(AppModel model, EditableItem item, List<String> changed, List<String> references,
                           List<String> notRewritten, Validation validation) {
    public Restructured {
        changed = List.copyOf(changed);
        references = List.copyOf(references);
        notRewritten = List.copyOf(notRewritten);
    }
}
