package dev.thimble.runtime.functions;

import java.util.Objects;

/**
 * Who a piece of function code runs as: the identity rules are checked against. {@code isSystem}
 * bypasses rules; {@code user} is then the calling user if there was one (or
 * {@link FunctionUser#SYSTEM}), which is what {@code context.user} shows.
 */
public record Caller(FunctionUser user, boolean isSystem) {

    public Caller {
        Objects.requireNonNull(user, "user");
    }

    public static Caller system() {
        return new Caller(FunctionUser.SYSTEM, true);
    }

    public static Caller user(FunctionUser user) {
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
