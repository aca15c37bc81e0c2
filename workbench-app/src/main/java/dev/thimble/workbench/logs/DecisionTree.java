package dev.thimble.workbench.logs;

import dev.thimble.runtime.apps.ExtendedJson;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A log record's rule decision as a tree people read: per document, the outcome and the role that
 * applied, each role tried with the clause that matched or failed and the values it compared, the
 * filters injected, the fields removed and the fields rejected with why. Values arrive as the runtime
 * logged them: a value that came from a secret is already {@code ****} there (the log redacts every
 * known secret value before storing), and this tree shows it so. Decisions of other services (HTTP,
 * webhooks) have their own shape and are shown as their fields. No JavaFX here: the view maps the
 * nodes to a TreeView.
 */
public final class DecisionTree {

    /** How a node reads: allowed/matched in green, denied/failed in red, neutral otherwise. */
    public enum Tone { NEUTRAL, GOOD, BAD }

    /** One line of the tree and the lines below it. */
    public record Node(String text, Tone tone, List<Node> children) {
        public Node {
            children = List.copyOf(children);
        }

        static Node leaf(String text, Tone tone) {
            return new Node(text, tone, List.of());
        }

        /** The node's text and every descendant's, depth first (for tests and search). */
        public List<String> flatten() {
            List<String> out = new ArrayList<>();
            collect(this, "", out);
            return out;
        }

        private static void collect(Node n, String indent, List<String> out) {
            out.add(indent + n.text());
            n.children().forEach(c -> collect(c, indent + "  ", out));
        }
    }

    private DecisionTree() {
    }

    /** The tree's top nodes: one per document decided (a MongoDB request), or the decision's fields (another service). */
    public static List<Node> of(BsonDocument decision) {
        if (decision == null) {
            return List.of();
        }
        if (decision.isArray("database_calls")) {
            return databaseCalls(decision);
        }
        if (decision.isArray("documents")) {
            BsonArray documents = decision.getArray("documents");
            List<Node> out = new ArrayList<>();
            long perDocument = documents.stream().filter(d -> d.isDocument() && !isPlan(d.asDocument())).count();
            int i = 0;
            for (BsonValue d : documents) {
                if (d.isDocument()) {
                    boolean plan = isPlan(d.asDocument());
                    out.add(document(plan ? -1 : i, (int) perDocument, d.asDocument()));
                    if (!plan) {
                        i++;
                    }
                }
            }
            if (out.isEmpty()) {
                out.add(Node.leaf("No document was decided (the query matched none, or a system call ran without rules)", Tone.NEUTRAL));
            }
            return out;
        }
        if (decision.containsKey("rolesTried")) {
            return List.of(document(0, 1, decision));
        }
        List<Node> out = new ArrayList<>();
        for (var e : decision.entrySet()) {
            out.add(Node.leaf(e.getKey() + ": " + show(e.getValue()), toneOf(e.getKey(), e.getValue())));
        }
        return out;
    }

    /**
     * A function's record: one node per database call it made ({@code context.services.get("mongodb-atlas")}),
     * in call order, each with the per-document tree of that call, or the refusal.
     */
    private static List<Node> databaseCalls(BsonDocument decision) {
        List<Node> out = new ArrayList<>();
        int n = 0;
        for (BsonValue v : decision.getArray("database_calls")) {
            if (!v.isDocument()) {
                continue;
            }
            BsonDocument call = v.asDocument();
            n++;
            String head = "Call " + n + ": " + text(call, "action") + " " + text(call, "namespace");
            if (call.containsKey("error")) {
                out.add(new Node(head + " — refused", Tone.BAD,
                        List.of(Node.leaf(text(call, "error") + (call.containsKey("error_code") ? " (" + text(call, "error_code") + ")" : ""), Tone.BAD))));
                continue;
            }
            List<Node> documents = of(new BsonDocument("documents", call.isArray("documents") ? call.getArray("documents") : new BsonArray()));
            long decided = call.isArray("documents") ? call.getArray("documents").stream()
                    .filter(d -> d.isDocument() && !isPlan(d.asDocument())).count() : 0;
            long omitted = call.isNumber("documents_omitted") ? call.getNumber("documents_omitted").longValue() : 0;
            boolean denied = documents.stream().anyMatch(d -> d.tone() == Tone.BAD);
            List<Node> children = new ArrayList<>(documents);
            if (omitted > 0) {
                children.add(Node.leaf(omitted + " more documents decided, not kept in the record", Tone.NEUTRAL));
            }
            out.add(new Node(head + " — " + (decided + omitted) + (decided + omitted == 1 ? " document" : " documents")
                    + (denied ? ", some denied" : ""), denied ? Tone.BAD : Tone.GOOD, children));
        }
        if (decision.isNumber("database_calls_omitted")) {
            out.add(Node.leaf(decision.getNumber("database_calls_omitted").longValue() + " more database calls, not kept in the record", Tone.NEUTRAL));
        }
        if (out.isEmpty()) {
            out.add(Node.leaf("No database call yet", Tone.NEUTRAL));
        }
        return out;
    }

    /** The query's own decision (filters injected, before any document is read): action QUERY. */
    private static boolean isPlan(BsonDocument d) {
        return "QUERY".equals(text(d, "action"));
    }

    /** @param index the document's number among the documents decided, or -1 for the query plan */
    private static Node document(int index, int count, BsonDocument d) {
        String outcome = text(d, "outcome");
        String action = text(d, "action").toLowerCase(Locale.ROOT);
        String role = text(d, "role");
        String reason = text(d, "reason");
        boolean allowed = !outcome.isEmpty() && !outcome.equals("DENIED");
        StringBuilder title = new StringBuilder();
        title.append(index < 0 ? "The query: " : count > 1 ? "Document " + (index + 1) + ": " : "").append(action.isEmpty() ? "" : action + " ")
                .append(text(d, "namespace")).append(" — ").append(outcome.isEmpty() ? "?" : outcome);
        if (!role.isEmpty()) {
            title.append(" by role \"").append(role).append('"');
        }
        if (!reason.isEmpty()) {
            title.append(" (").append(reason.toLowerCase(Locale.ROOT).replace('_', ' ')).append(')');
        }
        List<Node> children = new ArrayList<>();
        List<Node> roles = new ArrayList<>();
        for (BsonValue v : array(d, "rolesTried")) {
            BsonDocument t = v.asDocument();
            boolean matched = t.getBoolean("matched", org.bson.BsonBoolean.FALSE).getValue();
            String name = "role \"" + text(t, "role") + "\"" + (t.isNumber("index") ? " [" + t.getNumber("index").intValue() + "]" : "");
            List<Node> why = new ArrayList<>();
            if (t.isDocument("failure")) {
                why.addAll(clause(t.getDocument("failure")));
            }
            roles.add(new Node(name + ": apply_when " + (matched ? "matched" : "failed"), matched ? Tone.GOOD : Tone.BAD, why));
        }
        if (roles.isEmpty()) {
            children.add(Node.leaf(index < 0 ? "Roles: tried on each document the query returns (below)"
                    : "Roles tried: none (the rule has no role)", Tone.NEUTRAL));
        } else {
            children.add(new Node("Roles tried, in order", Tone.NEUTRAL, roles));
        }
        List<Node> filters = new ArrayList<>();
        for (BsonValue v : array(d, "filters")) {
            BsonDocument f = v.asDocument();
            boolean applied = f.getBoolean("applied", org.bson.BsonBoolean.FALSE).getValue();
            boolean nothing = f.getBoolean("matchesNothing", org.bson.BsonBoolean.FALSE).getValue();
            List<Node> why = f.isDocument("failure") ? clause(f.getDocument("failure")) : List.of();
            filters.add(new Node("filter \"" + text(f, "filter") + "\": " + (applied ? "injected into the query" : "not applied")
                    + (nothing ? " — matches nothing (an expansion in its query is missing)" : ""), applied ? Tone.GOOD : Tone.NEUTRAL, why));
        }
        if (!filters.isEmpty()) {
            children.add(new Node("Filters", Tone.NEUTRAL, filters));
        }
        List<Node> removed = strings(d, "fieldsRemoved").stream().map(f -> Node.leaf(f, Tone.BAD)).toList();
        if (!removed.isEmpty()) {
            children.add(new Node("Fields removed from what the user received (" + removed.size() + ")", Tone.NEUTRAL, removed));
        }
        List<Node> unreadable = strings(d, "unreadableQueryFields").stream().map(f -> Node.leaf(f, Tone.BAD)).toList();
        if (!unreadable.isEmpty()) {
            children.add(new Node("The query names fields the role cannot read", Tone.BAD, unreadable));
        }
        List<Node> rejected = new ArrayList<>();
        for (BsonValue v : array(d, "fieldsRejected")) {
            BsonDocument r = v.asDocument();
            rejected.add(new Node(text(r, "field"), Tone.BAD, r.isDocument("failure") ? clause(r.getDocument("failure")) : List.of()));
        }
        if (!rejected.isEmpty()) {
            children.add(new Node("Fields rejected: not writable (" + rejected.size() + ")", Tone.BAD, rejected));
        }
        List<Node> schema = new ArrayList<>();
        for (BsonValue v : array(d, "schemaViolations")) {
            BsonDocument s = v.asDocument();
            schema.add(Node.leaf(text(s, "field") + ": " + text(s, "keyword") + " expected " + text(s, "expected")
                    + ", got " + text(s, "actual"), Tone.BAD));
        }
        if (!schema.isEmpty()) {
            children.add(new Node("Schema violations", Tone.BAD, schema));
        }
        if (d.isDocument("failure")) {
            children.add(new Node("Why", Tone.BAD, clause(d.getDocument("failure"))));
        }
        return new Node(title.toString(), allowed ? Tone.GOOD : Tone.BAD, children);
    }

    /** A clause: where in the rule, its source, and the two sides with the values compared. */
    private static List<Node> clause(BsonDocument c) {
        List<Node> out = new ArrayList<>();
        String where = text(c, "rulePath");
        String source = text(c, "source");
        out.add(Node.leaf("clause " + where + (source.isEmpty() ? "" : ": " + source), Tone.NEUTRAL));
        if (c.containsKey("lhsValue") || c.containsKey("rhsValue")) {
            String op = text(c, "op");
            out.add(Node.leaf("compared: " + side(c, "lhs") + " " + op + " " + side(c, "rhs"), Tone.BAD));
        } else if (c.containsKey("op")) {
            out.add(Node.leaf(text(c, "op"), Tone.BAD));
        }
        return out;
    }

    private static String side(BsonDocument c, String name) {
        String label = text(c, name);
        String value = text(c, name + "Value");
        return label.isEmpty() ? value : label + " = " + value;
    }

    private static Tone toneOf(String key, BsonValue value) {
        if (!key.equals("outcome") || !value.isString()) {
            return Tone.NEUTRAL;
        }
        String v = value.asString().getValue().toLowerCase(Locale.ROOT);
        return v.contains("denied") ? Tone.BAD : Tone.GOOD;
    }

    private static String show(BsonValue v) {
        if (v.isString()) {
            return v.asString().getValue();
        }
        if (v.isDocument() || v.isArray()) {
            return ExtendedJson.format(v).replace('\n', ' ');
        }
        return ExtendedJson.format(v);
    }

    private static BsonArray array(BsonDocument d, String key) {
        return d.isArray(key) ? d.getArray(key) : new BsonArray();
    }

    private static List<String> strings(BsonDocument d, String key) {
        List<String> out = new ArrayList<>();
        for (BsonValue v : array(d, key)) {
            out.add(v.isString() ? v.asString().getValue() : show(v));
        }
        return out;
    }

    private static String text(BsonDocument d, String key) {
        BsonValue v = d.get(key);
        if (v == null || v.isNull()) {
            return "";
        }
        return v.isString() ? v.asString().getValue() : show(v);
    }
}
