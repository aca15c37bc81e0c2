package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds rule mistakes the runtime accepts: roles that can never apply or that an earlier always-true
 * role shadows, fields writable but not readable, filters on fields without an index, and
 * {@code apply_when} naming document fields that no sampled document has. The live checks run only
 * when given indexes and sample documents.
 */
public final class RuleLinter {
    private RuleLinter() {
    }

    /** Lints that need no data. */
    public static List<Lint> lint(RuleDesign design) {
        return lint(design, null, null);
    }

    /**
     * @param indexKeys the live collection's index key documents, or null to skip the index check
     * @param sample    sampled live documents, or null (or empty) to skip the field check
     */
    public static List<Lint> lint(RuleDesign design, List<Document> indexKeys, List<Document> sample) {
        List<Lint> out = new ArrayList<>();
        String alwaysRole = null;
        java.util.Map<String, Integer> firstByName = new java.util.HashMap<>();
        for (int i = 0; i < design.roleCount(); i++) {
            String where = "roles[" + i + "]";
            String name = design.roleNames().get(i);
            Integer first = firstByName.putIfAbsent(name, i);
            if (first != null) {
                out.add(new Lint(Lint.Kind.DUPLICATE_NAME, where + ".name", "role " + (first + 1) + " is also named \"" + name
                        + "\"; decisions and logs name the role that applied, so give each role a name of its own"));
            }
            Expression when = design.applyWhen(i);
            if (alwaysRole != null) {
                out.add(new Lint(Lint.Kind.SHADOWED, where, "role \"" + name + "\" never applies: the earlier role \"" + alwaysRole
                        + "\" applies to everyone (apply_when is always true). Move this role above it, or narrow that role's apply_when"));
            } else if (neverTrue(when)) {
                out.add(new Lint(Lint.Kind.NEVER_APPLIES, where + ".apply_when", "role \"" + name
                        + "\" can never apply: its apply_when is always false. Fix the condition or delete the role"));
            }
            if (alwaysRole == null && alwaysTrue(when)) {
                alwaysRole = name;
            }
            for (FieldRule f : design.fields(i)) {
                if (f.write() != null && !isFalse(f.write()) && f.read() != null && isFalse(f.read())) {
                    out.add(new Lint(Lint.Kind.WRITE_WITHOUT_READ, where + ".fields." + f.path(), "\"" + f.path()
                            + "\" is writable but its read is false; write implies read, so the field will be readable. Make read match write"));
                }
            }
            FieldRule extra = design.additionalFields(i);
            if (extra != null && extra.write() != null && !isFalse(extra.write()) && extra.read() != null && isFalse(extra.read())) {
                out.add(new Lint(Lint.Kind.WRITE_WITHOUT_READ, where + ".additional_fields",
                        "additional fields are writable but not readable; write implies read. Make read match write"));
            }
            if (sample != null && !sample.isEmpty()) {
                for (String field : rootFields(when.toJson())) {
                    if (sample.stream().noneMatch(d -> has(d, field))) {
                        out.add(new Lint(Lint.Kind.UNKNOWN_FIELD, where + ".apply_when", "apply_when uses the document field \"" + field
                                + "\", which none of the " + sample.size() + " sampled documents has. Check the spelling"));
                    }
                }
            }
        }
        if (indexKeys != null) {
            Set<String> indexed = new LinkedHashSet<>();
            indexKeys.forEach(k -> k.keySet().stream().findFirst().ifPresent(indexed::add));
            for (int i = 0; i < design.filterCount(); i++) {
                JsonNode query = design.filter(i).get("query");
                for (String field : queryFields(query)) {
                    if (!indexed.contains(field)) {
                        out.add(new Lint(Lint.Kind.FILTER_WITHOUT_INDEX, "filters[" + i + "].query", "filter \""
                                + design.filter(i).path("name").asText() + "\" queries \"" + field + "\", which no index of "
                                + design.namespace() + " starts with; every query then scans the collection. Add an index on " + field));
                    }
                }
            }
        }
        return out;
    }

    /** True for {@code {}}, {@code true}, {@code {"%%true": true}} and ANDs of these. */
    static boolean alwaysTrue(Expression e) {
        return switch (e) {
            case Expression.Always a -> true;
            case Expression.Literal l -> l.value();
            case Expression.Compare c -> c.op() == null && c.lhs().equals("%%true") && c.value().isBoolean() && c.value().booleanValue()
                    || c.op() == null && c.lhs().equals("%%false") && c.value().isBoolean() && !c.value().booleanValue();
            case Expression.And and -> and.parts().stream().allMatch(RuleLinter::alwaysTrue);
            case Expression.Or or -> or.parts().stream().anyMatch(RuleLinter::alwaysTrue);
            case Expression.Not not -> neverTrue(not.operand());
            case Expression.Raw raw -> false;
        };
    }

    /** True for {@code false}, {@code {"%%true": false}}, and ANDs that contain one, or that ask one lhs for two different literals. */
    static boolean neverTrue(Expression e) {
        return switch (e) {
            case Expression.Always a -> false;
            case Expression.Literal l -> !l.value();
            case Expression.Compare c -> c.op() == null && (c.lhs().equals("%%true") && c.value().isBoolean() && !c.value().booleanValue()
                    || c.lhs().equals("%%false") && c.value().isBoolean() && c.value().booleanValue());
            case Expression.And and -> and.parts().stream().anyMatch(RuleLinter::neverTrue) || contradicts(and.parts());
            case Expression.Or or -> or.parts().stream().allMatch(RuleLinter::neverTrue);
            case Expression.Not not -> alwaysTrue(not.operand());
            case Expression.Raw raw -> false;
        };
    }

    /** Two equalities on one expansion with different literal scalars (not expansions) cannot both hold. */
    private static boolean contradicts(List<Expression> parts) {
        Map<String, JsonNode> seen = new HashMap<>();
        for (Expression p : parts) {
            if (p instanceof Expression.Compare c && c.op() == null && c.lhs().startsWith("%%user") && c.value().isValueNode()
                    && !(c.value().isTextual() && c.value().asText().startsWith("%%"))) {
                JsonNode before = seen.putIfAbsent(c.lhs(), c.value());
                if (before != null && !before.equals(c.value())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isFalse(JsonNode n) {
        return n.isBoolean() && !n.booleanValue();
    }

    /** Document fields an expression names: plain keys and {@code %%root.x} / {@code %%prevRoot.x}, keys and values, top-level part. */
    static Set<String> rootFields(JsonNode json) {
        Set<String> out = new LinkedHashSet<>();
        walk(json, out);
        return out;
    }

    private static void walk(JsonNode json, Set<String> out) {
        if (json == null) {
            return;
        }
        if (json.isTextual()) {
            root(json.asText(), out);
        } else if (json.isArray()) {
            json.forEach(j -> walk(j, out));
        } else if (json.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (key.equals("%function")) {
                    walk(e.getValue().get("arguments"), out);
                    continue;
                }
                if (!key.startsWith("%") && !key.startsWith("$")) {
                    out.add(key.split("\\.")[0]);
                } else {
                    root(key, out);
                }
                walk(e.getValue(), out);
            }
        }
    }

    private static void root(String text, Set<String> out) {
        for (String prefix : List.of("%%root.", "%%prevRoot.")) {
            if (text.startsWith(prefix) && text.length() > prefix.length()) {
                out.add(text.substring(prefix.length()).split("\\.")[0]);
            }
        }
    }

    /** Top-level plain fields of a filter query (through {@code $and}/{@code $or}). */
    static Set<String> queryFields(JsonNode query) {
        Set<String> out = new LinkedHashSet<>();
        if (query == null || !query.isObject()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = query.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("$and") || e.getKey().equals("$or")) {
                e.getValue().forEach(q -> out.addAll(queryFields(q)));
            } else if (!e.getKey().startsWith("$") && !e.getKey().startsWith("%")) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private static boolean has(Document d, String field) {
        return d.containsKey(field);
    }
}
