package dev.thimble.workbench.editors.json;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.workbench.editors.EditorContext;
import dev.thimble.workbench.editors.EditorViewModelBase;
import dev.thimble.workbench.workspace.EditableItem;
import dev.thimble.workbench.workspace.JsonText;
import dev.thimble.workbench.workspace.JsonText.JsonError;
import dev.thimble.workbench.workspace.ModelEdits;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.function.UnaryOperator;

/**
 * One config file (a rule, trigger, auth provider, service, webhook, endpoint, environment or the app
 * settings) as JSON text. The text is checked as it changes (a parse of a few KB takes microseconds);
 * a save of text that is not a JSON object is refused with the error beside the editor, and nothing
 * is written.
 */
public final class JsonEditorViewModel extends EditorViewModelBase<String> {
    private final StringProperty text = new SimpleStringProperty(this, "text");
    private final SimpleStringProperty baseline = new SimpleStringProperty(this, "baseline");
    private final ReadOnlyObjectWrapper<JsonError> jsonError = new ReadOnlyObjectWrapper<>(this, "jsonError");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");

    public JsonEditorViewModel(EditorContext context, EditableItem item, Json content) {
        super(context, item);
        String formatted = JsonText.format(content);
        text.set(formatted);
        baseline.set(formatted);
        dirty.bind(Bindings.createBooleanBinding(() -> !text.get().equals(baseline.get()), text, baseline));
        text.addListener((obs, old, now) -> jsonError.set(JsonText.checkObject(now).orElse(null)));
    }

    @Override
    protected String snapshot() {
        return text.get();
    }

    @Override
    protected String invalidReason(String state) {
        return JsonText.checkObject(state)
                .map(e -> "Not valid JSON at " + e + ". Nothing was saved.")
                .orElse(null);
    }

    @Override
    protected UnaryOperator<AppModel> edit(String state) {
        Json edited;
        try {
            edited = JsonText.parseObject(state);
        } catch (JsonText.InvalidJsonException e) {
            throw new IllegalStateException("checked by invalidReason", e);
        }
        EditableItem item = item();
        return model -> ModelEdits.withJson(model, item, edited);
    }

    @Override
    protected void markSaved(String state) {
        baseline.set(state);
    }

    public StringProperty textProperty() {
        return text;
    }

    /** The first JSON syntax error of the text, or null while it is a valid object. */
    public ReadOnlyObjectProperty<JsonError> jsonErrorProperty() {
        return jsonError.getReadOnlyProperty();
    }

    @Override
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }
}
