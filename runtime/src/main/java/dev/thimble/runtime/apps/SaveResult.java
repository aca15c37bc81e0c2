package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.AppModel;

import java.util.List;

/**
 * A completed save.
 *
 * @param model      the app now on disk and served
 * @param changed    the bundle-relative files written or deleted; empty when nothing changed
 * @param validation the saved bundle's problems
 */
public record SaveResult(AppModel model, List<String> changed, Validation validation) {
    public SaveResult {
        changed = List.copyOf(changed);
    }
}
