package dev.thimble.runtime.changes;

import org.bson.BsonDocument;

/**
 * Which events a subscriber wants: all databases ({@code database == null}), one database
 * ({@code collection == null}) or one collection; from now on, or after a resume token (the
 * {@code _id} of an event delivered earlier, e.g. stored by a trigger before a restart).
 */
public record ChangeFilter(String database, String collection, BsonDocument resumeAfter) {
    public ChangeFilter {
        if (database == null && collection != null) {
            throw new IllegalArgumentException("a collection filter needs its database");
        }
        resumeAfter = resumeAfter == null ? null : resumeAfter.clone();
    }

    public static ChangeFilter all() {
        return new ChangeFilter(null, null, null);
    }

    public static ChangeFilter database(String database) {
        return new ChangeFilter(database, null, null);
    }

    public static ChangeFilter collection(String database, String collection) {
        return new ChangeFilter(database, collection, null);
    }

    /** The same filter, delivering only the events after the one whose {@code _id} is {@code token}. */
    public ChangeFilter resumeAfter(BsonDocument token) {
        return new ChangeFilter(database, collection, token);
    }

    public boolean matches(Namespace ns) {
        return (database == null || database.equals(ns.db())) && (collection == null || collection.equals(ns.coll()));
    }
}
