package dev.thimble.runtime.rules;

import org.bson.Document;

import java.util.ArrayList;
import java.util.List;

/**
 * Why one rules check came out the way it did, for one document (or one query): the namespace and
 * action, each role tried in order with the clause that failed, the filters injected, fields removed
 * on read or rejected on write, schema violations and the outcome. It stores facts, not text: values
 * are kept as they were compared and only formatted by {@link #describe()} and {@link #toDocument()}.
 */
public final class Decision {
    public enum Action { QUERY, READ, INSERT, UPDATE, REPLACE, DELETE }

    /** PARTIAL: the document is readable with some fields removed. */
    public enum Outcome { ALLOWED, DENIED, PARTIAL }

    /** The deciding fact: {@code SYSTEM} and {@code RULES} allow, the others deny. */
    public enum Reason {
        SYSTEM, RULES, NO_RULES, NO_ROLE, DOCUMENT_FILTER, NO_READABLE_FIELDS, QUERY_ON_UNREADABLE_FIELD,
        FIELDS_NOT_WRITABLE, INSERT_NOT_ALLOWED, DELETE_NOT_ALLOWED, SCHEMA_INVALID
    }

    /**
     * One comparison that came out false: where it is in the rule, its source, and both sides with
     * the values they had (e.g. {@code owner_id: "%%user.id" → root.owner_id="u2" ≠ user.id="u1"}).
     * A side's label is null when it is a literal; {@code op} is the relation that held instead.
     */
    public static final class Clause {
        private final String rulePath;
        private final String source;
        private final String lhs;
        private final Object lhsValue;
        private final String op;
        private final String rhs;
        private final Object rhsValue;
        private final boolean hasValues;

        Clause(String rulePath, String source, String lhs, Object lhsValue, String op, String rhs, Object rhsValue) {
            this.rulePath = rulePath;
            this.source = source;
            this.lhs = lhs;
            this.lhsValue = lhsValue;
            this.op = op;
            this.rhs = rhs;
            this.rhsValue = rhsValue;
            this.hasValues = true;
        }

        /** A clause that failed as a whole (a literal false, a %not whose operand held). */
        Clause(String rulePath, String source, String message) {
            this.rulePath = rulePath;
            this.source = source;
            this.lhs = null;
            this.lhsValue = null;
            this.op = message;
            this.rhs = null;
            this.rhsValue = null;
            this.hasValues = false;
        }

        public String rulePath() { return rulePath; }
        public String source() { return source; }
        public String lhs() { return lhs; }
        /** The left value as compared; null when it was missing (see {@link #lhsMissing()}). */
        public Object lhsValue() { return Values.toExternal(lhsValue); }
        public boolean lhsMissing() { return lhsValue == Values.MISSING; }
        public String op() { return op; }
        public String rhs() { return rhs; }
        public Object rhsValue() { return Values.toExternal(rhsValue); }
        public boolean rhsMissing() { return rhsValue == Values.MISSING; }

        /** {@code roles[0].apply_when: owner_id: "%%user.id" → root.owner_id="u2" ≠ user.id="u1"}. */
        public String describe() {
            StringBuilder b = new StringBuilder(rulePath).append(": ").append(source).append(" → ");
            if (!hasValues) {
                return b.append(op).toString();
            }
            side(b, lhs, lhsValue).append(' ').append(op);
            if (rhs != null || rhsValue != null) {
                side(b.append(' '), rhs, rhsValue);
            }
            return b.toString();
        }

        /**
         * The clause with every compared value left out, for a client's error:
         * {@code roles[0].apply_when: root.owner_id ≠ user.id}. A literal side shows as {@code (a value)}.
         */
        public String describeWithoutValues() {
            StringBuilder b = new StringBuilder(rulePath).append(": ");
            if (!hasValues) {
                return b.append(op).toString();
            }
            b.append(lhs == null ? "(a value)" : lhs).append(' ').append(op);
            if (rhs != null || rhsValue != null) {
                b.append(' ').append(rhs == null ? "(a value)" : rhs);
            }
            return b.toString();
        }

        private static StringBuilder side(StringBuilder b, String label, Object value) {
            return label == null ? b.append(Values.show(value)) : b.append(label).append('=').append(Values.show(value));
        }

        Document toDocument() {
            Document d = new Document("rulePath", rulePath).append("source", source);
            if (hasValues) {
                d.append("lhs", lhs).append("lhsValue", Values.show(lhsValue)).append("op", op)
                        .append("rhs", rhs).append("rhsValue", Values.show(rhsValue));
            } else {
                d.append("op", op);
            }
            return d.append("text", describe());
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** A role tried in order; {@code failure} says why its {@code apply_when} was false (null when it matched). */
    public record RoleTrial(String role, int index, boolean matched, Clause failure) { }

    /**
     * A filter considered by a query: applied when its {@code apply_when} was true; {@code matchesNothing}
     * when its query used an expansion that resolved to nothing, so it was replaced by one that matches nothing.
     */
    public record FilterDecision(String filter, boolean applied, Clause failure, boolean matchesNothing) { }

    /** A field a write changed without permission; {@code failure} is the write expression that was false, or null when no rule grants write. */
    public record FieldRejection(String field, Clause failure) {
        public String describe() {
            return field + ": " + (failure == null ? "no rule grants write" : failure.describe());
        }
    }

    /** A document that does not fit the collection schema: the field (dotted, "" for the document), the keyword, what it expects and what it got. */
    public record SchemaViolation(String field, String keyword, String expected, String actual) {
        public String describe() {
            return (field.isEmpty() ? "(document)" : field) + ": " + keyword + " expects " + expected + ", got " + actual;
        }
    }

    private final String namespace;
    private final Action action;
    private final Outcome outcome;
    private final Reason reason;
    private final String role;
    private final List<RoleTrial> rolesTried;
    private final List<FilterDecision> filters;
    private final List<String> fieldsRemoved;
    private final List<String> unreadableQueryFields;
    private final List<FieldRejection> fieldsRejected;
    private final List<SchemaViolation> schemaViolations;
    private final Clause failure;

    Decision(String namespace, Action action, Outcome outcome, Reason reason, String role,
             List<RoleTrial> rolesTried, List<FilterDecision> filters, List<String> fieldsRemoved,
             List<String> unreadableQueryFields, List<FieldRejection> fieldsRejected,
             List<SchemaViolation> schemaViolations, Clause failure) {
        this.namespace = namespace;
        this.action = action;
        this.outcome = outcome;
        this.reason = reason;
        this.role = role;
        this.rolesTried = immutable(rolesTried);
        this.filters = immutable(filters);
        this.fieldsRemoved = immutable(fieldsRemoved);
        this.unreadableQueryFields = immutable(unreadableQueryFields);
        this.fieldsRejected = immutable(fieldsRejected);
        this.schemaViolations = immutable(schemaViolations);
        this.failure = failure;
    }

    static Decision of(String namespace, Action action, Outcome outcome, Reason reason) {
        return new Decision(namespace, action, outcome, reason, null, null, null, null, null, null, null, null);
    }

    private static <T> List<T> immutable(List<T> list) {
        return list == null || list.isEmpty() ? List.of() : List.copyOf(list);
    }

    public String namespace() { return namespace; }
    public Action action() { return action; }
    public Outcome outcome() { return outcome; }
    public Reason reason() { return reason; }
    /** The role that applied, or null when none did (or no role was needed: system, query planning). */
    public String role() { return role; }
    public List<RoleTrial> rolesTried() { return rolesTried; }
    public List<FilterDecision> filters() { return filters; }
    public List<String> fieldsRemoved() { return fieldsRemoved; }
    public List<String> unreadableQueryFields() { return unreadableQueryFields; }
    public List<FieldRejection> fieldsRejected() { return fieldsRejected; }
    public List<SchemaViolation> schemaViolations() { return schemaViolations; }
    /** The clause that decided a denial by document filter, insert or delete expression; null otherwise. */
    public Clause failure() { return failure; }

    public boolean allowed() {
        return outcome != Outcome.DENIED;
    }

    /** A multi-line explanation for people. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(action).append(' ').append(namespace).append(": ").append(outcome);
        if (role != null) {
            b.append(" by role \"").append(role).append('"');
        }
        b.append(" (").append(reason).append(')');
        for (FilterDecision f : filters) {
            b.append("\n  filter \"").append(f.filter()).append("\": ").append(f.applied() ? "applied" : "not applied");
            if (f.matchesNothing()) {
                b.append(", matches nothing (an expansion in its query is missing)");
            }
            if (f.failure() != null) {
                b.append(" — ").append(f.failure().describe());
            }
        }
        for (RoleTrial t : rolesTried) {
            b.append("\n  role \"").append(t.role()).append("\" [").append(t.index()).append("]: ")
                    .append(t.matched() ? "apply_when true" : "apply_when false");
            if (t.failure() != null) {
                b.append(" — ").append(t.failure().describe());
            }
        }
        if (failure != null) {
            b.append("\n  ").append(failure.describe());
        }
        if (!fieldsRemoved.isEmpty()) {
            b.append("\n  fields removed: ").append(String.join(", ", fieldsRemoved));
        }
        if (!unreadableQueryFields.isEmpty()) {
            b.append("\n  query names unreadable fields: ").append(String.join(", ", unreadableQueryFields));
        }
        for (FieldRejection r : fieldsRejected) {
            b.append("\n  not writable: ").append(r.describe());
        }
        for (SchemaViolation v : schemaViolations) {
            b.append("\n  schema: ").append(v.describe());
        }
        return b.toString();
    }

    /** The decision as a BSON document for logs. */
    public Document toDocument() {
        Document d = new Document("namespace", namespace).append("action", action.name())
                .append("outcome", outcome.name()).append("reason", reason.name()).append("role", role);
        List<Document> roles = new ArrayList<>();
        for (RoleTrial t : rolesTried) {
            roles.add(new Document("role", t.role()).append("index", t.index()).append("matched", t.matched())
                    .append("failure", t.failure() == null ? null : t.failure().toDocument()));
        }
        d.append("rolesTried", roles);
        List<Document> fs = new ArrayList<>();
        for (FilterDecision f : filters) {
            fs.add(new Document("filter", f.filter()).append("applied", f.applied())
                    .append("matchesNothing", f.matchesNothing())
                    .append("failure", f.failure() == null ? null : f.failure().toDocument()));
        }
        d.append("filters", fs);
        d.append("fieldsRemoved", fieldsRemoved);
        d.append("unreadableQueryFields", unreadableQueryFields);
        List<Document> rejected = new ArrayList<>();
        for (FieldRejection r : fieldsRejected) {
            rejected.add(new Document("field", r.field())
                    .append("failure", r.failure() == null ? null : r.failure().toDocument()));
        }
        d.append("fieldsRejected", rejected);
        List<Document> violations = new ArrayList<>();
        for (SchemaViolation v : schemaViolations) {
            violations.add(new Document("field", v.field()).append("keyword", v.keyword())
                    .append("expected", v.expected()).append("actual", v.actual()));
        }
        d.append("schemaViolations", violations);
        d.append("failure", failure == null ? null : failure.toDocument());
        return d;
    }

    @Override
    public String toString() {
        return describe();
    }
}
