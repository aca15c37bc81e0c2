package dev.thimble.runtime.sync;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import org.bson.Document;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The client files of one app, in its state database ({@code sync_clients}): identities with their salts, each file's
 * upload progress, the columns its schema declared (and which of them nullable), and the query bootstraps it may still
 * hold ({@link QueryBootstraps}).
 */
final class ClientFiles {
    private final MongoCollection<Document> clients;
    /** The next value of the identity counter (shared with the server's other counters). */
    private final LongSupplier identities;
    private final ReciprocalHistory reciprocalHistory;
    private final SecureRandom random = new SecureRandom();

    ClientFiles(MongoCollection<Document> clients, LongSupplier identities, ReciprocalHistory reciprocalHistory) {
        this.clients = clients;
        this.identities = identities;
        this.reciprocalHistory = reciprocalHistory;
    }

    /**
     * A new client file identity (from 2 up: 1 is the server's own) with a random positive salt. Clients binding at once
     * need no lock here: the state database's {@code findOneAndUpdate} with {@code $inc} hands every caller its own value
     * (it once did not, and two clients got one identity; decision 0051's lock was removed in 0058).
     */
    long[] newClientFile(String userId) {
        long ident = Math.max(SyncService.SERVER_FILE_IDENT, identities.getAsLong()) + 1;
        long salt = random.nextLong(1, Long.MAX_VALUE >> 1);
        clients.insertOne(new Document("_id", ident).append("salt", salt).append("user_id", userId)
                .append("last_integrated_client_version", 0L).append("last_server_version", 0L));
        return new long[]{ident, salt};
    }

    /** The client file's record, or null if this server never issued it. */
    Document clientFile(long ident) {
        return clients.find(new Document("_id", ident)).first();
    }

    void recordUploadProgress(long ident, long clientVersion, long lastIntegratedServerVersion) {
        recordUploadProgress(ident, clientVersion, lastIntegratedServerVersion, 0);
    }

    /**
     * Also remembers the upload message's progress server version ({@code cursor}: the server version
     * of the client's upload cursor), below which the client will never again upload a changeset based
     * on an older server version (decision record "sync moves": compaction of recorded list edits).
     */
    void recordUploadProgress(long ident, long clientVersion, long lastIntegratedServerVersion, long cursor) {
        clients.updateOne(new Document("_id", ident), Updates.combine(
                Updates.max("last_integrated_client_version", clientVersion),
                Updates.max("last_server_version", lastIntegratedServerVersion),
                Updates.max("upload_cursor_server_version", cursor)));
        // The client no longer uploads changesets based on an older server version: their reciprocal edits are done with.
        reciprocalHistory.trim(ident, Math.max(lastIntegratedServerVersion, cursor));
    }

    /**
     * The properties each client file's schema declares, per class, from the AddTable/AddColumn
     * instructions of its uploads (a Realm app may declare a subset of the app's schema): downloads
     * leave out what a client does not have, since realm-core fails a changeset that names an unknown
     * property. Persisted with the client file; a file that declared nothing (yet) gets every field.
     */
    private final Map<Long, Map<String, Set<String>>> declaredColumns = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Per client file, the scalar properties its schema declares nullable (AddColumn's flag), per class: for an absent
     * field such a client holds null, one declaring it required holds the type's zero (decision record 0065).
     */
    private final Map<Long, Map<String, Set<String>>> declaredNullable = new java.util.concurrent.ConcurrentHashMap<>();

    void recordColumns(long fileIdent, List<Instruction> instructions) {
        Map<String, List<String>> added = new java.util.LinkedHashMap<>();
        Map<String, List<String>> nullable = new java.util.LinkedHashMap<>();
        for (Instruction i : instructions) {
            if (i instanceof Instruction.AddTable t && !t.embedded()) {
                added.computeIfAbsent(SyncService.stripClassPrefix(t.table()), k -> new ArrayList<>()).add(t.pkField());
            } else if (i instanceof Instruction.AddColumn c) {
                added.computeIfAbsent(SyncService.stripClassPrefix(c.table()), k -> new ArrayList<>()).add(c.field());
                if (c.nullable() && c.collectionType() == 0) {
                    nullable.computeIfAbsent(SyncService.stripClassPrefix(c.table()), k -> new ArrayList<>()).add(c.field());
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        List<org.bson.conversions.Bson> sets = new ArrayList<>();
        sets.addAll(addDeclared(fileIdent, "columns", declaredColumns, added));
        sets.addAll(addDeclared(fileIdent, "nullable_columns", declaredNullable, nullable));
        clients.updateOne(new Document("_id", fileIdent), Updates.combine(sets));
    }

    /** Adds declared properties to a per-file cache; the updates that persist them in the client file's {@code name}. */
    private List<org.bson.conversions.Bson> addDeclared(long fileIdent, String name, Map<Long, Map<String, Set<String>>> cache,
                                                        Map<String, List<String>> added) {
        Map<String, Set<String>> updated = new java.util.HashMap<>(declared(fileIdent, name, cache));
        List<org.bson.conversions.Bson> sets = new ArrayList<>();
        added.forEach((table, fields) -> {
            Set<String> all = new java.util.LinkedHashSet<>(updated.getOrDefault(table, Set.of()));
            all.addAll(fields);
            updated.put(table, Set.copyOf(all));
            sets.add(Updates.addEachToSet(name + "." + table, fields));
        });
        cache.put(fileIdent, Map.copyOf(updated));
        return sets;
    }

    /** The columns a client file declared, per class, or null if it declared none. */
    Map<String, Set<String>> columnsOf(long fileIdent) {
        Map<String, Set<String>> known = declared(fileIdent, "columns", declaredColumns);
        return known.isEmpty() ? null : known;
    }

    /**
     * Whether a client file holds null where the document lacks a scalar field: it declared the property nullable, or,
     * when it declared no such property (a protocol-level client), the app's schema leaves it out of {@code required}.
     */
    boolean holdsNullWhenAbsent(long fileIdent, SyncSchema.SyncClass c, String field) {
        Set<String> columns = declared(fileIdent, "columns", declaredColumns).get(c.name());
        if (columns == null || !columns.contains(field)) {
            return !c.required().contains(field);
        }
        return declared(fileIdent, "nullable_columns", declaredNullable).getOrDefault(c.name(), Set.of()).contains(field);
    }

    /** A per-file cache of declared properties, loaded from the client file's {@code name} the first time. */
    private Map<String, Set<String>> declared(long fileIdent, String name, Map<Long, Map<String, Set<String>>> cache) {
        Map<String, Set<String>> known = cache.get(fileIdent);
        if (known != null) {
            return known;
        }
        Document file = clients.find(new Document("_id", fileIdent)).first();
        Map<String, Set<String>> loaded = new java.util.HashMap<>();
        Document columns = file == null ? null : file.get(name, Document.class);
        if (columns != null) {
            columns.forEach((table, fields) -> loaded.put(table, Set.copyOf(((List<?>) fields).stream().map(String::valueOf).toList())));
        }
        cache.put(fileIdent, Map.copyOf(loaded));
        return loaded;
    }

    /**
     * Remembers the query version a client file was last bootstrapped for, and at which server version; the bootstrap it
     * replaces is kept among the ones the client may still name (decision records 0064, 0065: {@link QueryBootstraps}).
     */
    void recordBootstrap(long ident, long queryVersion, long serverVersion, String query) {
        Document file = clientFile(ident);
        clients.updateOne(new Document("_id", ident), Updates.combine(Updates.set("query_version", queryVersion),
                Updates.set("bootstrap_server_version", serverVersion), Updates.set("query", query),
                Updates.set(QueryBootstraps.REPLACED, QueryBootstraps.replacedAfter(file, queryVersion)),
                Updates.unset(QueryBootstraps.LEGACY_PREVIOUS)));
    }

    /**
     * A client bound with the query version of a bootstrap it holds: that bootstrap is the file's last again, and the
     * replaced ones are dropped. The client will not name an older version again (it integrated this one), and the newer
     * ones it lost will be bootstrapped again when it sends their queries once more.
     */
    void resumedBootstrap(long ident, QueryBootstraps.Bootstrap held) {
        clients.updateOne(new Document("_id", ident), Updates.combine(Updates.set("query_version", held.queryVersion()),
                Updates.set("bootstrap_server_version", held.serverVersion()), Updates.set("query", held.query()),
                Updates.set(QueryBootstraps.REPLACED, List.of()), Updates.unset(QueryBootstraps.LEGACY_PREVIOUS)));
    }
}
