package dev.thimble.workbench.navigation;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.apps.AppItems;
import dev.thimble.runtime.apps.EditableItem;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Ctrl+P: every item of the open app, narrowed as the user types by a fuzzy match of its title and
 * file (best first, at most {@value #MAX_RESULTS}); choosing one opens its editor.
 */
public final class GoToItemViewModel {
    static final int MAX_RESULTS = 50;

    private final Consumer<EditableItem> opener;
    private final StringProperty query = new SimpleStringProperty(this, "query", "");
    private final ObservableList<EditableItem> results = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper showing = new ReadOnlyBooleanWrapper(this, "showing");
    private List<EditableItem> items = List.of();

    public GoToItemViewModel(Consumer<EditableItem> opener) {
        this.opener = opener;
        query.addListener((obs, old, now) -> update());
    }

    /** The items to choose from (the app as now saved); empty when no app is open. */
    public void show(AppModel app) {
        items = app == null ? List.of() : AppItems.all(app).stream().filter(i -> i.editorKind() != EditableItem.EditorKind.NONE).toList();
        update();
    }

    public void open() {
        query.set("");
        update();
        showing.set(true);
    }

    public void cancel() {
        showing.set(false);
    }

    /** Opens {@code item} (or the best match when null) and hides the picker. */
    public void choose(EditableItem item) {
        EditableItem chosen = item != null ? item : results.isEmpty() ? null : results.getFirst();
        showing.set(false);
        if (chosen != null) {
            opener.accept(chosen);
        }
    }

    private void update() {
        String q = query.get() == null ? "" : query.get();
        record Scored(EditableItem item, int score) {}
        List<Scored> scored = new ArrayList<>();
        for (EditableItem item : items) {
            OptionalInt byTitle = FuzzyMatch.score(q, item.title());
            OptionalInt byFile = FuzzyMatch.score(q, item.file());
            int best = Math.max(byTitle.isPresent() ? byTitle.getAsInt() + 50 : Integer.MIN_VALUE,
                    byFile.isPresent() ? byFile.getAsInt() : Integer.MIN_VALUE);
            if (best != Integer.MIN_VALUE) {
                scored.add(new Scored(item, best));
            }
        }
        if (!q.isBlank()) {
            scored.sort(Comparator.comparingInt(Scored::score).reversed());
        }
        results.setAll(scored.stream().limit(MAX_RESULTS).map(Scored::item).toList());
    }

    public StringProperty queryProperty() {
        return query;
    }

    /** The matching items, best first. */
    public ObservableList<EditableItem> results() {
        return results;
    }

    public ReadOnlyBooleanProperty showingProperty() {
        return showing.getReadOnlyProperty();
    }
}
