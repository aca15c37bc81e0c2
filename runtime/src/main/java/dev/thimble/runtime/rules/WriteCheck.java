package dev.thimble.runtime.rules;

import java.util.List;

/** The verdict on one document write; the {@link Decision} says why. */
public record WriteCheck(Decision decision) {
    public boolean allowed() {
        return decision.allowed();
    }

    public List<Decision.FieldRejection> rejectedFields() {
        return decision.fieldsRejected();
    }

    public List<Decision.SchemaViolation> schemaViolations() {
        return decision.schemaViolations();
    }
}
