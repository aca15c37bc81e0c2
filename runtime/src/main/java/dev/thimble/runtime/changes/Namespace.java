package dev.thimble.runtime.changes;

import java.util.Objects;

/** A collection: {@code ns: {db, coll}} in a change event. */
public record Namespace(String db, String coll) {
    public Namespace {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(coll, "coll");
    }

    /**
     * Thimble's own state (users, sessions, logs, scratch space) lives in databases named
     * {@code __thimble_*}; MongoDB's own in {@code admin}, {@code local} and {@code config}, and
     * {@code system.*} collections are the server's. None of them produce change events.
     */
    public static boolean isInternal(String db, String coll) {
        return db.startsWith("__thimble_") || db.equals("admin") || db.equals("local") || db.equals("config")
                || coll.startsWith("system.");
    }

    @Override
    public String toString() {
        return db + "." + coll;
    }
}
