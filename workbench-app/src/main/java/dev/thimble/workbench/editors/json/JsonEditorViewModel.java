package dev.thimble.workbench.editors.json;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.workbench.editors.EditorContext;
import dev.thimble.workbench.editors.EditorViewModelBase;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.JsonText;
import dev.thimble.runtime.apps.JsonText.JsonError;
import dev.thimble.runtime.apps.ModelEdits;
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
    private final javafx.collections.ObservableList<FormField> form = javafx.collections.FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<String> formError = new ReadOnlyObjectWrapper<>(this, "formError", "");

    public JsonEditorViewModel(EditorContext context, EditableItem item, Json content) {
        super(context, item);
        String formatted = JsonText.format(content);
        text.set(formatted);
        baseline.set(formatted);
        dirty.bind(Bindings.createBooleanBinding(() -> !text.get().equals(baseline.get()), text, baseline));
        text.addListener((obs, old, now) -> jsonError.set(JsonText.checkObject(now).orElse(null)));
        text.addListener((obs, old, now) -> updateForm(now));
        updateForm(formatted);
    }

    /**
     * The renamed editor's unsaved JSON, with its {@code "name"} set to the one the rename wrote (the
     * unsaved text still had the old one; saving it would undo the rename).
     */
    @Override
    public boolean takeOver(dev.thimble.workbench.editors.EditorViewModel renamed) {
        if (!(renamed instanceof JsonEditorViewModel old) || old.item().getClass() != item().getClass()) {
            return false;
        }
        String unsaved = old.text.get();
        java.util.regex.Matcher onDisk = NAME.matcher(baseline.get());
        java.util.regex.Matcher inEdit = NAME.matcher(unsaved);
        if (onDisk.find() && inEdit.find()) {
            unsaved = unsaved.substring(0, inEdit.start(1)) + onDisk.group(1) + unsaved.substring(inEdit.end(1));
        }
        text.set(unsaved);
        return true;
    }

    /** The first {@code "name": "…"} of a config (its own name comes first in every config the workbench writes). */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Whether this item gets a form beside its JSON: triggers, webhooks, endpoints, auth providers and services. */
    public boolean hasForm() {
        return item() instanceof EditableItem.Trigger || item() instanceof EditableItem.Webhook || item() instanceof EditableItem.Endpoint
                || item() instanceof EditableItem.AuthProvider || item() instanceof EditableItem.Service;
    }

    private void updateForm(String now) {
        try {
            java.util.List<FormField> fields = FormField.fieldsOf((com.fasterxml.jackson.databind.node.ObjectNode) JsonText.parseObject(now).object());
            if (!fields.equals(form)) {
                form.setAll(fields);
            }
        } catch (JsonText.InvalidJsonException | RuntimeException e) {
            // the JSON error shows beside the text; the form keeps the last valid fields
        }
    }

    /** Sets one field from the form: the JSON text is rewritten with the new value (dirty until saved). */
    public void setField(FormField field, String value) {
        try {
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) JsonText.parseObject(text.get()).object();
            field.set(root, value);
            formError.set("");
            text.set(JsonText.format(root));
        } catch (JsonText.InvalidJsonException e) {
            formError.set("Fix the JSON first (" + e.getMessage() + "); the form changes nothing until then.");
        } catch (IllegalArgumentException e) {
            formError.set(e.getMessage());
        }
    }

    /** The form's fields as the text now says. */
    public javafx.collections.ObservableList<FormField> form() {
        return form;
    }

    /** Why the last form edit changed nothing, or "". */
    public ReadOnlyObjectProperty<String> formErrorProperty() {
        return formError.getReadOnlyProperty();
    }

    private final javafx.beans.property.ObjectProperty<Integer> requestedLine = new javafx.beans.property.SimpleObjectProperty<>(this, "requestedLine");

    /**
     * Asks the view to show the line where {@code path} (a problem's field, e.g. {@code config.function_name}
     * or {@code options.secret_name}) is in the text: the line of its last key, under its parent's key when
     * there is one; the first line when the text does not have it.
     */
    public void revealField(String path) {
        requestedLine.set(null);
        requestedLine.set(lineOfField(text.get(), path));
    }

    static int lineOfField(String text, String path) {
        String[] keys = path.replaceAll("\\[\\d+\\]", "").split("\\.");
        int from = 0;
        for (String key : keys) {
            if (key.isEmpty()) {
                continue;
            }
            int at = text.indexOf("\"" + key + "\"", from);
            if (at < 0) {
                break;
            }
            from = at;
        }
        int line = 1;
        for (int i = 0; i < from && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The line the view should show (set again for each request); null before any. */
    public javafx.beans.property.ReadOnlyObjectProperty<Integer> requestedLineProperty() {
        return requestedLine;
    }

    /** The validator's messages about {@code path} of this file (shown beside the field). */
    public java.util.List<String> problemsAt(String path) {
        return problems().stream().filter(p -> p.field().equals(path) || p.field().startsWith(path + ".") || p.field().startsWith(path + "["))
                .map(p -> (p.isError() ? "" : "Warning: ") + p.reason()).toList();
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
