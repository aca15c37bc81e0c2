package dev.thimble.workbench.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.ruledesigner.RuleDesign;
import dev.thimble.ruledesigner.RuleTemplate;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.apps.AppEditor;
import dev.thimble.runtime.apps.DataBrowser;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.References;
import dev.thimble.runtime.apps.Restructured;
import dev.thimble.runtime.apps.Starters;
import dev.thimble.workbench.concurrent.UiTasks;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The explorer's structural changes: the "New ..." forms of every kind of item, rename (with the
 * references it rewrote), duplicate, delete (naming what still refers to the item first) and undo of
 * the last one. The answers become configs through the runtime's {@link Starters}; the change itself is
 * {@link AppEditor}'s (which validates and refuses with a message shown in the form). No logic of the
 * app's structure lives here.
 */
public final class StructureViewModel {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the "New" menu offers, in its order. */
    public enum Kind {
        FUNCTION("Function"), COLLECTION_RULE("Collection rule"), DEFAULT_RULE("Default rule"), TRIGGER("Trigger"),
        VALUE("Value"), SECRET("Secret"), SERVICE("Service"), SERVICE_RULE("Service rule"), WEBHOOK("Incoming webhook"),
        ENDPOINT("HTTPS endpoint"), AUTH_PROVIDER("Auth provider"), ENVIRONMENT("Environment");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }

        /** The kind a row of the explorer suggests for "New" (its group's). */
        public static Kind of(EditableItem item) {
            return switch (item) {
                case EditableItem.CollectionRule r -> COLLECTION_RULE;
                case EditableItem.DefaultRule r -> DEFAULT_RULE;
                case EditableItem.ServiceRule r -> SERVICE_RULE;
                case EditableItem.Trigger t -> TRIGGER;
                case EditableItem.Value v -> VALUE;
                case EditableItem.Values v -> VALUE;
                case EditableItem.Secret s -> SECRET;
                case EditableItem.Service s -> SERVICE;
                case EditableItem.Webhook w -> WEBHOOK;
                case EditableItem.Endpoint e -> ENDPOINT;
                case EditableItem.AuthProvider p -> AUTH_PROVIDER;
                case EditableItem.Environment e -> ENVIRONMENT;
                default -> FUNCTION;
            };
        }
    }

    /** What the form is doing. */
    public enum Mode { NONE, NEW, RENAME, DUPLICATE, DELETE }

    /** The rule templates offered for a new rule; {@code null} stands for "empty (no roles)". */
    public static final List<RuleTemplate> RULE_TEMPLATES = Arrays.asList(RuleTemplate.values());

    private final UiTasks tasks;
    private final Supplier<Optional<AppEditor>> editor;
    private final Consumer<Restructured> onChanged;

    private final ReadOnlyObjectWrapper<Mode> mode = new ReadOnlyObjectWrapper<>(this, "mode", Mode.NONE);
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(this, "kind", Kind.FUNCTION);
    private final ReadOnlyObjectWrapper<EditableItem> target = new ReadOnlyObjectWrapper<>(this, "target");
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final ObjectProperty<Starters.FunctionStarter> starter = new SimpleObjectProperty<>(this, "starter", Starters.FunctionStarter.BLANK);
    private final BooleanProperty privateFunction = new SimpleBooleanProperty(this, "private", false);
    private final StringProperty service = new SimpleStringProperty(this, "service", "");
    private final StringProperty namespace = new SimpleStringProperty(this, "namespace", "");
    private final ObjectProperty<RuleTemplate> ruleTemplate = new SimpleObjectProperty<>(this, "ruleTemplate");
    private final StringProperty ownerField = new SimpleStringProperty(this, "ownerField", "owner_id");
    private final ObjectProperty<Starters.TriggerKind> triggerKind = new SimpleObjectProperty<>(this, "triggerKind", Starters.TriggerKind.DATABASE);
    private final StringProperty operations = new SimpleStringProperty(this, "operations", "INSERT");
    private final StringProperty schedule = new SimpleStringProperty(this, "schedule", "0 * * * *");
    private final StringProperty action = new SimpleStringProperty(this, "action", "CREATE");
    private final StringProperty providers = new SimpleStringProperty(this, "providers", "");
    private final StringProperty function = new SimpleStringProperty(this, "function", "");
    private final ObjectProperty<Starters.ServiceKind> serviceKind = new SimpleObjectProperty<>(this, "serviceKind", Starters.ServiceKind.HTTP);
    private final StringProperty hosts = new SimpleStringProperty(this, "hosts", "");
    private final StringProperty method = new SimpleStringProperty(this, "method", "POST");
    private final StringProperty providerType = new SimpleStringProperty(this, "providerType", "anon-user");
    private final StringProperty value = new SimpleStringProperty(this, "value", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper report = new ReadOnlyStringWrapper(this, "report", "");
    private final ReadOnlyStringWrapper undoable = new ReadOnlyStringWrapper(this, "undoable", "");
    private final ReadOnlyStringWrapper redoable = new ReadOnlyStringWrapper(this, "redoable", "");
    private final ReadOnlyObjectWrapper<List<String>> references = new ReadOnlyObjectWrapper<>(this, "references", List.of());

    private final ObservableList<String> functions = FXCollections.observableArrayList();
    private final ObservableList<String> mongoServices = FXCollections.observableArrayList();
    private final ObservableList<String> otherServices = FXCollections.observableArrayList();
    private final ObservableList<String> namespaces = FXCollections.observableArrayList();
    private final ObservableList<String> providerNames = FXCollections.observableArrayList();
    private Supplier<Optional<DataBrowser>> data = Optional::empty;

    /**
     * @param editor    the open app's editor, empty when none is open
     * @param onChanged shows a completed change (the window refreshes its parts and opens the item)
     */
    public StructureViewModel(UiTasks tasks, Supplier<Optional<AppEditor>> editor, Consumer<Restructured> onChanged) {
        this.tasks = tasks;
        this.editor = editor;
        this.onChanged = onChanged;
    }

    /** Where the rule form's "pick a collection" list comes from (the live database). */
    public void useData(Supplier<Optional<DataBrowser>> browser) {
        this.data = browser;
    }

    /** The choices the forms offer, from the open app. */
    public void show(AppModel app) {
        if (app == null) {
            functions.clear();
            mongoServices.clear();
            otherServices.clear();
            providerNames.clear();
            return;
        }
        functions.setAll(app.functions().stream().map(FunctionDef::name).toList());
        mongoServices.setAll(app.services().stream().filter(ServiceDef::isMongo).map(ServiceDef::name).toList());
        otherServices.setAll(app.services().stream().filter(s -> !s.isMongo()).map(ServiceDef::name).toList());
        providerNames.setAll(app.authProviders().stream().map(p -> p.name()).toList());
        history();
    }

    /** What undo and redo would do now, from the service layer's history. */
    private void history() {
        undoable.set(editor.get().flatMap(AppEditor::undoable).orElse(""));
        redoable.set(editor.get().flatMap(AppEditor::redoable).orElse(""));
    }

    // ---- starting a change --------------------------------------------------------------------

    /** Opens the "New" form for {@code newKind}, with sensible first answers. */
    public void startNew(Kind newKind) {
        if (editor.get().isEmpty()) {
            return;
        }
        clear();
        kind.set(newKind);
        name.set(switch (newKind) {
            case FUNCTION -> "newFunction";
            case COLLECTION_RULE, DEFAULT_RULE -> "";
            case TRIGGER -> "newTrigger";
            case VALUE -> "newValue";
            case SECRET -> "newSecret";
            case SERVICE -> "http";
            case SERVICE_RULE -> "allowPartner";
            case WEBHOOK -> "incoming";
            case ENDPOINT -> "/hello";
            case AUTH_PROVIDER -> "";
            case ENVIRONMENT -> "development";
        });
        if (newKind == Kind.SERVICE_RULE || newKind == Kind.WEBHOOK) {
            service.set(otherServices.isEmpty() ? "" : otherServices.getFirst());
        } else {
            service.set(mongoServices.isEmpty() ? "" : mongoServices.getFirst());
        }
        function.set(functions.isEmpty() ? "" : functions.getFirst());
        if (newKind == Kind.COLLECTION_RULE || newKind == Kind.TRIGGER) {
            loadNamespaces();
        }
        mode.set(Mode.NEW);
    }

    public void startRename(EditableItem item) {
        clear();
        target.set(item);
        name.set(currentName(item));
        mode.set(Mode.RENAME);
    }

    public void startDuplicate(EditableItem item) {
        clear();
        target.set(item);
        name.set(currentName(item) + (item instanceof EditableItem.CollectionRule ? "_copy" : "Copy"));
        mode.set(Mode.DUPLICATE);
    }

    /** Asks before a delete: first finds what still refers to the item, which the form then lists. */
    public CompletableFuture<List<String>> startDelete(EditableItem item) {
        clear();
        target.set(item);
        mode.set(Mode.DELETE);
        Optional<AppEditor> open = editor.get();
        if (open.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return tasks.run(() -> {
            References.Report refs = open.get().references(item);
            return refs.places();
        }, references::set, failure -> error.set(UiTasks.describe(failure)));
    }

    private void loadNamespaces() {
        Optional<DataBrowser> browser = data.get();
        if (browser.isEmpty()) {
            return;
        }
        tasks.run(() -> browser.get().databases(false).stream().flatMap(d -> d.collections().stream())
                        .map(DataBrowser.CollectionInfo::namespace).toList(),
                found -> {
                    namespaces.setAll(found);
                    if (namespace.get().isEmpty() && !found.isEmpty()) {
                        namespace.set(found.getFirst());
                    }
                }, failure -> namespaces.clear());
    }

    /** Counts the forms opened, so a change finishing late does not close a newer form. */
    private long forms;

    private void clear() {
        forms++;
        error.set("");
        report.set("");
        references.set(List.of());
        target.set(null);
        namespace.set("");
        ruleTemplate.set(null);
        value.set("");
    }

    public void cancel() {
        mode.set(Mode.NONE);
        error.set("");
    }

    // ---- doing it -----------------------------------------------------------------------------

    /**
     * Does what the form asks. Completes with the change, or null when it was refused (the form then
     * stays open and shows why).
     */
    public CompletableFuture<Restructured> confirm() {
        Optional<AppEditor> open = editor.get();
        if (open.isEmpty() || mode.get() == Mode.NONE) {
            return CompletableFuture.completedFuture(null);
        }
        AppEditor app = open.get();
        Mode doing = mode.get();
        EditableItem item = target.get();
        String newName = name.get() == null ? "" : name.get().strip();
        java.util.concurrent.Callable<Restructured> work;
        try {
            work = switch (doing) {
                case NEW -> creation(app);
                case RENAME -> () -> app.rename(item, newName);
                case DUPLICATE -> () -> app.duplicate(item, newName);
                case DELETE -> () -> app.delete(item, !references.get().isEmpty());
                case NONE -> null;
            };
        } catch (RuntimeException refused) {
            error.set(refused.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        error.set("");
        long asked = ++forms;
        return tasks.run(work, done -> {
            if (forms == asked) {
                mode.set(Mode.NONE); // unless another form opened meanwhile
            }
            report.set(describe(doing, item, done));
            history();
            onChanged.accept(done);
        }, failure -> error.set(UiTasks.describe(failure))).exceptionally(failure -> null);
    }

    /** Undoes the newest structural change on the history (again for the one before it, and so on). */
    public CompletableFuture<Restructured> undo() {
        return step(undoable.get(), "Undone: ", AppEditor::undo);
    }

    /** Makes the most recently undone change again. */
    public CompletableFuture<Restructured> redo() {
        return step(redoable.get(), "Redone: ", AppEditor::redo);
    }

    private interface HistoryStep {
        Restructured apply(AppEditor app) throws Exception;
    }

    private CompletableFuture<Restructured> step(String what, String done, HistoryStep step) {
        Optional<AppEditor> open = editor.get();
        if (open.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return tasks.run(() -> step.apply(open.get()), result -> {
            history();
            report.set(done + what + " (" + String.join(", ", result.changed()) + ")");
            onChanged.accept(result);
        }, failure -> {
            history();
            report.set(UiTasks.describe(failure));
            onRefused.accept(report.get());
        }).exceptionally(failure -> null);
    }

    private Consumer<String> onRefused = message -> { };

    /** Where a refused undo's message goes (the status bar). */
    public void onRefused(Consumer<String> tell) {
        this.onRefused = tell;
    }

    /** The create call for the "New" form's answers (config built now, so a missing answer is refused at once). */
    private java.util.concurrent.Callable<Restructured> creation(AppEditor app) {
        String newName = name.get() == null ? "" : name.get().strip();
        String svc = service.get() == null ? "" : service.get().strip();
        String fn = function.get() == null ? "" : function.get().strip();
        return switch (kind.get()) {
            case FUNCTION -> {
                String source = starter.get().source(mongoServices.isEmpty() ? "mongodb-atlas" : mongoServices.getFirst(),
                        otherServices.isEmpty() ? "http" : otherServices.getFirst(), namespaceOrDefault());
                Json config = Json.empty().with("private", JsonNodeFactory.instance.booleanNode(privateFunction.get()));
                yield () -> app.create(new EditableItem.Function(newName), config, source);
            }
            case COLLECTION_RULE -> {
                String ns = namespace.get() == null ? "" : namespace.get().strip();
                int dot = ns.indexOf('.');
                if (dot <= 0 || dot == ns.length() - 1) {
                    throw new IllegalArgumentException("Pick a collection or type one as database.collection.");
                }
                RuleDesign design = RuleDesign.empty(ns.substring(0, dot), ns.substring(dot + 1));
                if (ruleTemplate.get() != null) {
                    ruleTemplate.get().apply(design, Map.of("ownerField", ownerField.get()));
                }
                Json config = Json.of(design.toJson());
                yield () -> app.create(new EditableItem.CollectionRule(svc, ns), config, null);
            }
            case DEFAULT_RULE -> {
                RuleDesign design = RuleDesign.empty("db", "collection");
                if (ruleTemplate.get() != null) {
                    ruleTemplate.get().apply(design, Map.of("ownerField", ownerField.get()));
                }
                ObjectNode rule = design.toJson();
                rule.remove("database");
                rule.remove("collection");
                yield () -> app.create(new EditableItem.DefaultRule(svc), Json.of(rule), null);
            }
            case TRIGGER -> {
                Json config = switch (triggerKind.get()) {
                    case DATABASE -> {
                        String ns = namespaceOrDefault();
                        int dot = ns.indexOf('.');
                        yield Starters.databaseTrigger(svc, ns.substring(0, dot), ns.substring(dot + 1), list(operations.get()), true, fn);
                    }
                    case SCHEDULED -> Starters.scheduledTrigger(schedule.get(), false, fn);
                    case AUTHENTICATION -> Starters.authenticationTrigger(action.get(), list(providers.get()), fn);
                };
                yield () -> app.create(new EditableItem.Trigger(newName), config, null);
            }
            case VALUE -> {
                Json config = Json.empty().with("value", valueJson(value.get())).with("from_secret",
                        JsonNodeFactory.instance.booleanNode(false));
                yield () -> app.create(new EditableItem.Value(newName), config, null);
            }
            case SECRET -> {
                String secret = value.get();
                yield () -> app.createSecret(newName, secret);
            }
            case SERVICE -> {
                Json config = Starters.service(serviceKind.get());
                yield () -> app.create(new EditableItem.Service(newName), config, null);
            }
            case SERVICE_RULE -> {
                Json config = Starters.serviceRule(List.of("get", "post", "put", "delete", "patch", "head"), list(hosts.get()));
                yield () -> app.create(new EditableItem.ServiceRule(svc, newName), config, null);
            }
            case WEBHOOK -> {
                String source = Starters.FunctionStarter.WEBHOOK_HANDLER.source("mongodb-atlas", svc, namespaceOrDefault());
                yield () -> app.create(new EditableItem.Webhook(svc, newName), Starters.webhook(), source);
            }
            case ENDPOINT -> {
                Json config = Starters.endpoint(fn);
                String route = newName.startsWith("/") ? newName : "/" + newName;
                yield () -> app.create(new EditableItem.Endpoint(method.get(), route), config, null);
            }
            case AUTH_PROVIDER -> {
                String type = providerType.get();
                String providerName = newName.isEmpty() ? type : newName;
                yield () -> app.create(new EditableItem.AuthProvider(providerName), Starters.authProvider(type), null);
            }
            case ENVIRONMENT -> () -> app.create(new EditableItem.Environment(newName), null, null);
        };
    }

    private String namespaceOrDefault() {
        String ns = namespace.get() == null ? "" : namespace.get().strip();
        int dot = ns.indexOf('.');
        return dot > 0 && dot < ns.length() - 1 ? ns : "mydb.mycollection";
    }

    private static JsonNode valueJson(String text) {
        if (text == null || text.isBlank()) {
            return JsonNodeFactory.instance.textNode("");
        }
        try {
            return JSON.readTree(text);
        } catch (Exception notJson) {
            return JsonNodeFactory.instance.textNode(text); // a bare word is meant as a string
        }
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    /** What the status bar (and the form's report) says about a completed change. */
    static String describe(Mode doing, EditableItem before, Restructured done) {
        StringBuilder out = new StringBuilder();
        switch (doing) {
            case NEW -> out.append("Created ").append(done.item().title()).append(" (").append(done.item().file()).append(')');
            case DUPLICATE -> out.append("Duplicated ").append(before.title()).append(" as ").append(done.item().title());
            case RENAME -> {
                out.append("Renamed ").append(before.title()).append(" to ").append(done.item().title());
                if (!done.references().isEmpty()) {
                    out.append("; updated ").append(done.references().size()).append(" reference(s): ")
                            .append(String.join("; ", done.references()));
                }
                if (!done.notRewritten().isEmpty()) {
                    out.append(". Check by hand (name computed at run time): ").append(String.join("; ", done.notRewritten()));
                }
            }
            case DELETE -> {
                out.append("Deleted ").append(before.title());
                if (!done.references().isEmpty()) {
                    out.append("; now broken: ").append(String.join("; ", done.references()));
                }
            }
            case NONE -> { }
        }
        return out.toString();
    }

    private static String currentName(EditableItem item) {
        return switch (item) {
            case EditableItem.Endpoint e -> e.route();
            case EditableItem.ServiceRule r -> r.name();
            case EditableItem.Webhook w -> w.name();
            default -> item.title();
        };
    }

    // ---- properties ---------------------------------------------------------------------------

    public ReadOnlyObjectProperty<Mode> modeProperty() { return mode.getReadOnlyProperty(); }
    public ObjectProperty<Kind> kindProperty() { return kind; }
    public ReadOnlyObjectProperty<EditableItem> targetProperty() { return target.getReadOnlyProperty(); }
    public StringProperty nameProperty() { return name; }
    public ObjectProperty<Starters.FunctionStarter> starterProperty() { return starter; }
    public BooleanProperty privateFunctionProperty() { return privateFunction; }
    public StringProperty serviceProperty() { return service; }
    public StringProperty namespaceProperty() { return namespace; }
    public ObjectProperty<RuleTemplate> ruleTemplateProperty() { return ruleTemplate; }
    public StringProperty ownerFieldProperty() { return ownerField; }
    public ObjectProperty<Starters.TriggerKind> triggerKindProperty() { return triggerKind; }
    public StringProperty operationsProperty() { return operations; }
    public StringProperty scheduleProperty() { return schedule; }
    public StringProperty actionProperty() { return action; }
    public StringProperty providersProperty() { return providers; }
    public StringProperty functionProperty() { return function; }
    public ObjectProperty<Starters.ServiceKind> serviceKindProperty() { return serviceKind; }
    public StringProperty hostsProperty() { return hosts; }
    public StringProperty methodProperty() { return method; }
    public StringProperty providerTypeProperty() { return providerType; }
    /** A value's JSON, or a secret's value. */
    public StringProperty valueProperty() { return value; }
    /** Why the last attempt was refused ("" when it was not). */
    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }
    /** What the last completed change did (references rewritten, left broken). */
    public ReadOnlyStringProperty reportProperty() { return report.getReadOnlyProperty(); }
    /** What Undo would undo, or "". */
    public ReadOnlyStringProperty undoableProperty() { return undoable.getReadOnlyProperty(); }
    /** What Redo would make again; empty when nothing was undone since the last change. */
    public ReadOnlyStringProperty redoableProperty() { return redoable.getReadOnlyProperty(); }
    /** For a delete: what still refers to the item. */
    public ReadOnlyObjectProperty<List<String>> referencesProperty() { return references.getReadOnlyProperty(); }
    public ObservableList<String> functions() { return functions; }
    public ObservableList<String> mongoServices() { return mongoServices; }
    public ObservableList<String> otherServices() { return otherServices; }
    public ObservableList<String> namespaces() { return namespaces; }
    public ObservableList<String> providerNames() { return providerNames; }
}
