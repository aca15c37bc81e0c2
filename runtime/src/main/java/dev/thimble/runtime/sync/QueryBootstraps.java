package dev.thimble.runtime.sync;

import org.bson.Document;

import java.util.ArrayList;
import java.util.List;

/**
 * What a client file's record says of the query bootstraps its client may still hold: the last one the server sent
 * ({@code query_version}, {@code bootstrap_server_version}, {@code query}) and the ones it replaced
 * ({@code replaced_bootstraps}, oldest first).
 *
 * <p>A client holds a query's view from the moment it integrates that query's bootstrap. When its connection breaks
 * while one or more query changes' bootstraps are on their way, realm-core binds again with its active (older) query
 * version: that client holds the view of a replaced bootstrap as of the server version it names, so a catch-up under it
 * serves (decision records 0064, 0065). A client naming a query version none of these records holds is told to reset,
 * never sent a whole bootstrap that would clear its lists under the edits it has not uploaded yet.
 */
final class QueryBootstraps {
    /**
     * How many replaced bootstraps a client file's record keeps. A client names one only after losing that many query
     * changes' bootstraps in a row (every one sent before it integrated any); past that it is told to reset.
     */
    static final int KEPT = 8;
    static final String REPLACED = "replaced_bootstraps";
    /** The single replaced bootstrap records written before {@link #REPLACED} (decision record 0064). */
    static final String LEGACY_PREVIOUS = "previous_bootstrap";

    private QueryBootstraps() {
    }

    /** One bootstrap sent to a client file: its query version, the server version it was sent at, and the query JSON. */
    record Bootstrap(long queryVersion, long serverVersion, String query) {
        Document toDocument() {
            return new Document("query_version", queryVersion).append("bootstrap_server_version", serverVersion).append("query", query);
        }

        /** The bootstrap a record describes, or null when it lacks a version. */
        static Bootstrap of(Document d) {
            Number version = d == null ? null : d.get("query_version", Number.class);
            Number at = d == null ? null : d.get("bootstrap_server_version", Number.class);
            if (version == null || at == null) {
                return null;
            }
            String query = d.getString("query");
            return new Bootstrap(version.longValue(), at.longValue(), query == null ? "" : query);
        }
    }

    /** The last bootstrap recorded for the file, or null. */
    static Bootstrap last(Document file) {
        return Bootstrap.of(file);
    }

    /** The replaced bootstraps the file's record keeps, oldest first. */
    static List<Bootstrap> replaced(Document file) {
        List<Bootstrap> out = new ArrayList<>();
        if (file == null) {
            return out;
        }
        Bootstrap legacy = Bootstrap.of(file.get(LEGACY_PREVIOUS, Document.class));
        if (legacy != null) {
            out.add(legacy);
        }
        List<?> kept = file.get(REPLACED, List.class);
        if (kept != null) {
            for (Object o : kept) {
                Bootstrap b = o instanceof Document d ? Bootstrap.of(d) : null;
                if (b != null) {
                    out.add(b);
                }
            }
        }
        return out;
    }

    /**
     * The recorded bootstrap of {@code queryVersion} a client naming it with {@code scanServerVersion} holds (it has
     * integrated the download that carried it), the last one first; null when none is held.
     */
    static Bootstrap held(Document file, long queryVersion, long scanServerVersion) {
        if (file == null || scanServerVersion <= 0) {
            return null;
        }
        List<Bootstrap> candidates = new ArrayList<>();
        Bootstrap last = last(file);
        if (last != null) {
            candidates.add(last);
        }
        candidates.addAll(replaced(file).reversed());
        for (Bootstrap b : candidates) {
            if (b.queryVersion() == queryVersion && scanServerVersion >= b.serverVersion()) {
                return b;
            }
        }
        return null;
    }

    /**
     * The replaced bootstraps to keep once {@code nextQueryVersion} is recorded: the last one joins them when it is of
     * another query version (the client holds its view until it integrates the new bootstrap), entries of the new and
     * the last query version are dropped (a version's newest bootstrap is the one a client holding it integrated), and
     * only the newest {@link #KEPT} stay.
     */
    static List<Document> replacedAfter(Document file, long nextQueryVersion) {
        Bootstrap last = last(file);
        List<Bootstrap> kept = new ArrayList<>(replaced(file));
        if (last != null && last.queryVersion() != nextQueryVersion) {
            kept.removeIf(b -> b.queryVersion() == last.queryVersion());
            kept.add(last);
        }
        kept.removeIf(b -> b.queryVersion() == nextQueryVersion);
        List<Bootstrap> newest = kept.subList(Math.max(0, kept.size() - KEPT), kept.size());
        return newest.stream().map(Bootstrap::toDocument).toList();
    }
}
