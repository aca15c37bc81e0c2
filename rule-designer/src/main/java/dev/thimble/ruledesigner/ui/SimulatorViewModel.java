package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.DesignException;
import dev.thimble.ruledesigner.FieldVerdict;
import dev.thimble.ruledesigner.LiveData;
import dev.thimble.ruledesigner.RuleDesign;
import dev.thimble.ruledesigner.Simulation;
import dev.thimble.ruledesigner.SimulationCase;
import dev.thimble.ruledesigner.Simulator;
import dev.thimble.ruledesigner.WhatIf;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.rules.RuleCase;
import dev.thimble.runtime.principal.Principal;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * All state of the simulator view: who (anonymous, a user of the app, or a crafted user with custom
 * data), what action, which document (picked from the live collection or typed as Extended JSON), and
 * the engine's answer — role trials, filters, field verdicts and the document as received — plus the
 * what-if report of the unsaved edit. Work runs on {@code background}; results come back through {@code ui}.
 */
public final class SimulatorViewModel {
    private static final JsonWriterSettings EJSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build();

    /** A user to simulate as: anonymous, crafted, or one of the app's users. */
    public record UserChoice(String label, Principal user, boolean crafted) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** One role tried in order, for the table: its name, whether apply_when held, and the clause that failed. */
    public record RoleRow(String role, String applyWhen, String clause) {
    }

    private final RuleDesign design;
    private final String service;
    private final Supplier<Simulator> saved;
    private final LiveData live;
    private final Executor background;
    private final Consumer<Runnable> ui;

    private final ObservableList<UserChoice> users = FXCollections.observableArrayList();
    private final ObjectProperty<UserChoice> user = new SimpleObjectProperty<>();
    // empty: the form shows placeholders (prompt text), never example values that look like input
    private final StringProperty craftedId = new SimpleStringProperty("");
    private final StringProperty craftedCustomData = new SimpleStringProperty("");
    private final ObservableList<String> customDataFields = FXCollections.observableArrayList();
    /** The users this simulator ran as (what-if compares for them too), by id. */
    private final java.util.Map<String, Principal> simulated = new java.util.LinkedHashMap<>();
    private final ReadOnlyStringWrapper whatIfSummary = new ReadOnlyStringWrapper("");
    private final ObjectProperty<Action> action = new SimpleObjectProperty<>(Action.READ);
    private final ObservableList<Document> liveDocuments = FXCollections.observableArrayList();
    private final StringProperty documentText = new SimpleStringProperty("{}");
    private final StringProperty afterText = new SimpleStringProperty("");
    private final StringProperty queryText = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper("");
    private final ObservableList<RoleRow> roleRows = FXCollections.observableArrayList();
    private final ObservableList<String> filterRows = FXCollections.observableArrayList();
    private final ObservableList<FieldVerdict> fieldRows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper received = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper plannedQuery = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper explanation = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper whatIf = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    /**
     * @param design the rule being edited: simulations use it as it is now, saved or not
     * @param saved  the rules the app serves now (for what-if: before the edit)
     * @param live   the running app's data, or null when no server runs (then only typed documents and crafted users)
     */
    public SimulatorViewModel(RuleDesign design, String service, Supplier<Simulator> saved, LiveData live,
                              Executor background, Consumer<Runnable> ui) {
        this.design = design;
        this.service = service;
        this.saved = saved;
        this.live = live;
        this.background = background;
        this.ui = ui;
        users.add(new UserChoice("anonymous", RuleCase.ANONYMOUS, false));
        users.add(new UserChoice("crafted user (custom data below)", null, true));
        user.set(users.get(0));
    }

    /** Loads the app's users and a sample of the live collection (off the UI thread). */
    public void loadLive() {
        if (live == null) {
            return;
        }
        background.execute(() -> {
            try {
                List<LiveData.KnownUser> known = live.users();
                List<Document> docs = live.sample(design.namespace(), 50);
                List<String> fields = live.customDataFields();
                ui.accept(() -> {
                    customDataFields.setAll(fields);
                    users.removeIf(u -> !u.crafted() && u.user() != RuleCase.ANONYMOUS);
                    known.forEach(k -> users.add(new UserChoice(k.label(), k.ruleUser(), false)));
                    liveDocuments.setAll(docs);
                    if (!docs.isEmpty() && "{}".equals(documentText.get())) {
                        pickDocument(docs.get(0));
                    }
                });
            } catch (RuntimeException e) {
                ui.accept(() -> error.set("Could not read the live data: " + e.getMessage()));
            }
        });
    }

    /** Shows a live document in the document box (it can be edited there before a run). */
    public void pickDocument(Document document) {
        documentText.set(document.toJson(EJSON));
    }

    /**
     * The simulator case of a logged request, with a live document on which the saved rules decide as
     * they did for the request (a document the user could read, for a read that succeeded). Blocking:
     * call it off the UI thread.
     */
    public SimulationCase caseFor(dev.thimble.runtime.logs.LogRecord record, LiveData data) {
        Simulator rules = saved.get();
        boolean wasAllowed = !record.isError();
        return dev.thimble.ruledesigner.LogCases.caseFor(record, data, c -> rules.run(c).decision().allowed() == wasAllowed);
    }

    /** Opens a case (e.g. from a log record): user, action and document, then runs it. */
    public void open(SimulationCase c) {
        UserChoice choice = users.stream().filter(u -> u.user() != null && c.user() != null && u.user().id().equals(c.user().id()))
                .findFirst().orElseGet(() -> {
                    UserChoice fromLog = new UserChoice(c.user() == null ? "system" : c.user().id() + " (from the log)", c.user(), false);
                    users.add(fromLog);
                    return fromLog;
                });
        user.set(choice);
        action.set(c.action());
        documentText.set(c.document() == null ? "{}" : c.document().toJson(EJSON));
        afterText.set(c.after() == null ? "" : c.after().toJson(EJSON));
        queryText.set(c.query() == null ? "" : c.query().toJson());
        run();
    }

    /** Runs the current case through the engine with the rule as edited. */
    public void run() {
        SimulationCase c;
        try {
            c = currentCase();
        } catch (DesignException e) {
            error.set(e.getMessage());
            return;
        }
        error.set("");
        if (c.user() != null) {
            simulated.put(c.user().id(), c.user());
        }
        RuleDesign snapshot = design.copy();
        background.execute(() -> {
            try {
                Simulation s = saved.get().with(service, snapshot).run(c);
                ui.accept(() -> show(s));
            } catch (RuntimeException e) {
                ui.accept(() -> error.set("The rules could not be evaluated: " + e.getMessage()));
            }
        });
    }

    /**
     * Compares the saved rules with the edit over every document of the collection, for the users of
     * recent requests and the users simulated here (the crafted user as the form stands included):
     * a summary first, the details per user after it.
     */
    public void runWhatIf() {
        if (live == null) {
            whatIfSummary.set("What-if needs the running server: start it to compare over the collection's documents.");
            whatIf.set("");
            return;
        }
        RuleDesign snapshot = design.copy();
        java.util.Map<String, Principal> asSimulated = new java.util.LinkedHashMap<>(simulated);
        UserChoice choice = user.get();
        if (choice != null && !choice.crafted() && choice.user() != null) {
            asSimulated.putIfAbsent(choice.user().id(), choice.user());
        }
        crafted().ifPresent(u -> asSimulated.putIfAbsent(u.id(), u));
        List<Principal> simulatedUsers = List.copyOf(asSimulated.values());
        whatIfSummary.set("Comparing the saved rules with this edit ...");
        background.execute(() -> {
            try {
                WhatIf.Report report = WhatIf.compareAll(saved.get(), snapshot, service, live, 500, simulatedUsers);
                java.util.Set<String> fromLogs = new java.util.HashSet<>();
                WhatIf.usersFromLogs(live, 500).forEach(u -> fromLogs.add(u.id()));
                ui.accept(() -> {
                    whatIfSummary.set(summarize(report, fromLogs));
                    whatIf.set(describe(report, this::labelOf));
                });
            } catch (RuntimeException e) {
                ui.accept(() -> {
                    whatIfSummary.set("What-if failed: " + e.getMessage());
                    whatIf.set("");
                });
            }
        });
    }

    /** The crafted user as the form stands, when it is filled in (and parses). */
    private java.util.Optional<Principal> crafted() {
        boolean filled = craftedId.get() != null && !craftedId.get().isBlank()
                || craftedCustomData.get() != null && !craftedCustomData.get().isBlank();
        if (!filled) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(craftedUser());
        } catch (DesignException e) {
            return java.util.Optional.empty();
        }
    }

    private Principal craftedUser() {
        String id = craftedId.get() == null || craftedId.get().isBlank() ? "crafted-user" : craftedId.get().trim();
        return Principal.normal(id).withCustomData(parse("custom data", craftedCustomData.get()));
    }

    /** The summary lines: {@code 3 users gain read on `diagnosis` on 1,240 documents}, most documents first. */
    static String summarize(WhatIf.Report r, java.util.Set<String> fromLogs) {
        long logged = r.users().stream().filter(u -> fromLogs.contains(u.userId())).count();
        long simulatedOnly = r.users().size() - logged;
        StringBuilder b = new StringBuilder();
        List<WhatIf.Headline> lines = WhatIf.headlines(r);
        if (lines.isEmpty()) {
            b.append("No user would read or write anything different.");
        }
        int shown = 0;
        for (WhatIf.Headline h : lines) {
            if (shown++ == 8) {
                b.append("… and ").append(lines.size() - 8).append(" more changes (details below)");
                break;
            }
            b.append(h.describe()).append('\n');
        }
        if (b.charAt(b.length() - 1) != '\n') {
            b.append('\n');
        }
        b.append(String.format(java.util.Locale.US, "Compared for %d users (%d from recent requests, %d simulated) on %s of %s.",
                r.users().size(), logged, simulatedOnly,
                r.documents() >= WhatIf.MAX_DOCUMENTS ? String.format(java.util.Locale.US, "the first %,d documents", r.documents())
                        : String.format(java.util.Locale.US, "all %,d documents", r.documents()), r.namespace()));
        if (r.writeDocuments() > 0) {
            b.append(r.writeDocuments() >= r.documents()
                    ? " Writes (fields an update may change, insert, delete) compared on all of them."
                    : String.format(java.util.Locale.US, " Writes (fields an update may change, insert, delete) compared on the first %,d.",
                    r.writeDocuments()));
        }
        return b.toString();
    }

    private String labelOf(String userId) {
        return users.stream().filter(u -> u.user() != null && u.user().id().equals(userId)).map(UserChoice::label)
                .findFirst().orElse(userId);
    }

    static final int DETAIL_LINES_PER_USER = 10;

    static String describe(WhatIf.Report r, java.util.function.Function<String, String> label) {
        StringBuilder b = new StringBuilder();
        b.append("users compared: ").append(r.users().size()).append(", documents of ")
                .append(r.namespace()).append(": ").append(r.documents()).append(" — documents +").append(r.documentsGained())
                .append(" -").append(r.documentsLost()).append(", fields +").append(r.fieldsGained()).append(" -").append(r.fieldsLost()).append('\n');
        for (WhatIf.UserChange u : r.users()) {
            String who = label.apply(u.userId());
            if (u.isEmpty()) {
                b.append(who).append(": no change\n");
            }
            // a few lines per user: the summary above has the totals, these name documents to look at
            int lines = 0;
            int total = u.gained().size() + u.lost().size() + u.changed().size() + u.writes().size();
            for (WhatIf.DocumentChange c : u.gained()) {
                if (lines++ < DETAIL_LINES_PER_USER) {
                    b.append(who).append(" gains document ").append(c.id()).append('\n');
                }
            }
            for (WhatIf.DocumentChange c : u.lost()) {
                if (lines++ < DETAIL_LINES_PER_USER) {
                    b.append(who).append(" loses document ").append(c.id()).append('\n');
                }
            }
            for (WhatIf.DocumentChange c : u.changed()) {
                if (lines++ < DETAIL_LINES_PER_USER) {
                    b.append(who).append(" on ").append(c.id()).append(": gains ").append(c.fieldsGained())
                            .append(", loses ").append(c.fieldsLost()).append('\n');
                }
            }
            for (WhatIf.WriteChange w : u.writes()) {
                if (lines++ < DETAIL_LINES_PER_USER) {
                    b.append(who).append(" writing ").append(w.id()).append(":");
                    if (!w.fieldsGained().isEmpty() || !w.fieldsLost().isEmpty()) {
                        b.append(" may newly change ").append(w.fieldsGained()).append(", no longer ").append(w.fieldsLost());
                    }
                    if (w.insert() != null) {
                        b.append(w.insert() ? " may now insert it" : " may no longer insert it");
                    }
                    if (w.delete() != null) {
                        b.append(w.delete() ? " may now delete it" : " may no longer delete it");
                    }
                    b.append('\n');
                }
            }
            if (total > DETAIL_LINES_PER_USER) {
                b.append(who).append(String.format(java.util.Locale.US, ": … and %,d more documents%n", total - DETAIL_LINES_PER_USER));
            }
        }
        return b.toString();
    }

    private SimulationCase currentCase() {
        UserChoice choice = user.get();
        Principal who;
        if (choice == null) {
            throw new DesignException("user", "choose a user to simulate as");
        } else if (choice.crafted()) {
            who = craftedUser();
        } else {
            who = choice.user();
        }
        Document doc = parse("document", documentText.get());
        Document after = afterText.get() == null || afterText.get().isBlank() ? null : parse("after", afterText.get());
        Document query = queryText.get() == null || queryText.get().isBlank() ? null : parse("query", queryText.get());
        return new SimulationCase(who, service, design.namespace(), action.get(), doc, after, query);
    }

    private static Document parse(String what, String text) {
        try {
            return Document.parse(text == null || text.isBlank() ? "{}" : text);
        } catch (RuntimeException e) {
            throw new DesignException(what, "not valid Extended JSON: " + e.getMessage());
        }
    }

    private void show(Simulation s) {
        Decision d = s.decision();
        outcome.set(d.outcome() + (d.role() == null ? " — no role applied" : " by role \"" + d.role() + "\"") + " (" + d.reason() + ")");
        roleRows.setAll(d.rolesTried().stream().map(t -> new RoleRow(t.role(), t.matched() ? "matched" : "failed",
                t.failure() == null ? "" : t.failure().describe())).toList());
        filterRows.setAll(d.filters().stream().map(f -> f.filter() + ": " + (f.applied() ? "injected" : "not applied")
                + (f.failure() == null ? "" : " — " + f.failure().describe())).toList());
        fieldRows.setAll(s.fields());
        plannedQuery.set(s.query() == null ? "" : "query that would run: " + s.query().toJson()
                + (s.projection() == null || s.projection().isEmpty() ? "" : ", projection: " + s.projection().toJson()));
        received.set(s.received() == null ? (s.request().action() == Action.READ ? "(nothing: the document is invisible to this user)" : "")
                : s.received().toJson(EJSON));
        explanation.set(d.describe());
    }

    public ObservableList<UserChoice> users() { return users; }
    public ObjectProperty<UserChoice> userProperty() { return user; }
    public StringProperty craftedIdProperty() { return craftedId; }
    public StringProperty craftedCustomDataProperty() { return craftedCustomData; }
    public ObjectProperty<Action> actionProperty() { return action; }
    public ObservableList<Document> liveDocuments() { return liveDocuments; }
    public StringProperty documentTextProperty() { return documentText; }
    public StringProperty afterTextProperty() { return afterText; }
    /** The caller's own query (read, query), as Extended JSON; "" for none. */
    public StringProperty queryTextProperty() { return queryText; }
    public ReadOnlyStringProperty outcomeProperty() { return outcome.getReadOnlyProperty(); }
    public ObservableList<RoleRow> roleRows() { return roleRows; }
    public ObservableList<String> filterRows() { return filterRows; }
    public ObservableList<FieldVerdict> fieldRows() { return fieldRows; }
    /** The document exactly as the user would receive it, as Extended JSON. */
    public ReadOnlyStringProperty receivedProperty() { return received.getReadOnlyProperty(); }
    /** The query and projection the server would run after the filters, for query and read. */
    public ReadOnlyStringProperty plannedQueryProperty() { return plannedQuery.getReadOnlyProperty(); }
    public ReadOnlyStringProperty explanationProperty() { return explanation.getReadOnlyProperty(); }
    /** What-if's details per user (below the summary). */
    public ReadOnlyStringProperty whatIfProperty() { return whatIf.getReadOnlyProperty(); }
    /** What-if's summary: who gains or loses read on which field on how many documents, then what was compared. */
    public ReadOnlyStringProperty whatIfSummaryProperty() { return whatIfSummary.getReadOnlyProperty(); }
    /** The custom user data fields of the app (from its custom data collection), offered in the crafted-user form. */
    public ObservableList<String> customDataFields() { return customDataFields; }

    /** Adds {@code "field": } to the crafted user's custom data (an object), ready for its value. */
    public void addCustomDataField(String field) {
        String now = craftedCustomData.get() == null ? "" : craftedCustomData.get().strip();
        String entry = "\"" + field + "\": \"\"";
        if (now.isEmpty() || now.equals("{}")) {
            craftedCustomData.set("{" + entry + "}");
        } else if (now.endsWith("}")) {
            craftedCustomData.set(now.substring(0, now.length() - 1).stripTrailing() + ", " + entry + "}");
        } else {
            craftedCustomData.set(now + ", " + entry);
        }
    }
    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }
}
