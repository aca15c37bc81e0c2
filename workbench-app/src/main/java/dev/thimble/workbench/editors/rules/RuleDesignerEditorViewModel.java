package dev.thimble.workbench.editors.rules;

import dev.thimble.ruledesigner.HostLiveData;
import dev.thimble.ruledesigner.LiveData;
import dev.thimble.ruledesigner.RuleDesign;
import dev.thimble.ruledesigner.SimulationCase;
import dev.thimble.ruledesigner.Simulators;
import dev.thimble.ruledesigner.ui.DesignerViewModel;
import dev.thimble.ruledesigner.ui.SimulatorViewModel;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.values.SecretStore;
import dev.thimble.workbench.editors.EditorContext;
import dev.thimble.workbench.editors.EditorViewModelBase;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * A collection rule in the rule designer: the designer's rule is the editor's content (its file text
 * is the snapshot), and the simulator runs it on the running server's users and documents. The live
 * data is read on a thread of this editor, never on the UI thread or the save queue.
 */
public final class RuleDesignerEditorViewModel extends EditorViewModelBase<String> {
    private final RuleDesign design;
    private final DesignerViewModel designer;
    private final SimulatorViewModel simulator;
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ExecutorService live = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("rule-designer-live").factory());
    private final java.util.concurrent.atomic.AtomicReference<DesignerViewModel.LiveFacts> facts =
            new java.util.concurrent.atomic.AtomicReference<>(new DesignerViewModel.LiveFacts(null, null));
    private String baseline;

    public RuleDesignerEditorViewModel(EditorContext context, EditableItem.CollectionRule item, CollectionRuleDef rule) {
        super(context, item);
        this.design = RuleDesign.of(rule);
        this.baseline = design.toText();
        LiveData data = new SessionLiveData(() -> context.session().host());
        this.designer = new DesignerViewModel(design, facts::get);
        this.simulator = new SimulatorViewModel(design, item.service(), () -> {
            AppModel app = context.session().model();
            Optional<AppHost> host = context.session().host();
            return Simulators.forApp(app, SecretStore.forApp(app.clientAppId())::get, host.orElse(null));
        }, data, live, context.tasks().ui()::execute);
        design.onChange(this::updateDirty);
        designer.jsonErrorProperty().addListener((obs, old, now) -> updateDirty());
        simulator.loadLive();
        loadLiveFacts(data, item.namespace());
    }

    /** Indexes and a sample of the live collection for the lints and the field pickers; nothing when no server runs. */
    private void loadLiveFacts(LiveData data, String namespace) {
        live.execute(() -> {
            try {
                List<String> expansions = new java.util.ArrayList<>();
                context.session().model().values().forEach(v -> expansions.add("%%values." + v.name()));
                data.customDataFields().forEach(f -> expansions.add("%%user.custom_data." + f));
                DesignerViewModel.LiveFacts loaded = new DesignerViewModel.LiveFacts(data.indexKeys(namespace), data.sample(namespace, 100),
                        expansions);
                context.tasks().onUi(() -> {
                    facts.set(loaded);
                    designer.relint();
                });
            } catch (RuntimeException e) {
                // no server: the lints that need live data are skipped
            }
        });
    }

    public DesignerViewModel designer() {
        return designer;
    }

    public SimulatorViewModel simulator() {
        return simulator;
    }

    /** Opens a case in the simulator. */
    public void openInSimulator(SimulationCase c) {
        simulator.open(c);
    }

    /**
     * Opens a logged MongoDB request in the simulator (the logs panel's "open in simulator"): the case
     * is built off the UI thread from the running server's users and documents, then run.
     */
    public void openLogRecord(dev.thimble.runtime.logs.LogRecord record) {
        LiveData data = new SessionLiveData(() -> context.session().host());
        context.tasks().run(() -> simulator.caseFor(record, data), simulator::open,
                failure -> setMessage("Cannot open this request in the simulator: " + failure.getMessage()));
    }

    @Override
    protected String snapshot() {
        return design.toText();
    }

    /** The designer refuses every edit the runtime would not accept; only text in the JSON view can be invalid. */
    @Override
    protected String invalidReason(String state) {
        String error = designer.jsonErrorProperty().get();
        return error == null || error.isEmpty() ? null
                : "The JSON view does not hold a valid rule (" + error + "). Fix it there; nothing was saved.";
    }

    private void updateDirty() {
        String error = designer.jsonErrorProperty().get();
        dirty.set(!design.toText().equals(baseline) || (error != null && !error.isEmpty()));
    }

    @Override
    protected UnaryOperator<AppModel> edit(String state) {
        Json edited = Json.parse(state);
        EditableItem item = item();
        return model -> ModelEdits.withJson(model, item, edited);
    }

    @Override
    protected void markSaved(String state) {
        baseline = state;
        updateDirty();
    }

    @Override
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    @Override
    public void dispose() {
        live.shutdownNow();
    }

    /** Live data of whatever host runs when asked (the server may start or stop while the editor is open). */
    private record SessionLiveData(java.util.function.Supplier<Optional<AppHost>> host) implements LiveData {
        private LiveData current() {
            return host.get().<LiveData>map(HostLiveData::new).orElseThrow(() ->
                    new IllegalStateException("the server is not running; start it to use live data"));
        }

        public List<org.bson.Document> sample(String namespace, int limit) { return current().sample(namespace, limit); }
        public Optional<org.bson.Document> findOne(String namespace, org.bson.Document query) { return current().findOne(namespace, query); }
        public List<org.bson.Document> find(String namespace, org.bson.Document query, int limit) { return current().find(namespace, query, limit); }
        public List<org.bson.Document> indexKeys(String namespace) { return current().indexKeys(namespace); }
        public List<KnownUser> users() { return current().users(); }
        public Optional<KnownUser> user(String id) { return current().user(id); }
        public List<String> customDataFields() { return current().customDataFields(); }
        public List<dev.thimble.runtime.logs.LogRecord> recentLogs(int limit) { return current().recentLogs(limit); }
    }
}
