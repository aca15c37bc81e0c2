package dev.thimble.workbench.editors;

import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.apps.EditableItem;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The open editors and the selected one. An item opens at most once (opening it again selects its
 * tab); closing an editor with unsaved changes asks first.
 */
public final class EditorTabsViewModel {

    /** What to do with unsaved changes when their editor closes. */
    public enum CloseDecision { SAVE, DISCARD, CANCEL }

    /** Asks the user about an editor with unsaved changes (a dialog in the window, a stub in tests). */
    @FunctionalInterface
    public interface CloseQuestion {
        CloseDecision ask(EditorViewModel dirtyEditor);
    }

    private final ObservableList<EditorViewModel> editors = FXCollections.observableArrayList();
    private final ObjectProperty<EditorViewModel> selected = new SimpleObjectProperty<>(this, "selected");
    private Function<EditableItem, Optional<EditorViewModel>> factory = item -> Optional.empty();

    /** Sets how editors are made (per open app). */
    public void useFactory(Function<EditableItem, Optional<EditorViewModel>> editorFactory) {
        this.factory = editorFactory;
    }

    /** Selects the item's editor, opening it first if needed; empty when the item has no editor. */
    public Optional<EditorViewModel> open(EditableItem item) {
        Optional<EditorViewModel> existing = find(item);
        if (existing.isPresent()) {
            selected.set(existing.get());
            return existing;
        }
        Optional<EditorViewModel> created = factory.apply(item);
        created.ifPresent(editor -> {
            editors.add(editor);
            selected.set(editor);
        });
        return created;
    }

    public Optional<EditorViewModel> find(EditableItem item) {
        return editors.stream().filter(e -> e.item().equals(item)).findFirst();
    }

    /**
     * Closes an editor, asking first when it has unsaved changes. Completes with true when it closed,
     * false when the user cancelled or the save it asked for failed (the editor then stays open,
     * showing why).
     */
    public CompletableFuture<Boolean> close(EditorViewModel editor, CloseQuestion question) {
        if (!editors.contains(editor)) {
            return CompletableFuture.completedFuture(true);
        }
        if (!editor.isDirty()) {
            remove(editor);
            return CompletableFuture.completedFuture(true);
        }
        return switch (question.ask(editor)) {
            case CANCEL -> CompletableFuture.completedFuture(false);
            case DISCARD -> {
                remove(editor);
                yield CompletableFuture.completedFuture(true);
            }
            case SAVE -> editor.save().thenApply(saved -> {
                if (saved && !editor.isDirty()) {
                    remove(editor);
                    return true;
                }
                selected.set(editor);
                return false;
            });
        };
    }

    /** Closes every editor, one after another, stopping at the first the user keeps open. */
    public CompletableFuture<Boolean> closeAll(CloseQuestion question) {
        CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
        for (EditorViewModel editor : new ArrayList<>(editors)) {
            chain = chain.thenCompose(ok -> ok ? close(editor, question) : CompletableFuture.completedFuture(false));
        }
        return chain;
    }

    public CompletableFuture<Boolean> closeSelected(CloseQuestion question) {
        EditorViewModel editor = selected.get();
        return editor == null ? CompletableFuture.completedFuture(true) : close(editor, question);
    }

    public CompletableFuture<Boolean> saveSelected() {
        EditorViewModel editor = selected.get();
        return editor == null ? CompletableFuture.completedFuture(true) : editor.save();
    }

    public boolean anyDirty() {
        return editors.stream().anyMatch(EditorViewModel::isDirty);
    }

    /** Hands each open editor the problems in its item's files. */
    public void showProblems(Map<EditableItem, List<Problem>> byItem) {
        for (EditorViewModel editor : editors) {
            editor.showProblems(byItem.getOrDefault(editor.item(), List.of()));
        }
    }

    private void remove(EditorViewModel editor) {
        int index = editors.indexOf(editor);
        editors.remove(editor);
        editor.dispose();
        if (selected.get() == editor) {
            selected.set(editors.isEmpty() ? null : editors.get(Math.min(index, editors.size() - 1)));
        }
    }

    public ObservableList<EditorViewModel> editors() {
        return editors;
    }

    public ObjectProperty<EditorViewModel> selectedProperty() {
        return selected;
    }
}
