package dev.thimble.runtime.data;


import dev.thimble.runtime.errors.Forbidden;
import java.util.Locale;
import java.util.Set;

/**
 * The one place that decides which databases and collections a caller may reach. Thimble's own
 * databases ({@code __thimble_<app>}: users, password hashes, sessions, API keys, log records,
 * trigger state; {@code __thimble_scratch}: other callers' scratch copies), MongoDB's own
 * ({@code admin}, {@code local}, {@code config}) and the server's {@code system.*} collections are
 * reachable by system callers only, whatever the app's rules say: a permissive default rule
 * ({@code apply_when: {}}, read and write true) must not hand a logged-in user the password hashes.
 *
 * <p>The guarantee rests on this check, not on the names being hard to guess. Names are compared
 * without regard to case: MongoDB refuses two databases whose names differ only in case, and the
 * embedded server might not, so {@code __THIMBLE_x} must not be a way around it.
 */
public final class ReservedNamespaces {
    /** Prefix of every database Thimble keeps its own state in. */
    public static final String THIMBLE_PREFIX = "__thimble";
    private static final Set<String> MONGODB_DATABASES = Set.of("admin", "local", "config");

    private ReservedNamespaces() {
    }

    /** True when {@code database} belongs to Thimble or to MongoDB itself. */
    public static boolean isReservedDatabase(String database) {
        if (database == null) {
            return false;
        }
        String db = database.toLowerCase(Locale.ROOT);
        return db.startsWith(THIMBLE_PREFIX) || MONGODB_DATABASES.contains(db);
    }

    /** True when the namespace is Thimble's or MongoDB's own (its database, or a {@code system.*} collection). */
    public static boolean isReserved(String database, String collection) {
        return isReservedDatabase(database)
                || collection != null && collection.toLowerCase(Locale.ROOT).startsWith("system.");
    }

    /**
     * Refuses a non-system caller's request on a reserved namespace (403), before any rule is read.
     *
     * @param what the action, e.g. {@code find} or {@code watch}, for the message
     */
    public static void requireReachable(boolean system, String database, String collection, String what) {
        if (!system && isReserved(database, collection)) {
            throw new Forbidden("NoMatchingRuleFound", what + ": the namespace \"" + database + "." + collection
                    + "\" is the server's own and no user may reach it, whatever the rules say. Use a namespace of your app's data.");
        }
    }
}
