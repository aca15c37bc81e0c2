package dev.thimble.runtime.data;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field paths a write names, read from the request alone (never from a stored document), for
 * the rules' check by name ({@link dev.thimble.runtime.rules.CollectionRules#checkNames}): every
 * field of every update operator ({@code $rename} names both its source and its target), every
 * top-level field of a replacement; and the paths {@code arrayFilters} test, which a write reveals
 * as surely as a query does.
 */
final class WriteNames {
    private WriteNames() {
    }

    /** The paths an update document's operators name, e.g. {@code items.$[x].qty}, in order, once each. */
    static List<String> ofUpdate(BsonDocument update) {
        Set<String> paths = new LinkedHashSet<>();
        for (Map.Entry<String, BsonValue> operator : update.entrySet()) {
            if (!operator.getValue().isDocument()) {
                continue;
            }
            for (Map.Entry<String, BsonValue> field : operator.getValue().asDocument().entrySet()) {
                paths.add(field.getKey());
                if (operator.getKey().equals("$rename") && field.getValue().isString()) {
                    paths.add(field.getValue().asString().getValue());
                }
            }
        }
        return List.copyOf(paths);
    }

    /** The top-level fields of a replacement document (a replace also rewrites every field it leaves out: see checkNames). */
    static List<String> ofReplacement(BsonDocument replacement) {
        return List.copyOf(replacement.keySet());
    }

    /**
     * The document paths {@code arrayFilters} test: {@code {"x.grade": {$gte: 85}}} for an update naming
     * {@code grades.$[x].score} tests {@code grades.grade}; a filter on {@code x} itself tests {@code grades}.
     */
    static List<String> ofArrayFilters(List<BsonDocument> arrayFilters, List<String> updatePaths) {
        if (arrayFilters == null || arrayFilters.isEmpty()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (BsonDocument filter : arrayFilters) {
            for (String key : topLevelPaths(filter)) {
                int dot = key.indexOf('.');
                String identifier = dot < 0 ? key : key.substring(0, dot);
                String rest = dot < 0 ? "" : key.substring(dot);
                for (String path : updatePaths) {
                    int at = path.indexOf("$[" + identifier + "]");
                    if (at >= 0) {
                        String array = at == 0 ? "" : path.substring(0, at - 1);
                        out.add(array + rest);
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> topLevelPaths(BsonDocument filter) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, BsonValue> entry : filter.entrySet()) {
            String key = entry.getKey();
            if ((key.equals("$and") || key.equals("$or") || key.equals("$nor")) && entry.getValue().isArray()) {
                for (BsonValue part : entry.getValue().asArray()) {
                    if (part.isDocument()) {
                        out.addAll(topLevelPaths(part.asDocument()));
                    }
                }
            } else if (!key.startsWith("$")) {
                out.add(key);
            }
        }
        return out;
    }
}
