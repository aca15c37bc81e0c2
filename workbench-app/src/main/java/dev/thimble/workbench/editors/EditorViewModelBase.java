package dev.thimble.workbench.editors;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Problem;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.runtime.apps.EditableItem;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The save cycle every editor shares. A save takes a snapshot of the editor's state on the UI thread,
 * turns it into an edit of the model, and runs that edit in the background against whatever model is
 * current then; on success the snapshot becomes the editor's saved baseline. The user may keep typing
 * during a save: what was typed after the snapshot stays dirty.
 *
 * @param <S> an immutable snapshot of the editor's content, compared with {@code equals}
 */
public abstract class EditorViewModelBase<S> implements EditorViewModel {
    protected final EditorContext context;
    private final EditableItem item;
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper(this, "saving");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ObservableList<Problem> problems = FXCollections.observableArrayList();

    protected EditorViewModelBase(EditorContext context, EditableItem item) {
        this.context = context;
        this.item = item;
    }

    /** The editor's content now. */
    protected abstract S snapshot();

    /** Why {@code state} cannot be saved (shown beside the editor; nothing is written), or null when it can. */
    protected abstract String invalidReason(S state);

    /** The edit that puts {@code state} into a model; runs off the UI thread and may throw EditRefusedException. */
    protected abstract UnaryOperator<AppModel> edit(S state);

    /** {@code state} is now on disk: make it the baseline dirtiness is measured against. */
    protected abstract void markSaved(S state);

    /** A message to show after a successful save, or "" (e.g. a warning that the saved code does not parse). */
    protected String afterSaveMessage(S state) {
        return "";
    }

    @Override
    public final CompletableFuture<Boolean> save() {
        if (saving.get()) {
            return CompletableFuture.completedFuture(false);
        }
        S state = snapshot();
        String invalid = invalidReason(state);
        if (invalid != null) {
            message.set(invalid);
            return CompletableFuture.completedFuture(false);
        }
        if (!isDirty()) {
            message.set("");
            return CompletableFuture.completedFuture(true);
        }
        UnaryOperator<AppModel> edit = edit(state);
        saving.set(true);
        return context.tasks().run(() -> context.session().save(edit),
                        result -> {
                            saving.set(false);
                            markSaved(state);
                            message.set(afterSaveMessage(state));
                            context.saved().accept(result);
                        },
                        failure -> {
                            saving.set(false);
                            message.set("Not saved: " + UiTasks.describe(failure));
                        })
                .handle((result, failure) -> failure == null);
    }

    @Override
    public EditableItem item() {
        return item;
    }

    @Override
    public String title() {
        return item.title();
    }

    @Override
    public ReadOnlyBooleanProperty savingProperty() {
        return saving.getReadOnlyProperty();
    }

    @Override
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    @Override
    public void warn(String text) {
        setMessage(text);
    }

    protected void setMessage(String text) {
        message.set(text);
    }

    @Override
    public ObservableList<Problem> problems() {
        return problems;
    }

    @Override
    public void showProblems(List<Problem> current) {
        problems.setAll(current);
    }
}
