package dev.thimble.ruledesigner;

import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.rules.RuleCase;
import dev.thimble.runtime.principal.Principal;
import org.bson.Document;

import java.util.Objects;

/**
 * What the simulator is asked: who (null: the system user), which namespace, what action, on which
 * document. {@code document} is the stored document (read, delete, the before of update/replace) or
 * the new one (insert); {@code after} is what an update or replace leaves (null: the same document,
 * then only the per-field probes change it); {@code query} the caller's query (query, read), or null.
 */
public record SimulationCase(Principal user, String service, String namespace, Action action, Document document,
                             Document after, Document query) {
    public SimulationCase {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(action, "action");
        service = service == null ? RuleCase.DEFAULT_SERVICE : service;
        if (!namespace.contains(".")) {
            throw new DesignException("namespace", "\"" + namespace + "\" is not db.collection");
        }
    }

    public static SimulationCase read(Principal user, String namespace, Document document) {
        return new SimulationCase(user, null, namespace, Action.READ, document, null, null);
    }

    public String database() {
        return namespace.substring(0, namespace.indexOf('.'));
    }

    public String collection() {
        return namespace.substring(namespace.indexOf('.') + 1);
    }
}
