package dev.thimble.runtime.rules;

import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * What the rules decided for one {@link RuleCase}, and where that differs from what the case expects.
 *
 * @param visible    for a read: the document as the user receives it (their projection applied), or
 *                   null when they see nothing; null for other actions
 * @param query      for reads and queries: the query that would run (the caller's ANDed with the filters)
 * @param projection for reads and queries: the merged projection, or null
 * @param mismatches every expectation that did not hold; empty when the case passes (or expects nothing)
 */
public record RuleCaseResult(RuleCase ruleCase, Decision decision, Document visible, Document query, Document projection,
                             List<Mismatch> mismatches) {

    private static final JsonWriterSettings COMPACT = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    public RuleCaseResult {
        mismatches = List.copyOf(mismatches);
    }

    public boolean passed() {
        return mismatches.isEmpty();
    }

    /**
     * One expectation that did not hold: what ({@code outcome}, {@code role}, {@code visible} …), the
     * expected and actual values as text, and for documents one line per differing field.
     */
    public record Mismatch(String what, String expected, String actual, List<String> details) {
        public Mismatch {
            details = List.copyOf(details);
        }

        public Document toDocument() {
            return new Document("what", what).append("expected", expected).append("actual", actual).append("details", details);
        }
    }

    /** {@code {name, passed, decision, visible?, query?, projection?, mismatches}}. */
    public Document toDocument() {
        Document d = new Document("name", ruleCase.name()).append("passed", passed()).append("decision", decision.toDocument());
        if (ruleCase.action() == Decision.Action.READ) {
            d.append("visible", visible);
        }
        if (query != null) {
            d.append("query", query).append("projection", projection);
        }
        List<Document> list = new ArrayList<>();
        mismatches.forEach(m -> list.add(m.toDocument()));
        return d.append("mismatches", list);
    }

    /** A value as compact relaxed Extended JSON ({@code "text"}, {@code {"$date": …}}, {@code {…}}); "nothing" for null documents. */
    public static String json(Object value) {
        if (value instanceof Document document) {
            return document.toJson(COMPACT);
        }
        String wrapped = new Document("v", value).toJson(COMPACT);
        return wrapped.substring("{\"v\": ".length(), wrapped.length() - 1);
    }
}
