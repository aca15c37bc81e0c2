package dev.thimble.runtime.sync;

import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.RuleContext;

/**
 * What sync needs from the app's rules engine, supplied by the host so sync never evaluates rules
 * itself: the rule context of a session's user (the same user, expansions, values and
 * {@code %function} wiring as a client call) and the compiled rules of a namespace in the app's
 * current version (its own rule, else the data source's default rule, else none).
 */
public interface SyncRules {
    RuleContext contextFor(AuthService.Authenticated user);

    CollectionRules rulesFor(String service, String database, String collection);
}
