package dev.thimble.workbench.data;

import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.DataBrowser;
import dev.thimble.runtime.apps.ExtendedJson;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The data browser's state: the databases and collections, the chosen collection's query (filter,
 * sort, projection) and current page, the selected document as editable Extended JSON, and what went
 * wrong (shown beside the field it concerns). Every database call runs off the UI thread.
 */
public final class DataViewModel {
    public static final int PAGE_SIZE = 50;

    private final UiTasks tasks;
    private final ObservableList<DataBrowser.DatabaseInfo> databases = FXCollections.observableArrayList();
    private final ObservableList<BsonDocument> documents = FXCollections.observableArrayList();
    private final ObservableList<String> columns = FXCollections.observableArrayList();
    private final ObjectProperty<DataBrowser.CollectionInfo> collection = new SimpleObjectProperty<>(this, "collection");
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final StringProperty sort = new SimpleStringProperty(this, "sort", "");
    private final StringProperty projection = new SimpleStringProperty(this, "projection", "");
    private final ObjectProperty<BsonDocument> selected = new SimpleObjectProperty<>(this, "selected");
    private final StringProperty editor = new SimpleStringProperty(this, "editor", "");
    private final ReadOnlyStringWrapper queryError = new ReadOnlyStringWrapper(this, "queryError", "");
    private final ReadOnlyStringWrapper documentError = new ReadOnlyStringWrapper(this, "documentError", "");
    private final ReadOnlyStringWrapper pageSummary = new ReadOnlyStringWrapper(this, "pageSummary", "");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "Start the server to browse its database.");
    private final ReadOnlyBooleanWrapper hasNext = new ReadOnlyBooleanWrapper(this, "hasNext");
    private final ReadOnlyBooleanWrapper hasPrevious = new ReadOnlyBooleanWrapper(this, "hasPrevious");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private AppSession session;
    private DataBrowser.Page page;

    public DataViewModel(UiTasks tasks) {
        this.tasks = tasks;
        collection.addListener((obs, old, now) -> {
            if (now != null && (old == null || !now.namespace().equals(old.namespace()))) {
                filter.set("");
                sort.set("");
                projection.set("");
                find();
            }
        });
        selected.addListener((obs, old, now) -> {
            documentError.set("");
            if (now != null) {
                editor.set(ExtendedJson.format(now));
            }
        });
    }

    public void attach(AppSession newSession) {
        session = newSession;
    }

    public void detach() {
        session = null;
        databases.clear();
        documents.clear();
        collection.set(null);
        page = null;
        notice.set("Open an app to browse its database.");
    }

    private final javafx.beans.property.BooleanProperty showInternal = new javafx.beans.property.SimpleBooleanProperty(this, "showInternal");

    /** Whether Thimble's own databases (users, sessions, logs, trigger state) and MongoDB's are listed; off by default. */
    public javafx.beans.property.BooleanProperty showInternalProperty() {
        return showInternal;
    }

    /**
     * Creates a collection (and its database when new), then lists it and chooses it.
     *
     * @return true when it was created; false with the reason in the notice
     */
    public CompletableFuture<Boolean> createCollection(String database, String collection) {
        AppSession target = session;
        if (target == null) {
            notice.set("Open an app to browse its database.");
            return CompletableFuture.completedFuture(false);
        }
        return tasks.run(() -> {
            target.data().createCollection(database, collection);
            return true;
        }, done -> {
            notice.set("Created " + database.strip() + "." + collection.strip());
            refresh();
        }, failure -> notice.set(UiTasks.describe(failure))).exceptionally(failure -> false);
    }

    /**
     * Reads the databases again, changing the list only when something changed (a collection came or
     * went, a count moved): the window calls this every few seconds, so the list keeps up by itself
     * without the tree being rebuilt under the user.
     */
    public CompletableFuture<List<DataBrowser.DatabaseInfo>> refreshQuietly() {
        AppSession target = session;
        if (target == null || busy.get()) {
            return CompletableFuture.completedFuture(List.of());
        }
        boolean internal = showInternal.get();
        // off the UI thread: asking for the host waits while the server starts or stops
        return tasks.run(() -> target.host().isEmpty() ? null : target.data().databases(internal), found -> {
            if (found != null && !found.equals(databases)) {
                databases.setAll(found);
            }
        }, failure -> { }).exceptionally(failure -> List.of());
    }

    /** Reads the databases and collections again (keeping the chosen collection when it still exists). */
    public CompletableFuture<List<DataBrowser.DatabaseInfo>> refresh() {
        AppSession target = session;
        if (target == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        busy.set(true);
        boolean internal = showInternal.get();
        return tasks.run(() -> target.data().databases(internal), found -> {
            busy.set(false);
            databases.setAll(found);
            // keep the outcome of a write ("Deleted ..."); clear only what said there was nothing to show
            if (found.isEmpty()) {
                notice.set("The database is empty: create a collection with + above, or insert from a function.");
            } else if (notice.get().startsWith("Start the server") || notice.get().startsWith("Open an app")
                    || notice.get().startsWith("The database is empty") || notice.get().startsWith("The server is stopped")) {
                notice.set("");
            }
        }, failure -> {
            busy.set(false);
            notice.set(UiTasks.describe(failure));
        });
    }

    /** Runs the query on the chosen collection from its first page. */
    public CompletableFuture<DataBrowser.Page> find() {
        return findAt(0);
    }

    public CompletableFuture<DataBrowser.Page> nextPage() {
        return page == null ? CompletableFuture.completedFuture(null) : findAt(page.query().skip() + PAGE_SIZE);
    }

    public CompletableFuture<DataBrowser.Page> previousPage() {
        return page == null ? CompletableFuture.completedFuture(null) : findAt(Math.max(0, page.query().skip() - PAGE_SIZE));
    }

    private CompletableFuture<DataBrowser.Page> findAt(int skip) {
        AppSession target = session;
        DataBrowser.CollectionInfo coll = collection.get();
        if (target == null || coll == null) {
            queryError.set(target == null ? "Open an app first." : "Choose a collection on the left.");
            return CompletableFuture.completedFuture(null);
        }
        DataBrowser.Query query = new DataBrowser.Query(coll.database(), coll.name(), filter.get(), sort.get(), projection.get(),
                skip, PAGE_SIZE);
        busy.set(true);
        return tasks.run(() -> target.data().find(query), this::show, failure -> {
            busy.set(false);
            queryError.set(UiTasks.describe(failure));
        });
    }

    private void show(DataBrowser.Page found) {
        busy.set(false);
        queryError.set("");
        page = found;
        Set<String> names = new LinkedHashSet<>();
        names.add("_id");
        for (BsonDocument d : found.documents()) {
            names.addAll(d.keySet());
        }
        columns.setAll(names.stream().limit(12).toList());
        documents.setAll(found.documents());
        int from = found.query().skip();
        pageSummary.set(found.documents().isEmpty() ? (from == 0 ? "No documents match" : "No more documents")
                : String.format("%,d\u2013%,d of %,d", from + 1, from + found.documents().size(), found.total()));
        hasNext.set(found.hasNext());
        hasPrevious.set(from > 0);
        BsonValue keep = selected.get() == null ? null : selected.get().get("_id");
        selected.set(keep == null ? null : found.documents().stream().filter(d -> keep.equals(d.get("_id"))).findFirst().orElse(null));
    }

    /** Clears the editor for a new document (Insert then adds it). */
    public void newDocument() {
        selected.set(null);
        documentError.set("");
        editor.set("{\n  \n}");
    }

    /** Inserts the editor's text as a new document. */
    public CompletableFuture<BsonValue> insert() {
        DataBrowser.CollectionInfo coll = collection.get();
        AppSession target = session;
        if (target == null || coll == null) {
            documentError.set("Choose a collection on the left first.");
            return CompletableFuture.completedFuture(null);
        }
        String text = editor.get();
        return tasks.run(() -> target.data().insert(coll.database(), coll.name(), text), id -> {
            documentError.set("");
            notice.set("Inserted " + ExtendedJson.oneLine(id) + " into " + coll.namespace());
            reloadAfterWrite();
        }, failure -> documentError.set(UiTasks.describe(failure)));
    }

    /** Replaces the selected document with the editor's text. */
    public CompletableFuture<Boolean> save() {
        DataBrowser.CollectionInfo coll = collection.get();
        BsonDocument current = selected.get();
        AppSession target = session;
        if (target == null || coll == null || current == null || current.get("_id") == null) {
            documentError.set("Select a document to save over (or use Insert for a new one).");
            return CompletableFuture.completedFuture(false);
        }
        BsonValue id = current.get("_id");
        String text = editor.get();
        return tasks.run(() -> {
            target.data().replace(coll.database(), coll.name(), id, text);
            return true;
        }, done -> {
            documentError.set("");
            notice.set("Saved " + ExtendedJson.oneLine(id) + " in " + coll.namespace());
            reloadAfterWrite();
        }, failure -> documentError.set(UiTasks.describe(failure)));
    }

    /** Deletes the selected document (the view asks first). */
    public CompletableFuture<Boolean> delete() {
        DataBrowser.CollectionInfo coll = collection.get();
        BsonDocument current = selected.get();
        AppSession target = session;
        if (target == null || coll == null || current == null || current.get("_id") == null) {
            documentError.set("Select a document to delete.");
            return CompletableFuture.completedFuture(false);
        }
        BsonValue id = current.get("_id");
        return tasks.run(() -> target.data().delete(coll.database(), coll.name(), id), deleted -> {
            selected.set(null);
            editor.set("");
            notice.set(deleted ? "Deleted " + ExtendedJson.oneLine(id) + " from " + coll.namespace()
                    : ExtendedJson.oneLine(id) + " was already gone");
            reloadAfterWrite();
        }, failure -> documentError.set(UiTasks.describe(failure)));
    }

    private void reloadAfterWrite() {
        findAt(page == null ? 0 : page.query().skip());
        refresh();
    }

    public ObservableList<DataBrowser.DatabaseInfo> databases() {
        return databases;
    }

    /** The current page's documents. */
    public ObservableList<BsonDocument> documents() {
        return documents;
    }

    /** The table's columns: {@code _id}, then the page's top-level fields in the order first seen (at most 12). */
    public ObservableList<String> columns() {
        return columns;
    }

    public ObjectProperty<DataBrowser.CollectionInfo> collectionProperty() {
        return collection;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public StringProperty sortProperty() {
        return sort;
    }

    public StringProperty projectionProperty() {
        return projection;
    }

    public ObjectProperty<BsonDocument> selectedProperty() {
        return selected;
    }

    /** The selected (or new) document as Extended JSON, as the user edits it. */
    public StringProperty editorProperty() {
        return editor;
    }

    /** Why the last find failed (beside the query fields), or "". */
    public ReadOnlyStringProperty queryErrorProperty() {
        return queryError.getReadOnlyProperty();
    }

    /** Why the last insert, save or delete failed (beside the document), or "". */
    public ReadOnlyStringProperty documentErrorProperty() {
        return documentError.getReadOnlyProperty();
    }

    /** E.g. "1–50 of 123". */
    public ReadOnlyStringProperty pageSummaryProperty() {
        return pageSummary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasNextProperty() {
        return hasNext.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasPreviousProperty() {
        return hasPrevious.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
