package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.BundleValidator;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.Layout;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.app.ValueDef;
import dev.thimble.runtime.app.WriteOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Everything a person (through the workbench) or a tool (through the admin API) can do to one app:
 * edit, create, duplicate, rename and delete its items, set secrets, validate, export, manage its
 * users, query its logs and run its functions. Each change is applied to the bundle's current model,
 * written to the bundle's files (the bundle stays the source of truth; only changed files are
 * touched) and then served: the running host reloads it. Blocking and thread-safe; no UI here.
 *
 * <p>Content edits ({@link #save}, {@link #saveJson}) are written even when they leave problems (an
 * editor shows them next to the text). Structural changes ({@link #create}, {@link #duplicate},
 * {@link #rename}) are refused, with {@code thimble validate}'s messages, when they would add an
 * error; a {@link #delete} of an item something still refers to is refused unless forced.
 */
public final class AppEditor {
    private final Workspace workspace;
    private final HostAccess host;
    /** How many structural changes {@link #undo} can go back. */
    public static final int UNDO_HISTORY = 20;

    /** The structural changes {@link #undo} can take back, newest first; guarded by {@code this}. */
    private final java.util.Deque<Undoable> undos = new java.util.ArrayDeque<>();
    /** The changes undone that {@link #redo} can make again, most recently undone first; guarded by {@code this}. */
    private final java.util.Deque<Undoable> redos = new java.util.ArrayDeque<>();

    /**
     * One structural change as undo and redo see it.
     *
     * @param description   what the change was, e.g. {@code Rename the function a to b}
     * @param itemBefore    the item before it (a rename's old identity), shown after an undo
     * @param itemAfter     the item after it (a rename's new identity), shown after a redo
     * @param before        the model before it
     * @param after         the model it left: undo is refused once the app has changed since
     * @param secretsBefore the local secret values before it
     * @param secretsAfter  the local secret values after it
     */
    private record Undoable(String description, EditableItem itemBefore, EditableItem itemAfter, AppModel before, AppModel after,
                            Map<String, String> secretsBefore, Map<String, String> secretsAfter) {
    }

    public AppEditor(Workspace workspace, HostAccess host) {
        this.workspace = workspace;
        this.host = host;
    }

    /** Opens the bundle in {@code directory} for editing; {@code host} serves it (or {@link HostAccess#none()}). */
    public static AppEditor open(Path directory, HostAccess host) {
        return new AppEditor(Workspace.open(directory), host);
    }

    public Workspace workspace() {
        return workspace;
    }

    public AppModel model() {
        return workspace.model();
    }

    // ---- validation and saving ----------------------------------------------------------------

    /** Validates the bundle as it is on disk (parses every function). */
    public Validation validate() {
        List<Problem> problems = workspace.validate();
        Map<EditableItem, List<Problem>> byItem = new LinkedHashMap<>();
        for (Problem problem : problems) {
            workspace.itemForFile(problem.file()).ifPresent(item ->
                    byItem.computeIfAbsent(item, i -> new ArrayList<>()).add(problem));
        }
        return new Validation(problems, byItem, workspace.secrets().names());
    }

    /**
     * Applies an edit, writes the changed files, reloads the server, and validates the result.
     *
     * @throws EditRefusedException when the edit or the workspace refuses (nothing written)
     */
    public SaveResult save(UnaryOperator<AppModel> edit) throws IOException {
        Workspace.Saved saved = workspace.save(edit);
        if (!saved.changed().isEmpty()) {
            host.reload(saved.model());
        }
        return new SaveResult(saved.model(), saved.changed(), validate());
    }

    /**
     * As {@link #save}, but refused, with {@code thimble validate}'s messages and nothing written, when
     * the edit gives the app an error it did not have: the admin API's writes, which have no editor
     * to show problems beside the text.
     */
    public SaveResult saveChecked(UnaryOperator<AppModel> edit) throws IOException {
        return save(app -> {
            AppModel after = edit.apply(app);
            requireNoNewErrors(app, after);
            return after;
        });
    }

    /** Replaces one item's config (its identity must stay; see {@link ModelEdits#withJson}). */
    public SaveResult saveJson(EditableItem item, Json edited) throws IOException {
        return save(app -> ModelEdits.withJson(app, item, edited));
    }

    /** Replaces a function's source, keeping its config. */
    public SaveResult saveSource(String function, String source) throws IOException {
        return save(app -> {
            FunctionDef old = app.function(function).orElseThrow(() -> new EditRefusedException(
                    "The function " + function + " is no longer in the app; nothing was saved."));
            return ModelEdits.withFunction(app, new FunctionDef(old.config(), source));
        });
    }

    // ---- structure ----------------------------------------------------------------------------

    /**
     * Adds an item.
     *
     * @param config its config (null for the kind's defaults); the item's identity is written into it
     * @param source a function's or webhook's JavaScript (null for a blank one)
     * @throws EditRefusedException when the item exists, or the app would get an error (the message lists them)
     */
    public Restructured create(EditableItem item, Json config, String source) throws IOException {
        return restructure("Create " + lower(StructureEdits.describe(item)), item,
                app -> StructureEdits.add(app, item, config, source), List.of(), List.of());
    }

    /** Adds a secret: its name to the bundle, its value to the local secret store (never the bundle). */
    public Restructured createSecret(String name, String value) throws IOException {
        requireSecretValue(name, value);
        Restructured created = create(new EditableItem.Secret(name), null, null);
        workspace.secrets().set(name, value);
        secretsChangedAfterLastChange();
        maskSecrets();
        return new Restructured(created.model(), created.item(), created.changed(), List.of(), List.of(), validate());
    }

    /** Adds a copy of {@code item} named {@code newName} (see {@link StructureEdits#renamedItem}). */
    public Restructured duplicate(EditableItem item, String newName) throws IOException {
        EditableItem copy = StructureEdits.renamedItem(item, newName);
        Restructured done = restructure("Duplicate " + lower(StructureEdits.describe(item)) + " as " + newName, copy,
                app -> StructureEdits.duplicate(app, item, newName), List.of(), List.of());
        if (item instanceof EditableItem.Secret s) {
            workspace.secrets().get(s.name()).ifPresent(v -> workspace.secrets().set(copy.title(), v));
        }
        return done;
    }

    /**
     * Renames an item and rewrites what refers to it: trigger and endpoint {@code function_name},
     * {@code %function} in rules, {@code context.functions.execute('name')} call sites, value
     * expansions, secret names, trigger service names. A secret's local value moves with it.
     *
     * @return the changes made ({@link Restructured#references()}) and the calls it could not rewrite
     */
    public Restructured rename(EditableItem item, String newName) throws IOException {
        AtomicReference<StructureEdits.Renamed> renamed = new AtomicReference<>();
        AtomicReference<AppModel> before = new AtomicReference<>();
        Map<String, String> secretsBefore = workspace.secrets().all();
        Workspace.Saved saved = workspace.save(app -> {
            StructureEdits.Renamed r = StructureEdits.rename(app, item, newName);
            requireNoNewErrors(app, r.model());
            renamed.set(r);
            before.set(app);
            return r.model();
        });
        StructureEdits.Renamed r = renamed.get();
        if (item instanceof EditableItem.Secret s && !s.equals(r.item())) {
            workspace.secrets().get(s.name()).ifPresent(v -> {
                workspace.secrets().set(r.item().title(), v);
                workspace.secrets().delete(s.name());
            });
        }
        remember("Rename " + lower(StructureEdits.describe(item)) + " to " + newName, item, r.item(), before.get(), saved.model(), secretsBefore);
        if (!saved.changed().isEmpty()) {
            host.reload(saved.model());
        }
        return new Restructured(saved.model(), r.item(), saved.changed(), r.changes(), r.notRewritten(), validate());
    }

    /** What refers to {@code item} by name, and the calls with a computed name that might. */
    public References.Report references(EditableItem item) {
        return StructureEdits.referencesTo(model(), item);
    }

    /**
     * Deletes an item (a service with its rules and webhooks; a secret with its local value).
     *
     * @param evenIfReferenced delete even though something refers to it (the references are then broken,
     *                         and listed in {@link Restructured#references()})
     * @throws EditRefusedException when something refers to it and {@code evenIfReferenced} is false: the
     *                              message lists what
     */
    public Restructured delete(EditableItem item, boolean evenIfReferenced) throws IOException {
        AtomicReference<References.Report> left = new AtomicReference<>();
        AtomicReference<AppModel> before = new AtomicReference<>();
        Map<String, String> secretsBefore = workspace.secrets().all();
        Workspace.Saved saved = workspace.save(app -> {
            before.set(app);
            References.Report refs = StructureEdits.referencesTo(app, item);
            if (!refs.isEmpty() && !evenIfReferenced) {
                throw new EditRefusedException(StructureEdits.describe(item) + " is still used by: "
                        + String.join("; ", refs.places()) + ". Change those first, or delete anyway. Nothing was deleted.");
            }
            left.set(refs);
            return StructureEdits.remove(app, item);
        });
        if (item instanceof EditableItem.Secret s) {
            workspace.secrets().delete(s.name());
        }
        remember("Delete " + lower(StructureEdits.describe(item)), item, item, before.get(), saved.model(), secretsBefore);
        if (!saved.changed().isEmpty()) {
            host.reload(saved.model());
        }
        return new Restructured(saved.model(), item, saved.changed(), left.get().places(), List.of(), validate());
    }

    /** Replaces all values at once (the workbench's values table). */
    public SaveResult saveValues(List<ValueDef> values) throws IOException {
        return save(app -> ModelEdits.withValues(app, values));
    }

    private Restructured restructure(String description, EditableItem item, UnaryOperator<AppModel> change, List<String> references,
                                     List<String> notRewritten) throws IOException {
        AtomicReference<AppModel> before = new AtomicReference<>();
        Map<String, String> secretsBefore = workspace.secrets().all();
        Workspace.Saved saved = workspace.save(app -> {
            AppModel after = change.apply(app);
            requireNoNewErrors(app, after);
            before.set(app);
            return after;
        });
        remember(description, item, item, before.get(), saved.model(), secretsBefore);
        if (!saved.changed().isEmpty()) {
            host.reload(saved.model());
        }
        return new Restructured(saved.model(), item, saved.changed(), references, notRewritten, validate());
    }

    /** A new change: it goes on the undo history (the oldest falls off), and what was undone can no longer be redone. */
    private synchronized void remember(String description, EditableItem itemBefore, EditableItem itemAfter, AppModel before,
                                       AppModel after, Map<String, String> secretsBefore) {
        if (before == null) {
            return;
        }
        undos.push(new Undoable(description, itemBefore, itemAfter, before, after, Map.copyOf(secretsBefore),
                Map.copyOf(workspace.secrets().all())));
        while (undos.size() > UNDO_HISTORY) {
            undos.removeLast();
        }
        redos.clear();
    }

    /** The newest change also set local secret values after it was remembered: a redo brings them back too. */
    private synchronized void secretsChangedAfterLastChange() {
        Undoable top = undos.poll();
        if (top != null) {
            undos.push(new Undoable(top.description(), top.itemBefore(), top.itemAfter(), top.before(), top.after(),
                    top.secretsBefore(), Map.copyOf(workspace.secrets().all())));
        }
    }

    private static String lower(String description) {
        return description.isEmpty() ? description : Character.toLowerCase(description.charAt(0)) + description.substring(1);
    }

    // ---- undo ---------------------------------------------------------------------------------

    /** What {@link #undo} would undo, e.g. {@code Rename the function a to b}; empty when nothing can be undone. */
    public synchronized java.util.Optional<String> undoable() {
        return java.util.Optional.ofNullable(undos.peek()).map(Undoable::description);
    }

    /** What {@link #redo} would make again; empty when nothing was undone since the last change. */
    public synchronized java.util.Optional<String> redoable() {
        return java.util.Optional.ofNullable(redos.peek()).map(Undoable::description);
    }

    /**
     * Undoes the newest structural change still on the history (create, duplicate, rename, delete;
     * up to {@link #UNDO_HISTORY} of them, one per call): the app's files and the local secret values
     * go back to what they were before it. Only while the app is as that change left it (an edit
     * saved since would otherwise be lost).
     *
     * @return the files written, the item as it is again (a rename's old name), and the validation
     * @throws EditRefusedException when there is nothing to undo, or the app has changed since
     */
    public synchronized Restructured undo() throws IOException {
        Undoable change = undos.peek();
        if (change == null) {
            throw new EditRefusedException("There is no structural change to undo.");
        }
        Restructured done = restore(change.description(), "undo", change.after(), change.before(), change.secretsBefore(), change.itemBefore());
        undos.pop();
        redos.push(change);
        return done;
    }

    /**
     * Makes the most recently undone change again, while the app is as the undo left it.
     *
     * @throws EditRefusedException when nothing was undone, or the app has changed since
     */
    public synchronized Restructured redo() throws IOException {
        Undoable change = redos.peek();
        if (change == null) {
            throw new EditRefusedException("There is no undone change to redo.");
        }
        Restructured done = restore(change.description(), "redo", change.before(), change.after(), change.secretsAfter(), change.itemAfter());
        redos.pop();
        undos.push(change);
        return done;
    }

    /** Writes {@code to} (and its secret values) back, if the app is still {@code expected}. */
    private Restructured restore(String description, String verb, AppModel expected, AppModel to, Map<String, String> secrets,
                                 EditableItem item) throws IOException {
        Workspace.Saved saved = workspace.save(app -> {
            if (!app.equals(expected)) {
                throw new EditRefusedException("Cannot " + verb + " \"" + description + "\": the app has changed since "
                        + "(an edit was saved after it). Nothing was changed.");
            }
            return to;
        });
        for (String name : workspace.secrets().names()) {
            if (!secrets.containsKey(name)) {
                workspace.secrets().delete(name);
            }
        }
        secrets.forEach(workspace.secrets()::set);
        maskSecrets();
        if (!saved.changed().isEmpty()) {
            host.reload(saved.model());
        }
        EditableItem shown = StructureEdits.exists(saved.model(), item) ? item : new EditableItem.AppSettings();
        return new Restructured(saved.model(), shown, saved.changed(), List.of(), List.of(), validate());
    }

    /** Refuses a change that gives the app an error it did not have, with the validator's messages. */
    static void requireNoNewErrors(AppModel before, AppModel after) {
        Set<Problem> had = new HashSet<>(errors(before));
        List<Problem> added = errors(after).stream().filter(p -> !had.contains(p)).toList();
        if (!added.isEmpty()) {
            StringBuilder message = new StringBuilder("Nothing was saved: the change would give the app ")
                    .append(added.size() == 1 ? "an error" : added.size() + " errors").append(':');
            added.forEach(p -> message.append(System.lineSeparator()).append("  ").append(p));
            throw new EditRefusedException(message.toString());
        }
    }

    private static List<Problem> errors(AppModel app) {
        LoadResult asRead = new LoadResult(app, Layout.STITCH_2018, List.of(), Map.of(), Map.of());
        return new BundleValidator().validate(asRead).stream().filter(Problem::isError).toList();
    }

    // ---- secrets ------------------------------------------------------------------------------

    /**
     * Stores a secret's value in the local secret store (never in the bundle), lets the running
     * server's logs mask it from now on, and validates again (a value that was missing no longer is).
     *
     * @throws IllegalArgumentException for an empty value or a name the app does not declare
     */
    public Validation setSecret(String name, String value) {
        requireSecretValue(name, value);
        if (!workspace.model().secretNames().contains(name)) {
            throw new IllegalArgumentException("The app declares no secret " + name + " (secrets.json); nothing was stored.");
        }
        workspace.secrets().set(name, value);
        maskSecrets();
        return validate();
    }

    private static void requireSecretValue(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("The secret " + name + " needs a value; nothing was stored.");
        }
    }

    private void maskSecrets() {
        host.running().ifPresent(h -> h.logs().setSecretValues(new HashSet<>(workspace.secrets().all().values())));
    }

    // ---- the running app ----------------------------------------------------------------------

    /** The app's users on the running server. */
    public AppUsers users() {
        return new AppUsers(host::running);
    }

    /** The app's server API keys on the running server. */
    public AppApiKeys apiKeys() {
        return new AppApiKeys(host::running);
    }

    /** The app's log records on the running server. */
    public AppLogs logs() {
        return new AppLogs(host::running);
    }

    /** Runs the app's functions as a chosen user, on whatever server runs at the time of the call. */
    public FunctionConsole console() {
        return new FunctionConsole(host::running);
    }

    /** The scheduled triggers' next runs, "run now" and a clock moved by hand. */
    public ScheduledRuns schedules() {
        return new ScheduledRuns(this::model, host::running);
    }

    /** The databases of whatever server runs at the time of the call. */
    public DataBrowser data() {
        return new DataBrowser(host::running);
    }

    /** The open Device Sync sessions of whatever server runs at the time of the call, and their log records. */
    public AppSyncSessions syncSessions() {
        return new AppSyncSessions(this::model, host::running);
    }

    // ---- import and export --------------------------------------------------------------------

    /** Writes the app as a Stitch-layout bundle to a new folder, or a zip when {@code target} ends in .zip. */
    public void export(Path target, WriteOptions options) throws IOException {
        workspace.export(target, options);
    }
}
