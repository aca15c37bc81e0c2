package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import java.util.Objects;

/**
 * Who a piece of function code runs as: the identity rules are checked against. {@code isSystem}
 * bypasses rules; {@code user} is then the calling user if there was one (or
 * {@link Principal#SYSTEM}), which is what {@code context.user} shows.
 */
public record Caller(Principal user, boolean isSystem) {

    public Caller {
        Objects.requireNonNull(user, "user");
    }

    public static Caller system() {
        return new Caller(Principal.SYSTEM, true);
    }

    public static Caller user(Principal user) {
        return new Caller(user, false);
    }

    /** The same user, with rules bypassed. */
    public Caller asSystem() {
        return new Caller(user, true);
    }

    public String userId() {
        return user.id();
    }

    /** Identity for caching: two callers with the same key see the same data. */
    String key() {
        return (isSystem ? "S:" : "U:") + user.id();
    }
}
