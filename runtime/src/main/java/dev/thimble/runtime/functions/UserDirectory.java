package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import java.util.Optional;

/** Resolves a user id to a user, for functions with {@code run_as_user_id}. */
@FunctionalInterface
public interface UserDirectory {

    Optional<Principal> find(String userId);

    /** Knows nobody: run-as users are then known by id only. */
    UserDirectory NONE = id -> Optional.empty();
}
