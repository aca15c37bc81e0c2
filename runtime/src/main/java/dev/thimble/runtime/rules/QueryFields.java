package dev.thimble.runtime.rules;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field paths a MongoDB query filter names, so that "a predicate on an unreadable field matches
 * nothing" can be applied per document after role selection. {@code $where}, {@code $expr},
 * {@code $text} and {@code $function} can read any field: such a query is "opaque".
 */
record QueryFields(List<String> paths, boolean opaque) {
    static final QueryFields NONE = new QueryFields(List.of(), false);
    private static final Set<String> OPAQUE = Set.of("$where", "$expr", "$text", "$function", "$jsonSchema");

    static QueryFields of(Map<?, ?> query) {
        if (query == null || query.isEmpty()) {
            return NONE;
        }
        Set<String> paths = new LinkedHashSet<>();
        boolean[] opaque = {false};
        collect(query, "", paths, opaque);
        return new QueryFields(List.copyOf(paths), opaque[0]);
    }

    private static void collect(Map<?, ?> query, String prefix, Set<String> paths, boolean[] opaque) {
        for (Map.Entry<?, ?> entry : query.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            if (key.equals("$and") || key.equals("$or") || key.equals("$nor")) {
                if (value instanceof List<?> list) {
                    for (Object clause : list) {
                        if (clause instanceof Map<?, ?> map) {
                            collect(map, prefix, paths, opaque);
                        }
                    }
                }
            } else if (OPAQUE.contains(key)) {
                opaque[0] = true;
            } else if (key.startsWith("$")) {
                // $comment and other top-level modifiers name no field
                continue;
            } else {
                String path = prefix.isEmpty() ? key : prefix + "." + key;
                paths.add(path);
                if (value instanceof Map<?, ?> operators) {
                    Object elemMatch = operators.get("$elemMatch");
                    if (elemMatch instanceof Map<?, ?> inner) {
                        collect(inner, path, paths, opaque);
                    }
                }
            }
        }
    }
}
