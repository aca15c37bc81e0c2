package dev.thimble.runtime.auth;

import java.time.Instant;
import java.util.List;

/**
 * Told by {@link AuthService} after a user was created, logged in or was deleted (authentication
 * triggers, STITCH-SPEC §4): called on the request's thread once the change is stored, so an
 * implementation must hand slow work to a thread of its own and must not throw.
 */
@FunctionalInterface
public interface AuthEvents {

    /** What happened to the user, named as an authentication trigger's {@code action_type}. */
    enum Kind { CREATE, LOGIN, DELETE }

    /** Listens to nothing. */
    AuthEvents NONE = (kind, user, providers, time) -> { };

    /**
     * @param user      the user as stored after the event (for DELETE: as it was before)
     * @param providers the provider types involved: the login's provider, or every identity's for DELETE
     */
    void onAuthEvent(Kind kind, User user, List<String> providers, Instant time);
}
