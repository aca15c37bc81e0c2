package dev.thimble.workbench.editors.values;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ValueDef;
import dev.thimble.workbench.editors.EditorContext;
import dev.thimble.workbench.editors.EditorViewModelBase;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.JsonText;
import dev.thimble.runtime.apps.ModelEdits;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The app's values as a table. Each row's problem (no name, not JSON, a secret value that is not a
 * name) shows beside the table as the user edits; a save with any problem is refused and writes
 * nothing. Values whose rows were removed are deleted from the bundle on save.
 */
public final class ValuesEditorViewModel extends EditorViewModelBase<List<ValueRow.State>> {
    private final ObservableList<ValueRow> rows = FXCollections.observableArrayList(ValueRow::observables);
    private final ObjectProperty<List<ValueRow.State>> baseline = new SimpleObjectProperty<>(this, "baseline");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ReadOnlyStringWrapper rowProblems = new ReadOnlyStringWrapper(this, "rowProblems", "");

    public ValuesEditorViewModel(EditorContext context, List<ValueDef> values) {
        super(context, new EditableItem.Values());
        for (ValueDef value : values) {
            rows.add(new ValueRow(value.name(), valueText(value.config()), value.fromSecret(), false));
        }
        baseline.set(snapshot());
        dirty.bind(Bindings.createBooleanBinding(() -> !snapshot().equals(baseline.get()), rows, baseline));
        rowProblems.bind(Bindings.createStringBinding(this::describeProblems, rows));
    }

    private static String valueText(Json config) {
        return config.has("value") ? JsonText.format(config.get("value")).replaceAll("\\s*\\n\\s*", " ") : "null";
    }

    /** Adds an empty row for a new value, named {@code name} (editable until saved). */
    public ValueRow addValue(String name) {
        ValueRow row = new ValueRow(name, "\"\"", false, true);
        rows.add(row);
        return row;
    }

    public void remove(ValueRow row) {
        rows.remove(row);
    }

    public ObservableList<ValueRow> rows() {
        return rows;
    }

    /** Every row's problem, one per line ("" when none), for the message area beside the table. */
    public ReadOnlyStringProperty rowProblemsProperty() {
        return rowProblems.getReadOnlyProperty();
    }

    /** The problem of one row, or null (includes a duplicate name). */
    public String problemOf(ValueRow row) {
        String own = row.problem();
        if (own != null) {
            return own;
        }
        String name = row.nameProperty().get().strip();
        long same = rows.stream().filter(r -> r.nameProperty().get().strip().equals(name)).count();
        return same > 1 ? "another value is also named " + name : null;
    }

    private String describeProblems() {
        List<String> lines = new ArrayList<>();
        for (ValueRow row : rows) {
            String problem = problemOf(row);
            if (problem != null) {
                String name = row.nameProperty().get().strip();
                lines.add((name.isEmpty() ? "A new value" : name) + ": " + problem);
            }
        }
        return String.join("\n", lines);
    }

    @Override
    protected List<ValueRow.State> snapshot() {
        return rows.stream().map(ValueRow::state).toList();
    }

    @Override
    protected String invalidReason(List<ValueRow.State> state) {
        String problems = describeProblems();
        return problems.isEmpty() ? null : "Nothing was saved; fix the values first:\n" + problems;
    }

    @Override
    protected UnaryOperator<AppModel> edit(List<ValueRow.State> state) {
        return model -> {
            List<ValueDef> values = new ArrayList<>();
            for (ValueRow.State row : state) {
                Json base = model.value(row.name()).map(ValueDef::config)
                        .orElseGet(() -> Json.empty().with("name", row.name()));
                Json config;
                try {
                    config = base.with("value", JsonText.parseValue(row.valueJson()));
                } catch (JsonText.InvalidJsonException e) {
                    throw new IllegalStateException("checked by invalidReason", e);
                }
                if (config.bool("from_secret", false) != row.fromSecret()) {
                    config = config.with("from_secret", JsonNodeFactory.instance.booleanNode(row.fromSecret()));
                }
                values.add(new ValueDef(config));
            }
            return ModelEdits.withValues(model, values);
        };
    }

    @Override
    protected void markSaved(List<ValueRow.State> state) {
        rows.forEach(ValueRow::markSaved);
        baseline.set(state);
    }

    @Override
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    /** The names in the table, for callers checking a new name. */
    public Set<String> names() {
        Set<String> names = new HashSet<>();
        rows.forEach(r -> names.add(r.nameProperty().get().strip()));
        return names;
    }
}
