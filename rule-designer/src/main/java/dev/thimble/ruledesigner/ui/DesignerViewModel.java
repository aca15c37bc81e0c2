package dev.thimble.ruledesigner.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.ruledesigner.DesignException;
import dev.thimble.ruledesigner.Expression;
import dev.thimble.ruledesigner.FieldRule;
import dev.thimble.ruledesigner.JsonValues;
import dev.thimble.ruledesigner.Lint;
import dev.thimble.ruledesigner.Permission;
import dev.thimble.ruledesigner.RuleDesign;
import dev.thimble.ruledesigner.RuleLinter;
import dev.thimble.ruledesigner.RuleTemplate;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.bson.Document;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * All state of the designer view: the role list, the selected role's editor (apply_when builder,
 * permissions, document filters, field grid), filters, schema and the JSON text, kept in sync both
 * ways with one {@link RuleDesign}. A refused edit leaves the rule as it was and says why in
 * {@link #messageProperty()}. Call on the JavaFX thread (or any one thread in tests).
 */
public final class DesignerViewModel {
    /** One row of the field grid; read/write as cell text ("" unset). */
    public record FieldRow(String path, String read, String write) {
    }

    /**
     * One row of the checkbox grid: a field of the rule or of the sampled live documents (nested ones
     * as dotted paths, right after their parent), and what the role says about reading and writing it.
     *
     * @param declared true when the role's {@code fields} names it; false for a sampled field the
     *                 document-level permissions and "other fields" govern
     */
    public record GridRow(String path, int depth, Grant read, Grant write, boolean declared) {
    }

    /** A checkbox's state: granted (true), not granted (false or unset), or an expression (shown, not ticked). */
    public enum Grant {
        YES, NO, EXPRESSION;

        static Grant of(String text) {
            if (text == null || text.isBlank() || text.equals("false")) {
                return NO;
            }
            return text.equals("true") ? YES : EXPRESSION;
        }
    }

    /** What a template does to the roles there are: add its own after them, or replace them. */
    public enum TemplateMode { ADD, REPLACE }

    private final RuleDesign design;
    private final ObservableList<String> roles = FXCollections.observableArrayList();
    private final IntegerProperty selected = new SimpleIntegerProperty(-1);
    private final StringProperty roleName = new SimpleStringProperty("");
    private final ExpressionBuilderModel applyWhen = new ExpressionBuilderModel("apply_when");
    private final Map<Permission, StringProperty> permissions = new EnumMap<>(Permission.class);
    private final StringProperty documentFilterRead = new SimpleStringProperty("");
    private final StringProperty documentFilterWrite = new SimpleStringProperty("");
    private final ObservableList<FieldRow> fields = FXCollections.observableArrayList();
    private final ObservableList<GridRow> fieldGrid = FXCollections.observableArrayList();
    private final StringProperty additionalRead = new SimpleStringProperty("");
    private final StringProperty additionalWrite = new SimpleStringProperty("");
    private final StringProperty filtersText = new SimpleStringProperty("");
    private final ObservableList<String> filters = FXCollections.observableArrayList();
    private final IntegerProperty selectedFilter = new SimpleIntegerProperty(-1);
    private final StringProperty filterName = new SimpleStringProperty("");
    private final ExpressionBuilderModel filterApplyWhen = new ExpressionBuilderModel("filter apply_when");
    private final StringProperty filterQuery = new SimpleStringProperty("{}");
    private final StringProperty filterProjection = new SimpleStringProperty("{}");
    private final StringProperty schemaText = new SimpleStringProperty("");
    private final StringProperty jsonText = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper jsonError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ObservableList<String> lints = FXCollections.observableArrayList();
    private final ObservableList<String> fieldSuggestions = FXCollections.observableArrayList();
    private final ObservableList<String> expansionSuggestions = FXCollections.observableArrayList();
    private final Supplier<LiveFacts> live;
    private boolean syncing;
    private boolean editingJson;
    /** What the apply_when builder last showed (role index and JSON), so other edits do not wipe rows not yet applied. */
    private String builderShows = "";
    private String filterBuilderShows = "";

    /**
     * What the linter and the builder may learn from the running app (null parts: unknown).
     *
     * @param expansions more expansions to offer, e.g. {@code %%values.adminIds}, {@code %%user.custom_data.ward}
     */
    public record LiveFacts(List<Document> indexKeys, List<Document> sample, List<String> expansions) {
        public LiveFacts(List<Document> indexKeys, List<Document> sample) {
            this(indexKeys, sample, List.of());
        }

        public LiveFacts {
            expansions = expansions == null ? List.of() : List.copyOf(expansions);
        }
    }

    public DesignerViewModel(RuleDesign design) {
        this(design, () -> new LiveFacts(null, null));
    }

    public DesignerViewModel(RuleDesign design, Supplier<LiveFacts> live) {
        this.design = design;
        this.live = live;
        for (Permission p : Permission.values()) {
            permissions.put(p, new SimpleStringProperty(""));
        }
        design.onChange(this::refresh);
        jsonText.addListener((obs, old, now) -> {
            if (!syncing) {
                fromJson(now);
            }
        });
        refresh();
        if (design.roleCount() > 0) {
            select(0);
        }
    }

    public RuleDesign design() { return design; }

    // ---- roles ----------------------------------------------------------------------------------

    public void select(int index) {
        selected.set(index);
        loadRole();
    }

    public void addRole(String name) {
        attempt(() -> select(design.addRole(name)));
    }

    public void duplicateSelected() {
        if (selected.get() >= 0) {
            attempt(() -> select(design.duplicateRole(selected.get())));
        }
    }

    public void deleteSelected() {
        int i = selected.get();
        if (i >= 0) {
            attempt(() -> {
                design.deleteRole(i);
                select(Math.min(i, design.roleCount() - 1));
            });
        }
    }

    /** Drag and drop in the role list: the role at {@code from} goes to {@code to}. */
    public void moveRole(int from, int to) {
        attempt(() -> {
            design.moveRole(from, to);
            select(to);
        });
    }

    public void applyTemplate(RuleTemplate template, Map<String, String> parameters) {
        applyTemplate(template, parameters, TemplateMode.REPLACE);
    }

    /** Adds the template's roles and filters after the current ones, or replaces those (the view asks which first). */
    public void applyTemplate(RuleTemplate template, Map<String, String> parameters, TemplateMode mode) {
        attempt(() -> {
            int before = design.roleCount();
            if (mode == TemplateMode.ADD) {
                template.add(design, parameters);
                select(design.roleCount() > before ? before : design.roleCount() - 1);
            } else {
                template.apply(design, parameters);
                select(design.roleCount() > 0 ? 0 : -1);
            }
        });
    }

    /** True when a template could replace something: the rule has roles or filters. */
    public boolean hasRolesOrFilters() {
        return design.roleCount() > 0 || design.filterCount() > 0;
    }

    /** Ticks or unticks read (or write) of a field in the grid; a sampled field not in the rule yet is added. */
    public void toggleField(String path, boolean readColumn, boolean granted) {
        FieldRow now = fields.stream().filter(f -> f.path().equals(path)).findFirst().orElse(new FieldRow(path, "", ""));
        String value = granted ? "true" : "false";
        if (readColumn) {
            setField(path, value, now.write());
        } else {
            setField(path, now.read(), value);
        }
    }

    /** Turns a document-level permission on (true) or off (false). */
    public void togglePermission(Permission p, boolean granted) {
        permissions.get(p).set(granted ? "true" : "false");
        commitPermission(p);
    }

    // ---- the selected role -------------------------------------------------------------------------

    public void commitRoleName() {
        withRole(i -> design.renameRole(i, roleName.get().trim()));
    }

    public void commitApplyWhen() {
        withRole(i -> {
            Expression e = applyWhen.build();
            design.setApplyWhen(i, e);
            applyWhen.load(design.applyWhen(i));
            builderShows = i + ":" + design.roleNames().get(i) + ":" + design.applyWhen(i).toJson();
        });
    }

    public void commitPermission(Permission p) {
        withRole(i -> design.setPermission(i, p, JsonValues.permission(p.key(), permissions.get(p).get())));
    }

    public void commitDocumentFilters() {
        withRole(i -> {
            JsonNode read = JsonValues.permission("document_filters.read", documentFilterRead.get());
            JsonNode write = JsonValues.permission("document_filters.write", documentFilterWrite.get());
            design.setDocumentFilter(i, "read", read == null ? null : dev.thimble.ruledesigner.Expressions.parse(read));
            design.setDocumentFilter(i, "write", write == null ? null : dev.thimble.ruledesigner.Expressions.parse(write));
        });
    }

    /** Sets one row of the field grid (adding the field when new); cell text "" leaves read or write unset. */
    public void setField(String path, String read, String write) {
        withRole(i -> design.setField(i, path.trim(), JsonValues.permission("fields." + path + ".read", read),
                JsonValues.permission("fields." + path + ".write", write)));
    }

    public void removeField(String path) {
        withRole(i -> design.removeField(i, path));
    }

    public void commitAdditionalFields() {
        withRole(i -> design.setAdditionalFields(i, JsonValues.permission("additional_fields.read", additionalRead.get()),
                JsonValues.permission("additional_fields.write", additionalWrite.get())));
    }

    // ---- filters, schema, JSON --------------------------------------------------------------------

    public void commitFilters() {
        attempt(() -> {
            com.fasterxml.jackson.databind.node.ObjectNode next = design.toJson();
            next.set("filters", JsonValues.parse("filters", filtersText.get()));
            design.replaceAll(next.toString());
        });
    }

    public void selectFilter(int index) {
        selectedFilter.set(index);
        loadFilter();
    }

    /** Adds a filter that applies always, with an empty query, and selects it. */
    public void addFilter(String name) {
        attempt(() -> selectFilter(design.addFilter(name, new Expression.Always(), null, null)));
    }

    public void deleteSelectedFilter() {
        int i = selectedFilter.get();
        if (i >= 0) {
            attempt(() -> {
                design.deleteFilter(i);
                selectFilter(Math.min(i, design.filterCount() - 1));
            });
        }
    }

    /** Writes the filter editor (name, apply_when rows, query, projection) into the selected filter. */
    public void commitFilter() {
        int i = selectedFilter.get();
        if (i < 0) {
            message.set("Select a filter first (or add one).");
            return;
        }
        attempt(() -> design.setFilter(i, filterName.get().trim(), filterApplyWhen.build(),
                JsonValues.parse("filters[" + i + "].query", filterQuery.get()),
                JsonValues.parse("filters[" + i + "].projection", filterProjection.get())));
    }

    public void commitSchema() {
        attempt(() -> design.setSchema(JsonValues.parse("schema", schemaText.get())));
    }

    private void fromJson(String text) {
        try {
            editingJson = true;
            design.replaceAll(text);
            jsonError.set("");
            message.set("");
        } catch (DesignException e) {
            jsonError.set(e.getMessage());
        } finally {
            editingJson = false;
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private void withRole(java.util.function.IntConsumer edit) {
        int i = selected.get();
        if (i < 0) {
            message.set("Select a role first (or add one).");
            return;
        }
        attempt(() -> edit.accept(i));
    }

    private void attempt(Runnable edit) {
        try {
            edit.run();
            message.set("");
        } catch (DesignException e) {
            message.set(e.getMessage() + " Nothing was changed.");
            loadRole();
        }
    }

    private void refresh() {
        syncing = true;
        try {
            roles.setAll(design.roleNames());
            if (!editingJson) {
                // while the JSON view is being typed in, its text stays as typed (no reformatting under the caret)
                jsonText.set(design.toText());
            }
            jsonError.set("");
            filtersText.set(JsonValues.pretty(design.toJson().path("filters")));
            List<String> names = new java.util.ArrayList<>();
            for (int f = 0; f < design.filterCount(); f++) {
                names.add(design.filter(f).path("name").asText("#" + f));
            }
            filters.setAll(names);
            if (selectedFilter.get() >= design.filterCount()) {
                selectedFilter.set(design.filterCount() - 1);
            }
            if (selectedFilter.get() < 0 && design.filterCount() > 0) {
                selectedFilter.set(0);
            }
            loadFilter();
            schemaText.set(JsonValues.pretty(design.schema()));
            if (selected.get() >= design.roleCount()) {
                selected.set(design.roleCount() - 1);
            }
            loadRole();
            relint();
        } finally {
            syncing = false;
        }
    }

    /** Re-runs the linter (with the live facts) and suggests field names from the sampled documents. */
    public void relint() {
        LiveFacts facts = live.get();
        lints.setAll(RuleLinter.lint(design, facts.indexKeys(), facts.sample()).stream().map(Lint::describe).toList());
        java.util.Set<String> names = new java.util.TreeSet<>();
        if (facts.sample() != null) {
            facts.sample().forEach(d -> names.addAll(dev.thimble.ruledesigner.Simulator.fieldPaths(d)));
        }
        fieldSuggestions.setAll(names);
        if (selected.get() >= 0 && selected.get() < design.roleCount()) {
            rebuildGrid();
        }
        List<String> expansions = new java.util.ArrayList<>(dev.thimble.ruledesigner.Expressions.EXPANSIONS);
        expansions.addAll(facts.expansions());
        names.forEach(n -> {
            expansions.add(n);
            expansions.add("%%root." + n);
        });
        expansionSuggestions.setAll(expansions);
    }

    private void loadRole() {
        int i = selected.get();
        if (i < 0 || i >= design.roleCount()) {
            roleName.set("");
            applyWhen.load(new Expression.Always());
            builderShows = "";
            permissions.values().forEach(p -> p.set(""));
            fields.clear();
            fieldGrid.clear();
            documentFilterRead.set("");
            documentFilterWrite.set("");
            additionalRead.set("");
            additionalWrite.set("");
            return;
        }
        roleName.set(design.roleNames().get(i));
        Expression when = design.applyWhen(i);
        String shows = i + ":" + design.roleNames().get(i) + ":" + when.toJson();
        if (!shows.equals(builderShows)) {
            applyWhen.load(when);
            builderShows = shows;
        }
        for (Permission p : Permission.values()) {
            JsonNode v = design.permission(i, p);
            permissions.get(p).set(v == null ? "" : v.toString());
        }
        Expression dfr = design.documentFilter(i, "read");
        Expression dfw = design.documentFilter(i, "write");
        documentFilterRead.set(dfr == null ? "" : dfr.toJson().toString());
        documentFilterWrite.set(dfw == null ? "" : dfw.toJson().toString());
        fields.setAll(design.fields(i).stream().map(DesignerViewModel::row).toList());
        rebuildGrid();
        FieldRule extra = design.additionalFields(i);
        additionalRead.set(extra == null || extra.read() == null ? "" : extra.read().toString());
        additionalWrite.set(extra == null || extra.write() == null ? "" : extra.write().toString());
    }

    private void loadFilter() {
        int i = selectedFilter.get();
        if (i < 0 || i >= design.filterCount()) {
            filterName.set("");
            filterApplyWhen.load(new Expression.Always());
            filterBuilderShows = "";
            filterQuery.set("{}");
            filterProjection.set("{}");
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode f = design.filter(i);
        filterName.set(f.path("name").asText(""));
        Expression when = dev.thimble.ruledesigner.Expressions.parse(f.get("apply_when"));
        String shows = i + ":" + when.toJson();
        if (!shows.equals(filterBuilderShows)) {
            filterApplyWhen.load(when);
            filterBuilderShows = shows;
        }
        filterQuery.set(JsonValues.pretty(f.has("query") ? f.get("query") : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
        filterProjection.set(JsonValues.pretty(f.has("projection") ? f.get("projection") : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
    }

    /** The role's fields and the sampled live documents' fields (nested as dotted paths), each once, parents before children. */
    private void rebuildGrid() {
        Map<String, FieldRow> declared = new java.util.LinkedHashMap<>();
        fields.forEach(f -> declared.put(f.path(), f));
        java.util.TreeSet<String> paths = new java.util.TreeSet<>(declared.keySet());
        LiveFacts facts = live.get();
        if (facts.sample() != null) {
            facts.sample().forEach(d -> dev.thimble.ruledesigner.Simulator.fieldPaths(d).stream()
                    .filter(p -> !p.equals("_id") && paths.size() < 500).forEach(paths::add));
        }
        List<GridRow> rows = new java.util.ArrayList<>();
        for (String path : paths) {
            FieldRow f = declared.get(path);
            int depth = (int) path.chars().filter(c -> c == '.').count();
            rows.add(f == null ? new GridRow(path, depth, Grant.NO, Grant.NO, false)
                    : new GridRow(path, depth, Grant.of(f.read()), Grant.of(f.write()), true));
        }
        fieldGrid.setAll(rows);
    }

    private static FieldRow row(FieldRule f) {
        return new FieldRow(f.path(), f.read() == null ? "" : f.read().toString(), f.write() == null ? "" : f.write().toString());
    }

    public ObservableList<String> roles() { return roles; }
    public IntegerProperty selectedProperty() { return selected; }
    public StringProperty roleNameProperty() { return roleName; }
    public ExpressionBuilderModel applyWhen() { return applyWhen; }
    public StringProperty permissionProperty(Permission p) { return permissions.get(p); }
    public StringProperty documentFilterReadProperty() { return documentFilterRead; }
    public StringProperty documentFilterWriteProperty() { return documentFilterWrite; }
    public ObservableList<FieldRow> fields() { return fields; }
    /** The checkbox grid: the role's fields and the sampled live fields, sorted, nested ones after their parent. */
    public ObservableList<GridRow> fieldGrid() { return fieldGrid; }
    public StringProperty additionalReadProperty() { return additionalRead; }
    public StringProperty additionalWriteProperty() { return additionalWrite; }
    public StringProperty filtersTextProperty() { return filtersText; }
    public StringProperty schemaTextProperty() { return schemaText; }
    public ObservableList<String> filters() { return filters; }
    public IntegerProperty selectedFilterProperty() { return selectedFilter; }
    public StringProperty filterNameProperty() { return filterName; }
    public ExpressionBuilderModel filterApplyWhen() { return filterApplyWhen; }
    public StringProperty filterQueryProperty() { return filterQuery; }
    public StringProperty filterProjectionProperty() { return filterProjection; }
    /** The rule as JSON; setting it (the JSON view) updates the designer when it is a valid rule. */
    public StringProperty jsonTextProperty() { return jsonText; }
    /** Why the JSON text is not taken, or "". */
    public ReadOnlyStringProperty jsonErrorProperty() { return jsonError.getReadOnlyProperty(); }
    public ReadOnlyStringProperty messageProperty() { return message.getReadOnlyProperty(); }
    public ObservableList<String> lints() { return lints; }
    /** Field names seen in the sampled live documents, for the builder's and the grid's pickers. */
    public ObservableList<String> fieldSuggestions() { return fieldSuggestions; }
    /** What the builder offers on a clause's left: the standard expansions, the app's values and custom data fields, sampled fields. */
    public ObservableList<String> expansionSuggestions() { return expansionSuggestions; }
}
