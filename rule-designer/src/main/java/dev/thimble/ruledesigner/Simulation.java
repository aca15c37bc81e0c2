package dev.thimble.ruledesigner;

import dev.thimble.runtime.rules.Decision;
import org.bson.Document;

import java.util.List;

/**
 * The runtime engine's answer to a {@link SimulationCase}: its {@link Decision} (role applied, each
 * role's apply_when, filters injected, fields removed or rejected), the query and projection that
 * would run, the document exactly as the user would receive it (null: invisible), and a verdict per
 * field of the document.
 */
public record Simulation(SimulationCase request, Decision decision, Document query, Document projection,
                         Document received, List<FieldVerdict> fields) {
    public Simulation {
        fields = List.copyOf(fields);
    }
}
