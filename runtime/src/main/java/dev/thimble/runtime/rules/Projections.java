package dev.thimble.runtime.rules;

import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Merging filter projections into a query's projection. Filter projections of one kind merge as
 * documents; inclusive and exclusive together are an error (STITCH-SPEC §2A). The caller's projection
 * may only narrow the result: inclusive ∩ inclusive, exclusive ∪ exclusive, and a mixed pair keeps
 * the inclusive side minus what the exclusive side removes.
 */
final class Projections {
    enum Kind { NONE, INCLUSIVE, EXCLUSIVE }

    /** A field name no document has: an inclusive projection of it alone returns nothing but {@code _id}. */
    static final String NO_FIELD = "__thimble_no_readable_field__";

    private Projections() {
    }

    static Kind kind(Map<?, ?> projection) {
        if (projection == null || projection.isEmpty()) {
            return Kind.NONE;
        }
        Kind kind = null;
        for (Map.Entry<?, ?> entry : projection.entrySet()) {
            if (!"_id".equals(entry.getKey())) {
                Kind k = excludes(entry.getValue()) ? Kind.EXCLUSIVE : Kind.INCLUSIVE;
                if (kind != null && kind != k) {
                    return null;
                }
                kind = k;
            }
        }
        if (kind == null) {
            return excludes(projection.get("_id")) ? Kind.EXCLUSIVE : Kind.INCLUSIVE;
        }
        return kind;
    }

    static boolean excludes(Object value) {
        return Boolean.FALSE.equals(value) || value instanceof Number n && n.doubleValue() == 0d;
    }

    /** A filter projection that applied, by name. */
    record Applied(String filter, Document projection, Kind kind) { }

    static Document merge(List<Applied> filters, Document user, String rulePath) {
        Kind filterKind = Kind.NONE;
        String first = null;
        Document merged = new Document();
        for (Applied applied : filters) {
            if (applied.kind() == Kind.NONE) {
                continue;
            }
            if (filterKind != Kind.NONE && applied.kind() != filterKind) {
                throw new RuleEvaluationException(rulePath, "filters \"" + first + "\" (" + filterKind.name().toLowerCase()
                        + ") and \"" + applied.filter() + "\" (" + applied.kind().name().toLowerCase()
                        + ") both apply, and their projections cannot be mixed; make them the same kind", null);
            }
            if (filterKind == Kind.NONE) {
                filterKind = applied.kind();
                first = applied.filter();
            }
            merged.putAll(applied.projection());
        }
        if (filterKind == Kind.NONE) {
            return user;
        }
        Kind userKind = kind(user);
        if (userKind == null) {
            return user; // the driver rejects a mixed projection itself
        }
        return switch (userKind) {
            case NONE -> merged;
            case EXCLUSIVE -> filterKind == Kind.EXCLUSIVE ? union(merged, user) : minus(merged, user);
            case INCLUSIVE -> filterKind == Kind.INCLUSIVE ? intersect(user, merged) : minus(user, merged);
        };
    }

    private static Document union(Document a, Document b) {
        Document out = new Document(a);
        out.putAll(b);
        return out;
    }

    /** The inclusive projection minus the fields the exclusive one removes. */
    private static Document minus(Document inclusive, Document exclusive) {
        Document out = new Document();
        for (Map.Entry<String, Object> entry : inclusive.entrySet()) {
            if (entry.getKey().equals("_id") || !covered(entry.getKey(), exclusive.keySet())) {
                out.put(entry.getKey(), entry.getValue());
            }
        }
        if (exclusive.containsKey("_id") && excludes(exclusive.get("_id"))) {
            out.put("_id", 0);
        }
        return nonEmpty(out);
    }

    private static Document intersect(Document user, Document filter) {
        Document out = new Document();
        for (Map.Entry<String, Object> entry : user.entrySet()) {
            String u = entry.getKey();
            if (u.equals("_id")) {
                continue;
            }
            for (String f : filter.keySet()) {
                if (f.equals("_id")) {
                    continue;
                }
                if (u.equals(f) || u.startsWith(f + ".")) {
                    out.put(u, entry.getValue());
                } else if (f.startsWith(u + ".")) {
                    out.put(f, filter.get(f));
                }
            }
        }
        if (excludes(user.get("_id")) && user.containsKey("_id") || excludes(filter.get("_id")) && filter.containsKey("_id")) {
            out.put("_id", 0);
        }
        return nonEmpty(out);
    }

    private static boolean covered(String path, Iterable<String> excluded) {
        for (String e : excluded) {
            if (!e.equals("_id") && (path.equals(e) || path.startsWith(e + "."))) {
                return true;
            }
        }
        return false;
    }

    private static Document nonEmpty(Document inclusive) {
        List<String> fields = new ArrayList<>(inclusive.keySet());
        fields.remove("_id");
        if (fields.isEmpty()) {
            inclusive.put(NO_FIELD, 1);
        }
        return inclusive;
    }
}
