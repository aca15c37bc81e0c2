package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import java.util.Objects;

/**
 * Who a piece of function code runs as: the identity rules are checked against. {@code isSystem}
 * bypasses rules; {@code user} is then the calling user if there was one (or
 * {@link Principal#SYSTEM}), which is what {@code context.user} shows.
 *
 * @param requester the principal of the request this run serves, kept the same object through
 *                  {@code run_as_system} and {@code run_as_user_id}: what the host matches a database
 *                  call to its request's log record by (identity, not equality)
 */
public record Caller(Principal user, boolean isSystem, Principal requester) {

    public Caller {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(requester, "requester");
    }

    public static Caller system() {
        return new Caller(Principal.SYSTEM, true, Principal.SYSTEM);
    }

    public static Caller user(Principal user) {
        return new Caller(user, false, user);
    }

    /** The same user, with rules bypassed. */
    public Caller asSystem() {
        return new Caller(user, true, requester);
    }

    /** Runs as {@code user} ({@code run_as_user_id}) on behalf of the same request. */
    public Caller runningAs(Principal user) {
        return new Caller(user, false, requester);
    }

    public String userId() {
        return user.id();
    }

    /** Identity for caching: two callers with the same key see the same data. */
    String key() {
        return (isSystem ? "S:" : "U:") + user.id();
    }
}
