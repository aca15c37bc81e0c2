package dev.thimble.runtime.data;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A MongoDB find projection applied in Java, to documents the rules have already cut down (rules
 * need whole documents, so the database cannot project for a user's query). Supported as MongoDB
 * 4.4+ does: inclusion or exclusion of top-level and dotted paths (through arrays of documents),
 * nested form {@code {a: {b: 1}}}, {@code _id} on or off in either kind, and {@code $slice}. Not
 * supported for non-system callers, refused with a message: computed fields, {@code $elemMatch},
 * {@code $meta} and the positional {@code .$}.
 */
public final class DocumentProjection {
    /** Refused projection; the message says why. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private enum Kind { NONE, INCLUDE, EXCLUDE }

    /** A node of the path tree: {@code whole} means the path ends here. */
    private static final class Node {
        boolean whole;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node child(String name) {
            return children.computeIfAbsent(name, n -> new Node());
        }
    }

    private record Slice(String[] path, int skip, int limit, boolean fromEnd) { }

    private final Kind kind;
    private final boolean includeId;
    private final Node tree;
    private final List<Slice> slices;

    private DocumentProjection(Kind kind, boolean includeId, Node tree, List<Slice> slices) {
        this.kind = kind;
        this.includeId = includeId;
        this.tree = tree;
        this.slices = slices;
    }

    /** Null when the projection is null or empty (nothing to do). @throws Invalid for what is not supported or mixes kinds */
    public static DocumentProjection of(BsonDocument projection) {
        if (projection == null || projection.isEmpty()) {
            return null;
        }
        Map<String, BsonValue> flat = new LinkedHashMap<>();
        flatten("", projection, flat);
        Kind kind = Kind.NONE;
        Boolean id = null;
        Node tree = new Node();
        List<Slice> slices = new ArrayList<>();
        for (Map.Entry<String, BsonValue> entry : flat.entrySet()) {
            String path = entry.getKey();
            BsonValue value = entry.getValue();
            if (path.equals("$") || path.endsWith(".$") || path.contains(".$.")) {
                throw new Invalid("the positional projection \"" + path + "\" is not supported here; project the whole array");
            }
            if (value.isDocument()) {
                BsonDocument operator = value.asDocument();
                if (operator.size() == 1 && operator.containsKey("$slice")) {
                    slices.add(slice(path, operator.get("$slice")));
                    continue;
                }
                throw new Invalid("the projection operator " + operator.getFirstKey() + " (on \"" + path
                        + "\") is not supported here; project whole fields, or use $slice");
            }
            boolean include;
            if (value.isBoolean()) {
                include = value.asBoolean().getValue();
            } else if (value.isNumber()) {
                include = value.asNumber().doubleValue() != 0;
            } else {
                throw new Invalid("\"" + path + "\": computed fields in projections are not supported here; use 1 or 0"
                        + " (or an aggregate with $project)");
            }
            if (path.equals("_id")) {
                id = include;
                continue;
            }
            Kind k = include ? Kind.INCLUDE : Kind.EXCLUDE;
            if (kind != Kind.NONE && kind != k) {
                throw new Invalid("Cannot do " + (include ? "inclusion" : "exclusion") + " on field " + path
                        + " in " + (include ? "exclusion" : "inclusion") + " projection");
            }
            kind = k;
            String[] segments = path.split("\\.");
            Node node = tree;
            for (String segment : segments) {
                node = node.child(segment);
            }
            node.whole = true;
        }
        if (kind == Kind.NONE && id != null && id && slices.isEmpty()) {
            kind = Kind.INCLUDE; // {_id: 1}: only the id
        }
        if (kind == Kind.INCLUDE) {
            for (Slice slice : slices) {
                Node node = tree;
                for (String segment : slice.path) {
                    node = node.child(segment);
                }
                node.whole = true;
            }
        }
        return new DocumentProjection(kind, id == null || id, tree, slices);
    }

    private static void flatten(String prefix, BsonDocument projection, Map<String, BsonValue> out) {
        for (Map.Entry<String, BsonValue> entry : projection.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            BsonValue value = entry.getValue();
            if (value.isDocument() && !value.asDocument().isEmpty() && !value.asDocument().getFirstKey().startsWith("$")) {
                flatten(path, value.asDocument(), out);
            } else {
                out.put(path, value);
            }
        }
    }

    private static Slice slice(String path, BsonValue spec) {
        String[] segments = path.split("\\.");
        if (spec.isNumber()) {
            int n = spec.asNumber().intValue();
            return n >= 0 ? new Slice(segments, 0, n, false) : new Slice(segments, -n, -n, true);
        }
        if (spec.isArray() && spec.asArray().size() == 2 && spec.asArray().get(0).isNumber() && spec.asArray().get(1).isNumber()) {
            int skip = spec.asArray().get(0).asNumber().intValue();
            int limit = spec.asArray().get(1).asNumber().intValue();
            if (limit <= 0) {
                throw new Invalid("\"" + path + "\": the limit of $slice: [skip, limit] must be positive");
            }
            return skip >= 0 ? new Slice(segments, skip, limit, false) : new Slice(segments, -skip, limit, true);
        }
        throw new Invalid("\"" + path + "\": $slice takes a number or [skip, limit]");
    }

    /** The projected copy of {@code document} (which is left unchanged). */
    public BsonDocument apply(BsonDocument document) {
        BsonDocument out = switch (kind) {
            case INCLUDE -> include(document, tree, true);
            case EXCLUDE, NONE -> exclude(document, tree);
        };
        if (!includeId) {
            out.remove("_id");
        }
        for (Slice slice : slices) {
            applySlice(out, slice, 0);
        }
        return out;
    }

    private BsonDocument include(BsonDocument document, Node node, boolean top) {
        BsonDocument out = new BsonDocument();
        for (Map.Entry<String, BsonValue> entry : document.entrySet()) {
            String key = entry.getKey();
            Node child = node.children.get(key);
            if (top && key.equals("_id")) {
                if (includeId) {
                    out.put(key, entry.getValue());
                }
                continue;
            }
            if (child == null) {
                continue;
            }
            if (child.whole) {
                out.put(key, entry.getValue());
                continue;
            }
            BsonValue included = includeValue(entry.getValue(), child);
            if (included != null) {
                out.put(key, included);
            }
        }
        return out;
    }

    private BsonValue includeValue(BsonValue value, Node node) {
        if (value.isDocument()) {
            return include(value.asDocument(), node, false);
        }
        if (value.isArray()) {
            BsonArray out = new BsonArray();
            for (BsonValue element : value.asArray()) {
                BsonValue included = element.isDocument() || element.isArray() ? includeValue(element, node) : null;
                if (included != null) {
                    out.add(included);
                }
            }
            return out;
        }
        return null;
    }

    private BsonDocument exclude(BsonDocument document, Node node) {
        BsonDocument out = new BsonDocument();
        for (Map.Entry<String, BsonValue> entry : document.entrySet()) {
            Node child = node.children.get(entry.getKey());
            if (child == null) {
                out.put(entry.getKey(), entry.getValue());
            } else if (!child.whole) {
                out.put(entry.getKey(), excludeValue(entry.getValue(), child));
            }
        }
        return out;
    }

    private BsonValue excludeValue(BsonValue value, Node node) {
        if (value.isDocument()) {
            return exclude(value.asDocument(), node);
        }
        if (value.isArray()) {
            BsonArray out = new BsonArray();
            for (BsonValue element : value.asArray()) {
                out.add(element.isDocument() || element.isArray() ? excludeValue(element, node) : element);
            }
            return out;
        }
        return value;
    }

    private static void applySlice(BsonDocument document, Slice slice, int depth) {
        String key = slice.path[depth];
        BsonValue value = document.get(key);
        if (value == null) {
            return;
        }
        if (depth < slice.path.length - 1) {
            if (value.isDocument()) {
                applySlice(value.asDocument(), slice, depth + 1);
            } else if (value.isArray()) {
                for (BsonValue element : value.asArray()) {
                    if (element.isDocument()) {
                        applySlice(element.asDocument(), slice, depth + 1);
                    }
                }
            }
            return;
        }
        if (!value.isArray()) {
            return;
        }
        List<BsonValue> values = value.asArray().getValues();
        int size = values.size();
        int from = slice.fromEnd ? Math.max(0, size - slice.skip) : Math.min(size, slice.skip);
        int to = Math.min(size, from + slice.limit);
        document.put(key, new BsonArray(new ArrayList<>(values.subList(from, to))));
    }
}
