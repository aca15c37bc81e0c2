package dev.thimble.workbench.editors.values;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.apps.JsonText;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One row of the values table: a value's name, its value as JSON text, and whether it names a secret. */
public final class ValueRow {
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty valueJson = new SimpleStringProperty(this, "valueJson", "");
    private final BooleanProperty fromSecret = new SimpleBooleanProperty(this, "fromSecret");
    private final ReadOnlyBooleanWrapper isNew = new ReadOnlyBooleanWrapper(this, "new");

    ValueRow(String name, String valueJson, boolean fromSecret, boolean isNew) {
        this.name.set(name);
        this.valueJson.set(valueJson);
        this.fromSecret.set(fromSecret);
        this.isNew.set(isNew);
    }

    /** The content of a row, for comparing with what was saved. */
    record State(String name, String valueJson, boolean fromSecret) {
    }

    State state() {
        return new State(name.get().strip(), valueJson.get().strip(), fromSecret.get());
    }

    /** What is wrong with this row on its own (duplicates are the table's business), or null. */
    String problem() {
        String n = name.get().strip();
        if (n.isEmpty()) {
            return "needs a name";
        }
        if (n.contains("/") || n.contains("\\")) {
            return "a name cannot contain / or \\";
        }
        JsonNode parsed;
        try {
            parsed = JsonText.parseValue(valueJson.get());
        } catch (JsonText.InvalidJsonException e) {
            return "the value is not JSON (" + e.error() + "); put text in quotes, e.g. \"Thimble Todo\"";
        }
        if (fromSecret.get() && !parsed.isTextual()) {
            return "from a secret, the value is the secret's name in quotes, e.g. \"chatWebhookKey\"";
        }
        return null;
    }

    Observable[] observables() {
        return new Observable[] {name, valueJson, fromSecret};
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty valueJsonProperty() {
        return valueJson;
    }

    public BooleanProperty fromSecretProperty() {
        return fromSecret;
    }

    /** True for a row added in this editor and not saved yet: only its name may still be edited. */
    public ReadOnlyBooleanProperty newProperty() {
        return isNew.getReadOnlyProperty();
    }

    void markSaved() {
        isNew.set(false);
    }
}
