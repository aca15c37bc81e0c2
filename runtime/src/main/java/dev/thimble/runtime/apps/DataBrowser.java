package dev.thimble.runtime.apps;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.thimble.runtime.AppHost;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The databases of the running server, as the data browser (and the admin API) sees them: databases
 * and collections with counts and indexes; a find with filter, sort, projection and paging; insert,
 * replace and delete of one document by {@code _id}. Writes go through the server's own connection, so
 * they fire its triggers like any other write. Access rules do not apply: this is the developer's view.
 * Blocking; no JavaFX.
 */
public final class DataBrowser {
    /** The most documents one page may hold. */
    public static final int MAX_PAGE = 1000;

    private final Supplier<Optional<AppHost>> host;

    DataBrowser(Supplier<Optional<AppHost>> host) {
        this.host = host;
    }

    /** One collection with its document count and index names. */
    public record CollectionInfo(String database, String name, long count, List<String> indexes) {
        public CollectionInfo {
            indexes = List.copyOf(indexes);
        }

        public String namespace() {
            return database + "." + name;
        }
    }

    /** A database and its collections, by name. */
    public record DatabaseInfo(String name, List<CollectionInfo> collections) {
        public DatabaseInfo {
            collections = List.copyOf(collections);
        }
    }

    /**
     * What to find. Filter, sort and projection are Extended JSON documents ("" for none).
     */
    public record Query(String database, String collection, String filter, String sort, String projection, int skip, int limit) {
        public Query {
            if (skip < 0) {
                throw new IllegalArgumentException("Skip must not be negative, was " + skip + ".");
            }
            if (limit < 1 || limit > MAX_PAGE) {
                throw new IllegalArgumentException("A page holds 1 to " + MAX_PAGE + " documents, not " + limit + ".");
            }
        }

        public static Query all(String database, String collection, int limit) {
            return new Query(database, collection, "", "", "", 0, limit);
        }

        public Query withSkip(int newSkip) {
            return new Query(database, collection, filter, sort, projection, newSkip, limit);
        }
    }

    /** One page of a find: its documents and how many match in all. */
    public record Page(Query query, List<BsonDocument> documents, long total) {
        public Page {
            documents = List.copyOf(documents);
        }

        public boolean hasNext() {
            return query.skip() + documents.size() < total;
        }
    }

    /** Every database with its collections (sorted by name), counts and indexes. */
    public List<DatabaseInfo> databases() {
        return databases(true);
    }

    /**
     * The app's databases: Thimble's own ({@code __thimble_*}, users, sessions, logs, trigger state)
     * and MongoDB's ({@code admin}, {@code config}, {@code local}) left out unless {@code includeInternal}.
     */
    public List<DatabaseInfo> databases(boolean includeInternal) {
        MongoClient client = client();
        List<DatabaseInfo> out = new ArrayList<>();
        for (String dbName : client.listDatabaseNames().into(new ArrayList<>()).stream().sorted().toList()) {
            if (!includeInternal && isInternal(dbName)) {
                continue;
            }
            MongoDatabase db = client.getDatabase(dbName);
            List<CollectionInfo> collections = new ArrayList<>();
            for (String name : db.listCollectionNames().into(new ArrayList<>()).stream().sorted().toList()) {
                MongoCollection<BsonDocument> coll = db.getCollection(name, BsonDocument.class);
                List<String> indexes = new ArrayList<>();
                for (BsonDocument index : coll.listIndexes(BsonDocument.class)) {
                    indexes.add(index.getString("name").getValue() + " " + ExtendedJson.oneLine(index.get("key")));
                }
                collections.add(new CollectionInfo(dbName, name, coll.countDocuments(), indexes));
            }
            out.add(new DatabaseInfo(dbName, collections));
        }
        return out;
    }

    /** Whether a database is Thimble's own state or MongoDB's, not the app's data. */
    public static boolean isInternal(String database) {
        return database.startsWith("__thimble") || database.equals("admin") || database.equals("config") || database.equals("local");
    }

    /**
     * Creates a collection (and so its database, when new).
     *
     * @throws IllegalArgumentException for an empty or invalid name, a Thimble database, or a collection that exists
     */
    public void createCollection(String database, String collection) {
        String db = database == null ? "" : database.strip();
        String name = collection == null ? "" : collection.strip();
        if (db.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("A new collection needs a database name and a collection name.");
        }
        if (db.contains(".") || db.contains(" ") || db.contains("/") || db.contains("$") || name.contains("$")) {
            throw new IllegalArgumentException("\"" + db + "." + name + "\" is not a valid namespace: a database name has no "
                    + "'.', ' ', '/' or '$', and a collection name has no '$'.");
        }
        if (isInternal(db)) {
            throw new IllegalArgumentException(db + " belongs to Thimble or MongoDB; create the collection in a database of your own.");
        }
        MongoDatabase target = client().getDatabase(db);
        if (target.listCollectionNames().into(new ArrayList<>()).contains(name)) {
            throw new IllegalArgumentException(db + "." + name + " exists already.");
        }
        try {
            target.createCollection(name);
        } catch (MongoException e) {
            throw refused("Creating " + db + "." + name, e);
        }
    }

    /**
     * Runs a find.
     *
     * @throws IllegalArgumentException when a document does not parse, or the database refuses the query (its message)
     */
    public Page find(Query query) {
        BsonDocument filter = ExtendedJson.parseDocument(query.filter(), "The filter");
        BsonDocument sort = ExtendedJson.parseDocument(query.sort(), "The sort");
        BsonDocument projection = ExtendedJson.parseDocument(query.projection(), "The projection");
        MongoCollection<BsonDocument> coll = collection(query.database(), query.collection());
        try {
            List<BsonDocument> documents = coll.find(filter).sort(sort).projection(projection)
                    .skip(query.skip()).limit(query.limit()).into(new ArrayList<>());
            long total = coll.countDocuments(filter);
            return new Page(query, documents, total);
        } catch (MongoException e) {
            throw refused("The find on " + query.database() + "." + query.collection(), e);
        }
    }

    /** Inserts a document (an {@code _id} is added when it has none) and returns its {@code _id}. */
    public BsonValue insert(String database, String collection, String documentJson) {
        BsonDocument document = ExtendedJson.parseDocument(documentJson, "The document");
        try {
            collection(database, collection).insertOne(document);
        } catch (MongoException e) {
            throw refused("The insert into " + database + "." + collection, e);
        }
        return document.get("_id");
    }

    /**
     * Replaces the document whose {@code _id} is {@code id} with {@code documentJson} (which keeps that {@code _id}).
     *
     * @throws IllegalArgumentException when the text changes the {@code _id}, or no document has it any more
     */
    public void replace(String database, String collection, BsonValue id, String documentJson) {
        BsonDocument document = ExtendedJson.parseDocument(documentJson, "The document");
        BsonValue newId = document.get("_id");
        if (newId != null && !newId.equals(id)) {
            throw new IllegalArgumentException("The document's _id cannot change (it was " + ExtendedJson.oneLine(id)
                    + "); insert a new document instead.");
        }
        try {
            long matched = collection(database, collection).replaceOne(Filters.eq("_id", id), document).getMatchedCount();
            if (matched == 0) {
                throw new IllegalArgumentException("No document in " + database + "." + collection + " has _id "
                        + ExtendedJson.oneLine(id) + " any more (deleted meanwhile?); refresh the page.");
            }
        } catch (MongoException e) {
            throw refused("The update of " + ExtendedJson.oneLine(id) + " in " + database + "." + collection, e);
        }
    }

    /** Deletes the document with {@code _id} {@code id}; false when there was none. */
    public boolean delete(String database, String collection, BsonValue id) {
        try {
            return collection(database, collection).deleteOne(Filters.eq("_id", id)).getDeletedCount() == 1;
        } catch (MongoException e) {
            throw refused("The delete of " + ExtendedJson.oneLine(id) + " in " + database + "." + collection, e);
        }
    }

    private static IllegalArgumentException refused(String what, MongoException e) {
        return new IllegalArgumentException(what + " was refused by the database: " + e.getMessage(), e);
    }

    private MongoCollection<BsonDocument> collection(String database, String collection) {
        if (database == null || database.isBlank() || collection == null || collection.isBlank()) {
            throw new IllegalArgumentException("Choose a collection first (in the list on the left).");
        }
        return client().getDatabase(database).getCollection(collection, BsonDocument.class);
    }

    private MongoClient client() {
        return host.get().orElseThrow(() -> new IllegalArgumentException(
                "The server is stopped; start it (Server > Start) to browse its database.")).database().client();
    }
}
