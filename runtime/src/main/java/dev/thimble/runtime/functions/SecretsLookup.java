package dev.thimble.runtime.functions;

import java.util.Optional;

/** Secret values by name, for values with {@code from_secret}; they live outside the app model. */
@FunctionalInterface
public interface SecretsLookup {

    Optional<String> secret(String name);

    SecretsLookup NONE = name -> Optional.empty();
}
