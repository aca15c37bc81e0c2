package dev.thimble.workbench.explorer;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.app.ValueDef;
import dev.thimble.runtime.apps.AppItems;
import dev.thimble.runtime.apps.EditableItem;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The explorer's tree of the open app: the app settings, then one group per kind of thing (functions,
 * rules per collection, values, secrets, triggers, webhooks and endpoints, auth providers, services,
 * environments). Opening a row asks the window to open its editor.
 */
public final class ExplorerViewModel {
    private final ReadOnlyObjectWrapper<ExplorerNode> root = new ReadOnlyObjectWrapper<>(this, "root");
    private final ReadOnlyStringWrapper hint = new ReadOnlyStringWrapper(this, "hint", "");
    private final Consumer<EditableItem> opener;

    /** @param opener opens an item's editor (the window's tabs) */
    public ExplorerViewModel(Consumer<EditableItem> opener) {
        this.opener = opener;
    }

    /**
     * Rebuilds the tree from a model.
     *
     * @param secretsWithValues names the local secret store has a value for (others get a hint)
     */
    public void show(AppModel app, Set<String> secretsWithValues) {
        List<ExplorerNode> groups = new ArrayList<>();
        groups.add(new ExplorerNode("App settings", null, new EditableItem.AppSettings(), "stitch.json", List.of()));
        for (Map.Entry<AppItems.Category, List<EditableItem>> group : AppItems.byCategory(app).entrySet()) {
            AppItems.Category category = group.getKey();
            List<ExplorerNode> children = category == AppItems.Category.VALUES
                    ? valueRows(app)
                    : group.getValue().stream().map(item -> leaf(app, category, item, secretsWithValues)).toList();
            groups.add(new ExplorerNode(category.label(), category, null, children.isEmpty() ? "none" : "", children));
        }
        root.set(new ExplorerNode(app.name().isEmpty() ? app.clientAppId() : app.name(), null, null, app.clientAppId(), groups));
    }

    /** Values are edited together in one table: every value's row opens it. */
    private static List<ExplorerNode> valueRows(AppModel app) {
        List<ExplorerNode> rows = new ArrayList<>();
        for (ValueDef value : app.values()) {
            rows.add(new ExplorerNode(value.name(), AppItems.Category.VALUES, new EditableItem.Value(value.name()),
                    value.fromSecret() ? "from secret" : "", List.of()));
        }
        return rows;
    }

    private static ExplorerNode leaf(AppModel app, AppItems.Category category, EditableItem item, Set<String> secretsWithValues) {
        String hint = switch (item) {
            case EditableItem.Function f -> app.function(f.name()).map(ExplorerViewModel::functionHint).orElse("");
            case EditableItem.Secret s -> secretsWithValues.contains(s.name()) ? "" : "no local value";
            case EditableItem.Trigger t -> app.triggers().stream().filter(d -> d.name().equals(t.name())).findFirst()
                    .map(ExplorerViewModel::triggerHint).orElse("");
            case EditableItem.AuthProvider p -> app.authProvider(p.name()).map(d -> d.disabled() ? "disabled" : d.type()).orElse("");
            case EditableItem.Service s -> app.service(s.name()).map(d -> d.type()).orElse("");
            default -> "";
        };
        return new ExplorerNode(item.title(), category, item, hint, List.of());
    }

    private static String functionHint(FunctionDef f) {
        List<String> notes = new ArrayList<>();
        if (f.isPrivate()) {
            notes.add("private");
        }
        if (f.runAsSystem()) {
            notes.add("system");
        }
        return String.join(", ", notes);
    }

    private static String triggerHint(TriggerDef t) {
        String type = t.type().toLowerCase(java.util.Locale.ROOT);
        return t.disabled() ? type + ", disabled" : type;
    }

    /** Opens a row: its item's editor, or a hint saying why nothing opens. */
    public void open(ExplorerNode node) {
        if (node == null || node.item() == null) {
            return;
        }
        if (node.item().editorKind() == EditableItem.EditorKind.NONE && !(node.item() instanceof EditableItem.Secret)) {
            hint.set(node.item().file() + " has no editor in the workbench yet.");
            return;
        }
        hint.set("");
        // values are edited together in one table: a value's row opens it
        opener.accept(node.item() instanceof EditableItem.Value ? new EditableItem.Values() : node.item());
    }

    public ReadOnlyObjectProperty<ExplorerNode> rootProperty() {
        return root.getReadOnlyProperty();
    }

    /** A note for the user about the last row they tried to open, or "". */
    public ReadOnlyStringProperty hintProperty() {
        return hint.getReadOnlyProperty();
    }

    /** Empties the tree (no app open). */
    public void clear() {
        root.set(null);
    }
}
