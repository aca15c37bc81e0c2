package dev.thimble.workbench.editors;

import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.apps.EditableItem;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The state of one editor tab: what it edits, whether it has unsaved changes, and what went wrong. */
public interface EditorViewModel {

    EditableItem item();

    /** The tab's label (without the dirty marker). */
    String title();

    /** Whether the editor holds changes not yet on disk. */
    ReadOnlyBooleanProperty dirtyProperty();

    ReadOnlyBooleanProperty savingProperty();

    /** A message shown beside the editor: why the last save failed or was refused, or "" when all is well. */
    ReadOnlyStringProperty messageProperty();

    /** The validator's problems in this item's files, as of the last validation. */
    ObservableList<Problem> problems();

    /** Replaces {@link #problems()}. */
    void showProblems(List<Problem> problems);

    /**
     * Saves the editor's content: writes the bundle and reloads the server, off the UI thread.
     * Completes (on the UI thread) with true when saved or when there was nothing to save, false
     * when the save failed or was refused ({@link #messageProperty()} says why).
     */
    CompletableFuture<Boolean> save();

    /**
     * This freshly opened editor of a renamed item takes over the unsaved changes of the editor that
     * had the item under its old name. True when it did; false when this kind of editor cannot (the
     * old editor then stays open with its changes).
     */
    default boolean takeOver(EditorViewModel renamed) {
        return false;
    }

    /** Tells the person something about this editor's content (shown beside the editor). */
    default void warn(String text) {
    }

    /** Stops background work (pending checks) when the tab closes. */
    default void dispose() {
    }

    default boolean isDirty() {
        return dirtyProperty().get();
    }
}
